#!/usr/bin/env bash
# Coverage-guided fuzzing of one target with libFuzzer through SharpFuzz.
#   ./fuzz.sh TARGET [libFuzzer options...]      TARGET: cardcodec | delta | artifact
# Builds the harness, instruments FossilSync.dll for coverage, compiles the libFuzzer bridge,
# seeds work/TARGET/corpus from the wire captures, and runs libFuzzer there; a failing input
# is saved as work/TARGET/crash-* (or timeout-*). Example:
#   ./fuzz.sh delta -runs=1000000 -max_len=4096 -timeout=10
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: ./fuzz.sh cardcodec|delta|artifact [libFuzzer options...]}
shift

sudo_cmd=""
[ "$(id -u)" = 0 ] || sudo_cmd="sudo"
clang=$(command -v clang++-14 || command -v clang++ || true)
runtime=$(ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null | head -1 || true)
if [ -z "$clang" ] || [ -z "$runtime" ]; then
  echo "installing clang and the libFuzzer runtime with apt-get"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq clang-14 libclang-rt-14-dev
  clang=$(command -v clang++-14)
fi

build=work/build
dotnet tool restore >/dev/null
dotnet build -c Release -nologo -v q -o "$build" FossilSync.Fuzz.csproj

dir=work/$target
out=$dir/instrumented
mkdir -p "$dir/corpus"
if [ -z "$(ls -A "$dir/corpus")" ]; then
  dotnet "$build/FossilSync.Fuzz.dll" seeds "$target" "$dir/corpus"
fi

# A fresh copy for each run (SharpFuzz rewrites the assembly in place, once), per target so
# runs of different targets can go on side by side. Coverage for the
# code under test only (not the harness, not third-party assemblies). Instrumented code
# counts into memory that only the libFuzzer bridge sets up, so nothing else runs it.
rm -rf "$out"
cp -r "$build" "$out"
dotnet tool run sharpfuzz "$out/FossilSync.dll" FossilSync.Xfer FossilSync.Primitives FossilSync.Repo.Artifacts
"$clang" -O2 -fsanitize=fuzzer native/libfuzzer-bridge.cc -o "$out/libfuzzer-bridge"

# A cap on the managed heap turns runaway allocation into an OutOfMemoryException, a crash.
export DOTNET_GCHeapHardLimit=${DOTNET_GCHeapHardLimit:-0x40000000}
export FOSSILSYNC_FUZZ_COMMAND="exec dotnet $(pwd)/$out/FossilSync.Fuzz.dll libfuzzer $target"
cd "$dir"
exec "./instrumented/libfuzzer-bridge" -artifact_prefix=./ -timeout=10 "$@" corpus

#!/usr/bin/env bash
# Runs the whole FossilSync test suite. Interop tests drive the real stock fossil 2.21 and
# the NATS tests a real nats-server, so both are installed first (Debian/Ubuntu: apt-get) when missing.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v fossil >/dev/null 2>&1; then
  echo "stock fossil is missing: installing it with apt-get"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq fossil
fi
command -v fossil >/dev/null 2>&1 || { echo "fossil could not be installed; the interop tests need it" >&2; exit 1; }
has_nats() { command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ]; }
if ! has_nats; then
  echo "nats-server is missing: installing it with apt-get"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq nats-server
fi
has_nats || { echo "nats-server could not be installed; the NATS tests need it" >&2; exit 1; }
fossil version
export USER="${USER:-$(id -un)}"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test FossilSync.sln --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line that any runner understands, summed over the test assemblies.
awk '/(Passed|Failed)! +- +Failed:/ {
       for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { gsub(",", "", p); printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"

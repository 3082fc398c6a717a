#!/usr/bin/env bash
# Packs the shipped packages and checks what each one brings: FossilSync without the ASP.NET Core
# framework or the OpenTelemetry SDK, FossilSync.AspNetCore with the framework, FossilSync.Nats
# with the NATS client and no framework, a .snupkg of symbols beside each. Usage: .ci/pack-check.sh [OUT_DIR]   (default: a temporary folder)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-$(mktemp -d)}"
mkdir -p "$out"

for project in src/FossilSync src/FossilSync.AspNetCore src/FossilSync.Nats src/FossilSync.Cli; do
  dotnet pack "$project" -c Release --nologo -v q -o "$out"
done

failures=0
fail() { echo "pack-check: $1" >&2; failures=$((failures + 1)); }
nuspec() { unzip -p "$out/$1.0.1.0.nupkg" "$1.nuspec"; }

for id in FossilSync FossilSync.AspNetCore FossilSync.Nats FossilSync.Cli; do
  [ -f "$out/$id.0.1.0.nupkg" ] || fail "$id.0.1.0.nupkg was not made"
done
for id in FossilSync FossilSync.AspNetCore FossilSync.Nats; do
  [ -f "$out/$id.0.1.0.snupkg" ] || fail "$id has no .snupkg of symbols"
done

core=$(nuspec FossilSync)
grep -q 'frameworkReference' <<<"$core" && fail "FossilSync references a shared framework: $(grep frameworkReference <<<"$core")"
grep -q 'dependency id="OpenTelemetry"' <<<"$core" && fail "FossilSync depends on the OpenTelemetry SDK"
grep -q 'dependency id="OpenTelemetry.Api"' <<<"$core" || fail "FossilSync lost its OpenTelemetry.Api dependency"
grep -q '<repository type="git" url="[^"]*"' <<<"$core" || fail "FossilSync has no repository URL"

host=$(nuspec FossilSync.AspNetCore)
grep -q 'frameworkReference name="Microsoft.AspNetCore.App"' <<<"$host" || fail "FossilSync.AspNetCore does not reference Microsoft.AspNetCore.App"
grep -q 'dependency id="FossilSync"' <<<"$host" || fail "FossilSync.AspNetCore does not depend on FossilSync"

bus=$(nuspec FossilSync.Nats)
grep -q 'frameworkReference' <<<"$bus" && fail "FossilSync.Nats references a shared framework: $(grep frameworkReference <<<"$bus")"
grep -q 'dependency id="FossilSync"' <<<"$bus" || fail "FossilSync.Nats does not depend on FossilSync"
grep -q 'dependency id="NATS.Client.Core"' <<<"$bus" || fail "FossilSync.Nats does not depend on NATS.Client.Core"

grep -q '<packageType name="DotnetTool"' <<<"$(nuspec FossilSync.Cli)" || fail "FossilSync.Cli is not a dotnet tool package"

if [ "$failures" -gt 0 ]; then exit 1; fi
echo "pack-check: FossilSync (no framework reference; $(grep -o 'dependency id="[^"]*"' <<<"$core" | sed 's/dependency id=//' | tr -d '"' | sort -u | paste -sd, -)), FossilSync.AspNetCore (Microsoft.AspNetCore.App), FossilSync.Nats (NATS.Client.Core), FossilSync.Cli (tool), symbols: ok ($out)"

#!/usr/bin/env bash
# Coverage-guided smoke run of every fuzz target (or those in TARGETS) under AFL++ (SECONDS_PER_TARGET each, default 8).
# Needs afl-fuzz (Debian: afl++) and the SharpFuzz instrumenter (dotnet tool SharpFuzz.CommandLine 2.3.0). Run as
# root it installs whichever is missing; otherwise, without them, it says so and exits 0.
# Exits 1 when any target saved a crash; the inputs are left in $OUT/<target>/default/crashes.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${SECONDS_PER_TARGET:-8}
OUT=${OUT:-$(mktemp -d /tmp/hdrkit-afl-XXXXXX)}
SHARPFUZZ=$(command -v sharpfuzz || echo "$HOME/.dotnet/tools/sharpfuzz")
if [ "$(id -u)" = 0 ]; then
  if ! command -v afl-fuzz >/dev/null; then
    echo "fuzz smoke: installing afl++"
    apt-get install -y afl++ >/dev/null || { apt-get update >/dev/null && apt-get install -y afl++ >/dev/null; }
  fi
  if [ ! -x "$SHARPFUZZ" ]; then
    echo "fuzz smoke: installing SharpFuzz.CommandLine 2.3.0"
    dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >/dev/null
  fi
fi
if ! command -v afl-fuzz >/dev/null || [ ! -x "$SHARPFUZZ" ]; then
  echo "fuzz smoke: skipped (afl-fuzz or sharpfuzz not installed)"; exit 0
fi
PUB="$OUT/bin"
dotnet publish fuzz/HdrKit.Fuzz -c Release -o "$PUB" >/dev/null
"$SHARPFUZZ" "$PUB/HdrKit.dll"
export AFL_SKIP_BIN_CHECK=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1
crashes=0
for target in ${TARGETS:-$(dotnet "$PUB/HdrKit.Fuzz.dll" 2>&1 | sed -n 's/^targets: //p' | tr -d ',')}; do
  seeds="$OUT/seeds-$target"; mkdir -p "$seeds"
  find "fuzz/corpus/$target" -type f ! -name 'regress-*' -exec cp {} "$seeds/" \;
  timeout $((SECONDS_PER_TARGET + 60)) afl-fuzz -i "$seeds" -o "$OUT/$target" -t 5000 -m none -V "$SECONDS_PER_TARGET" \
    -- dotnet "$PUB/HdrKit.Fuzz.dll" afl "$target" >"$OUT/$target.log" 2>&1 || true
  stats="$OUT/$target/default/fuzzer_stats"
  execs=$(awk '/^execs_done/ {print $3}' "$stats" 2>/dev/null || echo 0)
  found=$(awk '/^saved_crashes/ {print $3}' "$stats" 2>/dev/null || echo "?")
  echo "fuzz smoke: $target: $execs executions, $found crashes"
  [ "$found" = "0" ] || crashes=1
done
exit $crashes

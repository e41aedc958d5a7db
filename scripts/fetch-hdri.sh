#!/usr/bin/env bash
# Re-creates data/hdri/*.hdr from their published source: npm @pmndrs/assets 1.7.0 (CC0-1.0), hdri/*.exr.js
# (base64 DWAB OpenEXR, 512x256). Decodes with three.js's EXRLoader under node (scripts/fetch-hdri.mjs) to PFM,
# converts PFM -> Radiance RGBE with pfstools (pfsin | pfsout). Needs node >= 18, npm, pfstools.
# The result matches the committed files up to RGBE encoding: ~93 % of samples identical, 99 % of pixels within
# one mantissa step (0.8 %); a few hundred near-black pixels per map differ more (encoders treat tiny and
# negative EXR values differently). The committed files are kept as the reference.
# Usage: scripts/fetch-hdri.sh [OUT_DIR]   (default: data/hdri next to this script)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../data/hdri}"
for tool in node npm pfsin pfsout; do
  command -v "$tool" >/dev/null || { echo "fetch-hdri: '$tool' is not installed" >&2; exit 1; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent @pmndrs/assets@1.7.0 three@0.170.0)
node "$here/fetch-hdri.mjs" "$work/node_modules" "$work/pfm"
mkdir -p "$out"
for pfm in "$work"/pfm/*.pfm; do
  name="$(basename "$pfm" .pfm)"
  pfsin "$pfm" | pfsout "$out/.$name.tmp.hdr"
  mv -f "$out/.$name.tmp.hdr" "$out/$name.hdr"   # same folder: the rename is atomic
done
echo "fetch-hdri: wrote $(ls "$work"/pfm/*.pfm | wc -l) maps to $out"

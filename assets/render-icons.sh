#!/usr/bin/env bash
# Renders assets/icons/sabot-<N>.png from the SVG sources (needs rsvg-convert: apt-get install librsvg2-bin).
# 16 and 32 px come from the pixel-aligned sabot-small.svg, the rest from sabot.svg.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p icons
for n in 16 32; do rsvg-convert -w "$n" -h "$n" sabot-small.svg -o "icons/sabot-$n.png"; done
for n in 48 64 128 256 512; do rsvg-convert -w "$n" -h "$n" sabot.svg -o "icons/sabot-$n.png"; done
ls -l icons

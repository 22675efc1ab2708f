#!/usr/bin/env bash
# What a thumbnail's decode of a baseline and a progressive JPEG of the same size costs
# outside the heap (peak RSS before and after, one JVM each), as ThumbnailHandler decodes:
# subsampled to about twice the thumbnail's width.
#   bench/jpeg-decode-memory.sh [WIDTH HEIGHT]     (default 8000 5000, the 40 MP limit)
set -euo pipefail
cd "$(dirname "$0")/.."
width=${1:-8000} height=${2:-5000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
program=bench/media/JpegDecodeMemory.java
step=$(( width / 800 > 1 ? width / 800 : 1 ))
for mode in baseline progressive; do
  java -Xmx1g "$program" write "$width" "$height" "$mode" "$dir/$mode.jpg"
done
for mode in baseline progressive; do
  java -Xmx256m "$program" decode "$dir/$mode.jpg" "$step"
done

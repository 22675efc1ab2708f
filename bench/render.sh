#!/usr/bin/env bash
# Rendering benchmark: the worker's renderer (one long-lived Chromium, a fresh context per
# render) on the site's real résumé and card templates, against the old way of launching
# `chromium --headless --print-to-pdf` (and `--screenshot`) per render, in the same run.
#
#   bench/render.sh [RUNS]      renders per measurement (default 50; the baseline does RUNS/5)
#
# Reports warm PDF and PNG p50/p95, PDFs per second at concurrency 1 and 2, peak browser
# memory (PSS over all its processes) and the cold first render; last line:
#   pdf_p50_ms=... png_p50_ms=... pdf_per_s=...
# Needs Debian's chromium (apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
runs=${1:-50}
baseline_runs=$(( runs / 5 > 3 ? runs / 5 : 3 ))
command -v chromium >/dev/null || { echo "needs chromium: apt-get install chromium" >&2; exit 1; }
work=$(mktemp -d /tmp/vitrine-render-XXXX)
trap 'rm -rf "$work"' EXIT
machine
mvn -q -B -DskipTests test-compile
mvn -q -B dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test >/dev/null
cp="target/test-classes:target/classes:$(cat "$work/cp.txt")"

echo "renderer: $runs warm renders of each kind"
"$JAVA" -cp "$cp" dev.vitrine.rendering.RenderBenchmark "$runs" "$work" | tee "$work/renderer.txt"
result=$(sed -n 's/^RESULT //p' "$work/renderer.txt")

echo "baseline: a new chromium per render ($baseline_runs each)"
flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
pdf_times=(); png_times=()
for i in $(seq "$baseline_runs"); do
  start=$(date +%s%N)
  chromium $flags --user-data-dir="$work/profile-$i" --no-pdf-header-footer --print-to-pdf="$work/out.pdf" \
    "file://$work/resume.html" >/dev/null 2>&1
  pdf_times+=($(( ($(date +%s%N) - start) / 1000000 )))
  start=$(date +%s%N)
  chromium $flags --user-data-dir="$work/profile-png-$i" --hide-scrollbars --window-size=1200,630 \
    --screenshot="$work/out.png" "file://$work/card.html" >/dev/null 2>&1
  png_times+=($(( ($(date +%s%N) - start) / 1000000 )))
  rm -rf "$work/profile-$i" "$work/profile-png-$i"
done
base_pdf=$(median_of "${pdf_times[@]}")
base_png=$(median_of "${png_times[@]}")
echo "baseline PDF p50 ${base_pdf} ms (runs: ${pdf_times[*]}), PNG p50 ${base_png} ms (runs: ${png_times[*]})"
pdf_p50=$(echo "$result" | sed 's/.*pdf_p50_ms=\([0-9]*\).*/\1/')
png_p50=$(echo "$result" | sed 's/.*png_p50_ms=\([0-9]*\).*/\1/')
echo "renderer vs baseline: PDF $(awk -v a="$pdf_p50" -v b="$base_pdf" 'BEGIN{printf "%.2f", a/b}')x," \
     "PNG $(awk -v a="$png_p50" -v b="$base_png" 'BEGIN{printf "%.2f", a/b}')x the time"
echo "$result"

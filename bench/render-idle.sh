#!/usr/bin/env bash
# What closing the worker's idle browser saves and costs: a worker process (worker role, on
# the test PostgreSQL under target/) with VITRINE_RENDERING_IDLE_TIMEOUT=3s renders the
# résumé (bench/resume.md with the real print template) RUNS times; each time it reports
# the worker's memory (JVM RSS + browser PSS over all its processes) with the browser up
# and after the idle close, a warm render and the first render after the close.
#
#   bench/render-idle.sh [RUNS]      (default 5)
#
# Last line: RESULT up_mb=... closed_mb=... warm_ms=... after_idle_ms=...
# Needs Debian's chromium (apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
runs=${1:-5}
command -v chromium >/dev/null || { echo "needs chromium: apt-get install chromium" >&2; exit 1; }
work=$(mktemp -d /tmp/vitrine-render-idle-XXXX)
trap 'rm -rf "$work"' EXIT
machine
mvn -q -B -o -DskipTests test-compile
mvn -q -B -o dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test >/dev/null
cp="target/test-classes:target/classes:$(cat "$work/cp.txt")"
"$JAVA" -cp "$cp" dev.vitrine.rendering.IdleBenchmark "$runs" 2>&1 | grep -E '^(worker|résumé|RESULT)'

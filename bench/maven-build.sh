#!/usr/bin/env bash
# The image build's Maven step (`mvn -DskipTests -Pspring-aot package` on pom.xml and src/main,
# as the Dockerfile's builder stage runs it) with Maven's JVM and the Spring AOT generating JVM
# on the default JIT and on C1 alone (`-XX:TieredStopAtLevel=1`, what docker/mvn-build.sh and
# the spring-aot profile set), interleaved so that drifting load falls on both alike:
#
#   bench/maven-build.sh [ROUNDS]     (default 5)
#
# Runs in a scratch copy holding only what the builder stage copies, from a clean target/
# each time, offline after one untimed build that fills the local repository. Prints each
# variant's runs and median, and checks that both made the same classes and generated code.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
rounds=${1:-5}
work=$(mktemp -d /tmp/vitrine-maven-XXXX)
trap 'rm -rf "$work"' EXIT
machine
mkdir "$work/src"
tar -cf - pom.xml src/main | tar -xf - -C "$work/src"
cd "$work/src"
export MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow"
build() { # VARIANT: prints ms
  local t0 opts=() maven_opts=$MAVEN_OPTS
  rm -rf target
  case $1 in
    c2) opts=(-Dspring-aot.jvm-arguments=-XX:+TieredCompilation) ;;
    c1) maven_opts="$maven_opts -XX:TieredStopAtLevel=1" ;;
  esac
  t0=$(now_ms)
  MAVEN_OPTS=$maven_opts mvn -q -o -B -DskipTests -Pspring-aot "${opts[@]}" package >"$work/build-$1.log" 2>&1 \
    || { tail -30 "$work/build-$1.log" >&2; exit 1; }
  echo $(( $(now_ms) - t0 ))
}
echo "filling the local repository (untimed)"
mvn -q -B -DskipTests -Pspring-aot package >"$work/first.log" 2>&1 || { tail -30 "$work/first.log" >&2; exit 1; }
declare -A runs
for _ in $(seq 1 "$rounds"); do
  for v in c2 c1; do
    runs[$v]+="$(build $v) "
    (cd target/classes && find . -type f -name '*.class' | sort | xargs sha256sum) > "$work/classes-$v.txt"
  done
done
cmp -s "$work/classes-c2.txt" "$work/classes-c1.txt" \
  || { echo "the two variants compiled or generated different classes" >&2; exit 1; }
for v in c2 c1; do
  label=$([ $v = c2 ] && echo "default JIT (C1 + C2)" || echo "C1 alone, as the image build")
  echo "$label: ${runs[$v]}ms (median $(median_of ${runs[$v]}) ms)"
done
echo "both variants made the same $(wc -l < "$work/classes-c1.txt") class files"

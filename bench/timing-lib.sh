#!/usr/bin/env bash
# Timing helpers shared by .ci/verify-images.sh and the benchmarks. Source it, don't run it.
# nap needs `nap_init DIR` first, calibrate_javac `calibration_init DIR`.

now_ms() { date +%s%3N; }

# median of the numbers on stdin, one per line (the mean of the middle two for an even count)
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
# median_of NUMBER...: the same for numbers given as arguments
median_of() { printf '%s\n' "$@" | median; }

# nap SECONDS: sleep without starting a process (a read that times out on a FIFO nobody
# writes), because on 2 cores a `sleep` every 20 ms delays the start being timed
nap_init() { mkfifo "$1/nap"; exec 9<>"$1/nap"; }
nap() { read -r -t "$1" -u 9 _ || true; }

# health_ok PORT: GET /health/ on 127.0.0.1 answers 200; bash's /dev/tcp, no process either
health_ok() {
  local status=
  { exec 7<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /health/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&7
  read -r -t 5 _ status _ <&7 || true
  exec 7>&- 7<&-
  [ "$status" = 200 ]
}

# How fast the machine is right now, for judging a start time on a shared machine: two fixed
# tasks and their times on the quiet reference machine. References: 2 cores, 2026-11-28 20:50,
# 30 runs of each taking turns: sha256 1,042-1,148 ms (median 1,079; 1,120 in an earlier
# session), javac of Temurin 25.0.3 2,471-2,915 ms (median 2,691). Other hardware or another
# JDK needs them measured again (bench/web-image-start.sh with CALIBRATE=1 on a quiet machine).
# shellcheck disable=SC2034  # read by the scripts that source this file
CALIBRATION_SHA_REFERENCE_MS=1100 CALIBRATION_JAVAC_REFERENCE_MS=2690
# calibrate_sha: CPU alone, sha256 of 300 MB of zeros on each of the 2 cores; prints ms.
calibrate_sha() {
  local t0
  t0=$(now_ms)
  for _ in 1 2; do (head -c 300M /dev/zero | sha256sum >/dev/null) & done
  wait
  echo $(($(now_ms) - t0))
}
# calibrate_javac DIR: a JVM's own start (class loading, interpreter, JIT threads, a fresh
# heap), javac compiling the fixed source calibration_init wrote; prints ms
calibrate_javac() {
  local t0
  t0=$(now_ms)
  javac -J-XX:+UseSerialGC -d "$1/out" "$1/Calibration.java"
  echo $(($(now_ms) - t0))
}
# calibration_init DIR: writes javac's input, 10 classes of 25 generic stream methods; change
# it and the javac reference above has to be measured again
calibration_init() {
  local c m
  mkdir -p "$1"
  {
    printf '%s\n' 'package calibration;' 'import java.util.*;' 'import java.util.function.*;' 'import java.util.stream.*;' ''
    for c in $(seq 0 9); do
      printf 'final class Part%d {\n' "$c"
      for m in $(seq 0 24); do
        printf '  static <T extends Comparable<T>> List<String> m%d(List<T> in, Map<String, Integer> acc) {\n' "$m"
        printf '    var out = in.stream().sorted().map(x -> x + "-%d-%d").filter(s -> s.length() > %d).collect(Collectors.toList());\n' "$c" "$m" $((m % 7))
        printf '    for (int i = 0; i < out.size(); i++) { acc.merge(out.get(i), i * %d, Integer::sum); }\n' $((m + 1))
        printf '    Function<Integer, Optional<String>> f = i -> i > %d ? Optional.of("v" + i) : Optional.empty();\n' "$c"
        printf '    return out.isEmpty() ? List.of(f.apply(%d).orElse("none")) : out;\n' "$m"
        printf '  }\n'
      done
      printf '}\n'
    done
  } >"$1/Calibration.java"
}

# wait_quiet MAX_SECONDS: returns once the machine's CPUs were at least 80% idle over a second
# (from /proc/stat), or after MAX_SECONDS; so that a start timed next is not measured against the
# tail of the one before (a worker rendering its first jobs, say). Needs nap_init.
wait_quiet() {
  local _cpu user nice system idle iowait irq softirq steal busy0 total0 busy total i
  read -r _cpu user nice system idle iowait irq softirq steal _ </proc/stat
  busy0=$((user + nice + system + irq + softirq + steal)) total0=$((busy0 + idle + iowait))
  for ((i = 0; i < $1; i++)); do
    nap 1
    read -r _cpu user nice system idle iowait irq softirq steal _ </proc/stat
    busy=$((user + nice + system + irq + softirq + steal)) total=$((busy + idle + iowait))
    [ $(((busy - busy0) * 100)) -le $(((total - total0) * 20)) ] && return 0
    busy0=$busy total0=$total
  done
}

#!/usr/bin/env bash
# Timing helpers shared by the benchmarks. Source it, don't run it. nap needs `nap_init DIR`.

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

# Enqueues for the Celery baseline: "drain N" publishes N no-op tasks; "latency N" publishes N
# timed tasks 5 ms apart and prints p50/p99 once all have run.
import statistics
import sys
import time

import redis
from tasks import noop, timed

mode, count = sys.argv[1], int(sys.argv[2])
r = redis.Redis(host="127.0.0.1", port=16379, db=1)
if mode == "drain":
    for _ in range(count):
        noop.delay()
elif mode == "latency":
    r.delete("latency_ms")
    for _ in range(count):
        timed.delay(time.time())
        time.sleep(0.005)
    while r.llen("latency_ms") < count:
        time.sleep(0.05)
    values = sorted(float(v) for v in r.lrange("latency_ms", 0, -1))
    print(f"{statistics.median(values):.1f} {values[int(len(values) * 0.99) - 1]:.1f}")

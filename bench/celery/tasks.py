# The old stack's task path, reduced to what bench/jobs.sh measures: a no-op task, and one that
# records its enqueue->start latency in Redis.
import time

import redis
from celery import Celery

app = Celery("bench", broker="redis://127.0.0.1:16379/0")
app.conf.update(task_ignore_result=True, worker_hijack_root_logger=False, broker_connection_retry_on_startup=True)
_redis = redis.Redis(host="127.0.0.1", port=16379, db=1)


@app.task
def noop():
    pass


@app.task
def timed(sent_at):
    _redis.rpush("latency_ms", (time.time() - sent_at) * 1000)

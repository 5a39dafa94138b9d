"""gunicorn settings for one CTIP Case Tracker app server (docs/deployment.md).

Run as ``gunicorn -c deploy/gunicorn.conf.py config.wsgi:application``. Any number of app servers may run
behind the proxy: nothing that must be shared is kept in a process (sessions, cache, locks and the task queue
live in PostgreSQL).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two workers per core plus one is gunicorn's rule of thumb for sync workers doing database work.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Long requests are the exception: big exports go to the background workers (EXPORT_BACKGROUND_ROWS).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Only the proxy on this machine may set X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# No query string in the access log: list filters can name people.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(L)ss "%(a)s"'

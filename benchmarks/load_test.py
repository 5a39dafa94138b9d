"""A bounded load test (not a test of the suite): N signed-in clients browse a running tracker for T seconds.

Start the tracker under gunicorn on a THROWAWAY PostgreSQL database seeded with the demo, then point this
at it (loopback only):

    createdb -h 127.0.0.1 -U postgres ctip_load
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctip_load
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo
    .venv/bin/gunicorn config.wsgi --bind 127.0.0.1:8010 --workers 4 &
    .venv/bin/python benchmarks/load_test.py --url http://127.0.0.1:8010 --clients 8 --seconds 60

Each client signs in through the real login form as one of the demo users who sign in with a password
alone (prosecutors, the auditor), then requests a mix of pages — home, case list and filters, case pages
and their tabs, hearings diary, asset register, reports, audit log, an Excel download — until the time is
up. It prints requests, errors (any 5xx, connection error or unexpected sign-in page) and latency
percentiles, and exits 1 when there was any error.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import random
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlparse

DEMO_PASSWORD = "ctip-demo-2026"
USERS = ["prosecutor", "prosecutor2", "auditor"]
PAGES = [
    "/",
    "/cases/",
    "/cases/?stage=trial",
    "/cases/mine/",
    "/cases/hearings/",
    "/assets/",
    "/assets/deadlines/",
    "/reports/",
    "/cases/reports/tip-statistics/",
    "/cases/?export=xlsx",
]
AUDITOR_PAGES = ["/audit/", "/fund/", "/fund/receipts/", "/fund/reports/statement/"]
CASE_TABS = ["", "?tab=accused", "?tab=hearings", "?tab=timeline", "?tab=history"]
MAX_REQUESTS_PER_CLIENT = 5000


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, seconds: float, error: str = "") -> None:
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)


class Client:
    def __init__(self, base: str, username: str) -> None:
        self.base = base.rstrip("/")
        self.username = username
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def _csrf(self) -> str:
        return next((c.value or "" for c in self.cookies if c.name == "csrftoken"), "")

    def sign_in(self) -> None:
        page = self.opener.open(f"{self.base}/accounts/login/", timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        data = urllib.parse.urlencode(
            {
                "username": self.username,
                "password": DEMO_PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else self._csrf(),
            }
        ).encode()
        request = urllib.request.Request(f"{self.base}/accounts/login/", data=data, headers={"Referer": self.base})
        final = self.opener.open(request, timeout=30)
        if "/accounts/login/" in final.geturl():
            raise RuntimeError(f"{self.username} could not sign in")

    def get(self, path: str) -> tuple[int, str]:
        try:
            response = self.opener.open(f"{self.base}{path}", timeout=60)
            body = response.read()
            final = response.geturl()
            if "/accounts/login/" in final and not path.startswith("/accounts/"):
                return 200, f"sent to sign in on {path}"
            return response.status, "" if body is not None else "empty"
        except urllib.error.HTTPError as error:
            return error.code, f"{error.code} on {path}" if error.code >= 500 else ""


def case_paths(client: Client) -> list[str]:
    """The tabs of the first twenty cases on the case list."""
    html = client.opener.open(f"{client.base}/cases/", timeout=60).read().decode()
    ids = sorted(set(re.findall(r'href="/cases/(\d+)/"', html)))[:20]
    return [f"/cases/{pk}/{tab}" for pk in ids for tab in CASE_TABS]


def run_client(base: str, username: str, deadline: float, tally: Tally, seed: int) -> None:
    chooser = random.Random(seed)
    client = Client(base, username)
    try:
        client.sign_in()
        pages = PAGES + case_paths(client) + (AUDITOR_PAGES if username == "auditor" else [])
    except Exception as error:  # noqa: BLE001 - reported as an error of the run
        tally.record(0.0, f"{username}: {error}")
        return
    for _ in range(MAX_REQUESTS_PER_CLIENT):
        if time.monotonic() >= deadline:
            return
        path = chooser.choice(pages)
        started = time.perf_counter()
        try:
            status, problem = client.get(path)
        except Exception as error:  # noqa: BLE001 - a dropped connection is an error of the run
            status, problem = 0, f"{type(error).__name__} on {path}"
        tally.record(time.perf_counter() - started, problem if (status >= 500 or status == 0 or problem) else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8010")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    host = urlparse(args.url).hostname or ""
    if not (host == "localhost" or host.startswith("127.") or host == "::1"):
        sys.exit("The load test only targets this machine (127.0.0.1, localhost or ::1).")

    tally = Tally()
    deadline = time.monotonic() + args.seconds
    threads = [
        threading.Thread(target=run_client, args=(args.url, USERS[n % len(USERS)], deadline, tally, n))
        for n in range(args.clients)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.seconds + 120)
    elapsed = time.monotonic() - started

    times = sorted(tally.latencies) or [0.0]
    print(f"{args.clients} clients for {elapsed:.0f} s against {args.url}")
    print(f"requests: {len(tally.latencies)} ({len(tally.latencies) / elapsed:.1f}/s), errors: {len(tally.errors)}")
    print(
        f"latency ms: median {statistics.median(times) * 1000:.0f}, "
        f"p95 {times[int(len(times) * 0.95) - 1] * 1000:.0f}, max {times[-1] * 1000:.0f}"
    )
    for error in tally.errors[:20]:
        print(f"  error: {error}")
    sys.exit(1 if tally.errors else 0)


if __name__ == "__main__":
    main()

"""Sign-in → home: the password form posted (Argon2id verification), the redirect followed to the home
page of a unit head (the busiest home: every panel over every case). No reference; the goal is 400 ms."""

from __future__ import annotations

from django.contrib.auth.hashers import identify_hasher
from django.test import Client
from django.urls import reverse

from benchmarks.national.common import BenchRow, BenchSizes, count_queries, interleaved, peak_mib
from benchmarks.national.data import PASSWORD, BenchData

GOAL_MS = 400.0


def measure(database_alias: str, data: BenchData, sizes: BenchSizes, rounds: int) -> list[BenchRow]:
    from core.models import User

    user = User.objects.get(pk=data.reader_id)
    hasher = identify_hasher(user.password)
    login_url = reverse("login")

    client = Client()  # one client, as one browser: its handler (the middleware chain) is built once

    def sign_in() -> None:
        client.cookies.clear()  # signed out: no session cookie
        response = client.post(login_url, {"username": user.username, "password": PASSWORD}, follow=True)
        assert response.status_code == 200, response.status_code
        assert response.redirect_chain and response.redirect_chain[-1][0] == reverse("core:home"), (
            response.redirect_chain
        )
        assert client.session.get("_auth_user_id") == str(user.pk), "not signed in"

    tracker_ms, _, taken = interleaved(sign_in, None, rounds)
    captured = count_queries(database_alias, sign_in)
    params = getattr(hasher, "params", None)
    detail = f"{hasher.algorithm}"
    if params is not None:
        settings = params()
        detail += f" (m={settings.memory_cost} KiB, t={settings.time_cost}, p={settings.parallelism})"
    return [
        BenchRow(
            work="Sign-in → home",
            tracker_ms=round(tracker_ms, 1),
            reference_ms=None,
            ratio=None,
            goal=GOAL_MS,
            queries=captured,
            peak_mib=round(peak_mib(sign_in), 2),
            note=f"goal ≤ {GOAL_MS:.0f} ms; {detail}; home of a unit head over {data.cases:,} cases; {taken} rounds",
        )
    ]

"""Two people moving the same asset at once: the lock makes one wait, and the second sees the first's move."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from assets import services
from assets.choices import AssetStatus
from assets.models import Asset, AssetStatusChange
from core.exceptions import DomainError
from tests.assets.factories import AccusedFactory, CaseFactory, seize
from tests.factories import UserFactory
from tests.helpers import run_at_once

THREADS = 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_write_offs_record_exactly_one_move() -> None:
    assert connection.vendor == "postgresql"
    case = CaseFactory.create(lead_prosecutor=UserFactory.create())
    AccusedFactory.create(case=case)
    asset = seize(case)
    done: list[str] = []
    refused: list[BaseException] = []
    lock = threading.Lock()

    def write_off() -> None:
        try:
            mine = Asset.objects.get(pk=asset.pk)  # every thread read "seized" before anyone moved
            services.move_asset(mine, None, AssetStatus.WRITTEN_OFF, note="Perished")
            with lock:
                done.append("moved")
        except DomainError as error:
            with lock:
                refused.append(error)

    run_at_once(write_off, THREADS, timeout=60)

    assert done == ["moved"]
    assert len(refused) == THREADS - 1
    assert all(isinstance(error, services.IllegalAssetMove) for error in refused)
    assert AssetStatusChange.objects.filter(asset=asset, to_status=AssetStatus.WRITTEN_OFF).count() == 1

"""Bad input through the real forms: a clear message on the page, and no fund table gains a row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import post_refused
from tests.trustfund.factories import approved, days_ago, paid, realisation, receive, request

pytestmark = pytest.mark.django_db


def receipt_data(**overrides: str) -> dict[str, str]:
    data = {"source": "appropriation", "amount": "1000.00", "received_on": days_ago(1).isoformat(), "payer": "Treasury"}
    data.update(overrides)
    return data


def disbursement_data(**overrides: str) -> dict[str, str]:
    data = {
        "purpose": "medical",
        "amount": "100.00",
        "service_provider": "Clinic",
        "resolution_reference": "BOT/RES/1/2026",
        "requested_on": days_ago(1).isoformat(),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"amount": "0"}, "amount", "The amount must be more than zero."),
        ({"amount": "-5"}, "amount", "The amount must be more than zero."),
        ({"amount": "ten"}, "amount", "Enter a number."),
        (
            {"received_on": (dt.date.today() + dt.timedelta(days=3)).isoformat()},
            "received_on",
            "cannot be in the future",
        ),
        ({"source": "forfeited_proceeds"}, "realisation", "must cite the realisation"),
        ({"payer": ""}, "payer", "This field is required."),
    ],
)
def test_a_bad_receipt_is_refused(client: Client, fund_admin, overrides, field, words) -> None:
    client.force_login(fund_admin)
    post_refused(client, reverse("trustfund:receipt_create"), receipt_data(**overrides), field, words, "trustfund")


def test_an_over_receipt_without_a_reason_is_refused(client: Client, fund_admin) -> None:
    sold = realisation(realised_on=days_ago(10))
    client.force_login(fund_admin)
    data = receipt_data(source="forfeited_proceeds", realisation=str(sold.pk), amount="900000.00", payer="ARA")
    post_refused(
        client, reverse("trustfund:receipt_create"), data, "over_receipt_reason", "would exceed it", "trustfund"
    )


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"amount": "0"}, "amount", "The amount must be more than zero."),
        ({"service_provider": ""}, "victim_code", "Name the beneficiary victim or the service provider"),
        ({"victim_code": "V-1999-0001"}, "victim_code", "No victim has the code V-1999-0001."),
        ({"resolution_reference": ""}, "resolution_reference", "This field is required."),
    ],
)
def test_a_bad_disbursement_request_is_refused(client: Client, fund_admin, overrides, field, words) -> None:
    client.force_login(fund_admin)
    post_refused(
        client, reverse("trustfund:disbursement_create"), disbursement_data(**overrides), field, words, "trustfund"
    )


def test_paying_an_unapproved_or_paid_disbursement_is_refused(client: Client, fund_admin, fund_approver) -> None:
    receive(fund_admin, "1000.00")
    client.force_login(fund_admin)
    waiting = request(fund_admin, "10.00")
    done = paid(fund_admin, fund_approver, "10.00")
    data = {"paid_on": days_ago(1).isoformat(), "payment_reference": "EFT"}
    url = reverse("trustfund:disbursement_pay", args=[waiting.pk])
    post_refused(client, url, data, None, "only an approved disbursement can be paid", "trustfund")
    url = reverse("trustfund:disbursement_pay", args=[done.pk])
    post_refused(client, url, data, None, f"{done.reference} is already paid.", "trustfund")


def test_paying_beyond_the_balance_is_refused(client: Client, fund_admin, fund_approver) -> None:
    receive(fund_admin, "100.00")
    big = approved(fund_admin, fund_approver, "100.01")
    client.force_login(fund_admin)
    url = reverse("trustfund:disbursement_pay", args=[big.pk])
    data = {"paid_on": days_ago(1).isoformat()}
    post_refused(client, url, data, None, "would overdraw the Fund: only KES 100.00 is available", "trustfund")


def test_reversing_twice_is_refused(client: Client, fund_admin) -> None:
    receipt = receive(fund_admin, "100.00")
    client.force_login(fund_admin)
    url = reverse("trustfund:entry_reverse", args=[receipt.entry.pk])
    data = {"reversed_on": days_ago(1).isoformat(), "reason": "Wrong payer"}
    assert client.post(url, data).status_code == 302
    post_refused(client, url, data, None, "has already been reversed", "trustfund")


def test_a_manual_match_with_a_different_amount_is_refused(client: Client, fund) -> None:
    client.force_login(fund["receipt"].recorded_by)
    url = reverse("trustfund:line_match", args=[fund["line"].pk])
    data = {"entry": str(fund["paid"].payment_entry.pk)}
    post_refused(client, url, data, "entry", "The amounts differ", "trustfund")

"""The import pages: access by role and scope, the upload form's refusals, the preview, the batch list's
queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.models import User
from imports import runner
from imports.choices import BatchState
from imports.kinds.base import ImportKind
from imports.models import ImportBatch
from tests.imports.conftest import court_rows, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def upload(client: Client, content: bytes, name: str = "courts.xlsx", kind: str = "courts") -> Any:
    return client.post(reverse("imports:upload"), {"kind": kind, "file": SimpleUploadedFile(name, content)})


def batch_of(user: User, rows: int = 2, state: str | None = None, content: bytes | None = None) -> ImportBatch:
    content = content or xlsx_bytes(court_rows(rows))
    batch = runner.upload("courts", "courts.xlsx", [content], len(content), user)
    runner.preview(batch.pk)
    batch.refresh_from_db()
    return batch


def test_a_fund_role_gets_403_on_every_import_page(
    court_kind: type[ImportKind], client: Client, fund_admin: User
) -> None:
    client.force_login(fund_admin)
    for url in (reverse("imports:index"), reverse("imports:upload"), reverse("imports:batch_list")):
        assert client.get(url).status_code == 403
    assert upload(client, xlsx_bytes(court_rows(1))).status_code == 403
    assert not ImportBatch.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("imports:index"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_upload_preview_confirm_through_the_pages(
    court_kind: type[ImportKind], client: Client, prosecutor: User
) -> None:
    client.force_login(prosecutor)
    index = client.get(reverse("imports:index"))
    assert index.status_code == 200
    assert reverse("imports:template", kwargs={"kind": "courts"}).encode() in index.content
    response = upload(client, xlsx_bytes(court_rows(3)))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "imports:batch_detail", kwargs={"pk": batch.pk}
    )
    page = client.get(response["Location"])
    assert b"hx-get" in page.content  # polls while a worker reads it
    poll = client.get(response["Location"], headers={"HX-Request": "true"})
    assert b'data-state="uploaded"' in poll.content and "HX-Refresh" not in poll
    runner.preview(batch.pk)
    poll = client.get(response["Location"], headers={"HX-Request": "true"})
    assert poll["HX-Refresh"] == "true"  # done: the page reloads to show the preview
    page = client.get(response["Location"])
    assert b'data-testid="preview-ready"' in page.content and b"Test Court 3" in page.content
    confirm = client.post(reverse("imports:batch_confirm", kwargs={"pk": batch.pk}))
    assert confirm.status_code == 302
    batch.refresh_from_db()
    assert batch.state == BatchState.IMPORTING
    page = client.get(reverse("imports:batch_detail", kwargs={"pk": batch.pk}))
    assert b"<progress" in page.content and b"Imported 0 of 3 rows" in page.content


def test_the_preview_shows_errors_by_row_and_column_and_no_confirm_button(
    court_kind: type[ImportKind], client: Client, prosecutor: User
) -> None:
    rows = court_rows(3)
    rows[2][1] = "Hihg Court"
    content = csv_bytes(rows)
    batch = runner.upload("courts", "courts.csv", [content], len(content), prosecutor)
    runner.preview(batch.pk)
    client.force_login(prosecutor)
    page = client.get(reverse("imports:batch_detail", kwargs={"pk": batch.pk}) + "?errors=1")
    text = page.content.decode()
    assert "row 4, Level: &#x27;Hihg Court&#x27; is not a level of court; did you mean High Court?" in text
    assert "Test Court 1" not in text  # only rows with errors
    assert 'data-testid="confirm-import"' not in text
    assert client.post(reverse("imports:batch_confirm", kwargs={"pk": batch.pk})).status_code == 302
    assert ImportBatch.objects.get(pk=batch.pk).state == BatchState.PREVIEWED


def test_another_prosecutor_cannot_see_your_batch(
    court_kind: type[ImportKind], client: Client, prosecutor: User, other_prosecutor: User
) -> None:
    batch = batch_of(prosecutor)
    client.force_login(other_prosecutor)
    assert client.get(reverse("imports:batch_detail", kwargs={"pk": batch.pk})).status_code == 404
    assert client.post(reverse("imports:batch_confirm", kwargs={"pk": batch.pk})).status_code == 404
    assert client.post(reverse("imports:batch_cancel", kwargs={"pk": batch.pk})).status_code == 404
    assert b"courts.xlsx" not in client.get(reverse("imports:batch_list")).content
    assert ImportBatch.objects.get(pk=batch.pk).state == BatchState.PREVIEWED


def test_the_unit_head_and_auditor_see_every_batch_but_only_the_uploader_confirms(
    court_kind: type[ImportKind], client: Client, prosecutor: User, unit_head: User, auditor: User
) -> None:
    batch = batch_of(prosecutor)
    url = reverse("imports:batch_detail", kwargs={"pk": batch.pk})
    for overseer in (unit_head, auditor):
        client.force_login(overseer)
        assert client.get(url).status_code == 200
        assert b"courts.xlsx" in client.get(reverse("imports:batch_list")).content
        assert b'data-testid="confirm-import"' not in client.get(url).content
        assert client.post(reverse("imports:batch_confirm", kwargs={"pk": batch.pk})).status_code == 403
    assert ImportBatch.objects.get(pk=batch.pk).state == BatchState.PREVIEWED


def test_a_bad_file_is_refused_on_the_form_with_nothing_saved(
    court_kind: type[ImportKind], client: Client, prosecutor: User
) -> None:
    client.force_login(prosecutor)
    response = upload(client, b"%PDF-1.4", name="courts.pdf")
    assert response.status_code == 400
    assert "Upload the register as an Excel workbook (.xlsx) or a CSV file (.csv)." in response.content.decode()
    response = upload(client, b"", name="courts.csv")
    assert response.status_code == 400
    assert not ImportBatch.objects.exists()


def test_a_file_over_the_request_limit_is_refused_before_it_is_read(
    court_kind: type[ImportKind], client: Client, prosecutor: User, settings: Any
) -> None:
    settings.UPLOAD_MAX_REQUEST_BYTES = 10_000  # stands for the 50 MB file
    client.force_login(prosecutor)
    response = upload(client, b"x" * 20_000, name="courts.csv")
    assert response.status_code == 413
    assert "The file is too large: the largest register accepted is 20 MB." in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_upload_form_still_needs_its_csrf_token(court_kind: type[ImportKind], prosecutor: User) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(prosecutor)
    response = upload(strict, xlsx_bytes(court_rows(1)))
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


def test_reimporting_through_the_form_names_the_earlier_batch(
    court_kind: type[ImportKind], client: Client, prosecutor: User
) -> None:
    content = xlsx_bytes(court_rows(1))  # the very bytes again: a workbook written a second later differs
    batch = batch_of(prosecutor, content=content)
    runner.confirm(batch, prosecutor)
    runner.run_import(batch.pk)
    client.force_login(prosecutor)
    response = upload(client, content, name="again.xlsx")
    assert response.status_code == 400
    assert f"batch #{batch.pk}" in response.content.decode()


def test_the_batch_list_runs_a_fixed_number_of_queries(
    court_kind: type[ImportKind], client: Client, unit_head: User, prosecutor: User, django_assert_max_num_queries: Any
) -> None:
    client.force_login(unit_head)
    batch_of(prosecutor, rows=1)
    client.get(reverse("imports:batch_list"))  # warm the per-request caches
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("imports:batch_list"))
    for number in range(20):
        content = csv_bytes(court_rows(1, start=number + 10))
        runner.upload("courts", f"c{number}.csv", [content], len(content), prosecutor)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("imports:batch_list"))
    assert response.content.count(b"/imports/batches/") >= 21


def test_the_template_download_needs_the_kinds_role(
    court_kind: type[ImportKind], client: Client, auditor: User
) -> None:
    client.force_login(auditor)
    assert client.get(reverse("imports:template", kwargs={"kind": "courts"})).status_code == 403
    assert client.get(reverse("imports:template", kwargs={"kind": "nothing"})).status_code in (403, 404)


def test_the_navigation_offers_import_registers_to_those_who_import_or_oversee(
    client: Client, prosecutor: User, auditor: User, fund_admin: User
) -> None:
    index = reverse("imports:index")
    for user, offered in ((prosecutor, True), (auditor, True), (fund_admin, False)):
        client.force_login(user)
        assert (f'href="{index}"' in client.get(reverse("core:home")).content.decode()) is offered, user


def test_a_large_preview_is_paged_and_keeps_its_rows_out_of_the_batchs_history(
    court_kind: type[ImportKind], client: Client, prosecutor: User, django_assert_max_num_queries: Any
) -> None:
    batch = batch_of(prosecutor, rows=150)
    assert batch.rows.count() == 150 and "plans" not in batch.preview
    assert all("plans" not in (record.preview or {}) for record in batch.history.all())
    client.force_login(prosecutor)
    url = reverse("imports:batch_detail", kwargs={"pk": batch.pk})
    first = client.get(url).content.decode()
    assert 'data-testid="preview-row-101"' in first and 'data-testid="preview-row-102"' not in first
    with django_assert_max_num_queries(20):
        second = client.get(url + "?page=2").content.decode()
    assert 'data-testid="preview-row-151"' in second and 'data-testid="preview-row-101"' not in second

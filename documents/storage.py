"""Where document files are kept: the ``documents`` storage of the ``STORAGES`` setting — a folder outside
the static and media paths by default, an S3-compatible bucket by configuration — never served by URL.

Files are written under a random name (``2026/07/<32 hex>``): nothing of what the user called the file
reaches the storage, so no name can climb out of it. A file is written only after every check has passed,
and ``kept_only_if_committed`` deletes the files written in a block that fails, so a refused or rolled-back
upload leaves no orphan behind.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import IO, Any

from django.core.files.base import File
from django.core.files.storage import Storage, storages
from django.utils import timezone
from django.utils.deconstruct import deconstructible

STORAGE_ALIAS = "documents"


def backend() -> Storage:
    """The configured storage, as the settings say now (tests point it at a temporary folder)."""
    return storages[STORAGE_ALIAS]


@deconstructible(path="documents.storage.DocumentStorage")
class DocumentStorage(Storage):
    """The document field's storage: every call goes to the ``documents`` storage configured *now*, so a
    change of ``STORAGES`` (a test's temporary folder) applies without reloading the model. It has no URL."""

    def _open(self, name: str, mode: str = "rb") -> File[Any]:
        return backend().open(name, mode)

    def _save(self, name: str, content: Any) -> str:
        return backend().save(name, content)

    def delete(self, name: str) -> None:
        backend().delete(name)

    def exists(self, name: str) -> bool:
        return backend().exists(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return backend().listdir(path)

    def size(self, name: str) -> int:
        return backend().size(name)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return backend().get_available_name(name, max_length)

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Documents are never served by URL: they are downloaded through the tracker.")


def new_name() -> str:
    """A fresh storage name: the month's folder and a random hex name, nothing the user chose."""
    return f"{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}"


# --- Files written in a block that fails are deleted -------------------------------------------------

_written: ContextVar[list[str] | None] = ContextVar("documents_written", default=None)


def write(content: IO[bytes]) -> str:
    """Write ``content`` under a new name and return the name; the enclosing ``kept_only_if_committed``
    block deletes it if the block fails."""
    name = backend().save(new_name(), File(content))
    written = _written.get()
    if written is not None:
        written.append(name)
    return name


@contextmanager
def kept_only_if_committed() -> Iterator[None]:
    """Files written inside the block are deleted if the block raises — wrap the transaction (``with
    kept_only_if_committed(): with transaction.atomic(): …``) so a failure anywhere in it, the commit
    included, removes them. Nested blocks hand their files to the enclosing one."""
    outer = _written.get()
    mine: list[str] = []
    token = _written.set(mine)
    try:
        yield
    except BaseException:
        for name in mine:
            backend().delete(name)
        raise
    finally:
        _written.reset(token)
    if outer is not None:
        outer.extend(mine)


def stored_names(root: str = "") -> Iterator[str]:
    """Every file in the documents storage, walked folder by folder (nothing held but the current folder)."""
    storage = backend()
    if root and not storage.exists(root):
        return
    try:
        folders, files = storage.listdir(root)
    except FileNotFoundError:
        return
    for file_name in sorted(files):
        yield f"{root}/{file_name}" if root else file_name
    for folder in sorted(folders):
        yield from stored_names(f"{root}/{folder}" if root else folder)

"""What can go wrong with an import batch, said to the person importing."""

from __future__ import annotations

from core.exceptions import DomainError


class ImportFailure(DomainError):
    """The base of the imports app's errors."""


class UnknownKind(ImportFailure):
    """A kind of register that does not exist, or that the user may not import."""

    field = "kind"


class DuplicateFile(ImportFailure):
    """The same file (by SHA-256) was already imported, or is being imported."""

    field = "file"


class BatchNotReady(ImportFailure):
    """A batch asked to do what its state does not allow (confirm one with errors, cancel one imported)."""

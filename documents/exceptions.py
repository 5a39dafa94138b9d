"""What can go wrong with a document, each a ``DomainError`` whose message is written for the user."""

from __future__ import annotations

from core.exceptions import DomainError


class DocumentError(DomainError):
    """A rule about documents was broken."""


class DocumentRefused(DocumentError):
    """The file itself is refused: too large, empty, of a type the tracker does not keep, or badly named."""

    field = "file"


class DuplicateDocument(DocumentError):
    """The same file (by its SHA-256) is already attached to this record."""

    field = "file"


class DocumentTypeNotAllowed(DocumentError):
    """This kind of paper does not belong on this kind of record."""

    field = "document_type"


class NotAllowedToAttach(DocumentError):
    """The user may not attach documents to this record (now)."""


class NotAllowedToWithdraw(DocumentError):
    """Only the unit head (the fund approver for fund records, another liaison for witness records)
    withdraws a document."""


class DocumentNotCurrent(DocumentError):
    """A superseded or withdrawn document cannot be superseded or withdrawn again."""


class ReasonRequired(DocumentError):
    field = "reason"

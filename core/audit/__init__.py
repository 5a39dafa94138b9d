"""The tamper-evident audit chain and the audit log.

- ``chain``: every history row (of every tracked model) and every sign-in event gets a link — a keyed
  digest over the row and the previous link — made in the writer's transaction when the head's lock is
  free, else sealed into a queue and linked right after the commit (``link_pending``); ``verify_chain``
  recomputes it.
- ``cases``: which case a history row belongs to (for the audit log's case filter).
- ``scopes``: which part of the audit log each role reads.
- ``log``: audit-log lines with their differences, in a fixed number of queries.
- ``checkpoints``: signed checkpoints of the chain, kept outside the database (a file, the auditors'
  e-mail) and checked by every verification.
- ``integrity``: the checks run besides the chain — the live tables against their history, and whatever
  other parts of the system register (``register_integrity_check``).
- ``verification``: one whole verification, as ``manage.py verify_audit`` and the Verify page run it.
- ``baseline``: history for the rows migrations create.

``core.models`` imports only ``manager``, which imports nothing of the chain: it sends a signal that
``signals`` connects, so the package has no import circle.
"""

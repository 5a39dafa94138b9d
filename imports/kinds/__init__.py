"""The kinds of register the tracker imports. Importing this package registers each kind (``base.KINDS``)."""

from imports.kinds import assets, cases, hearings  # noqa: F401  (each module registers its kind)

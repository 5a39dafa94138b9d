"""The identity vault's cryptography now lives in ``core.vault``, shared with the victims' vault; these
names stay importable here (the witnesses' migrations and code name ``witnesses.vault.EncryptedTextField``)."""

from __future__ import annotations

from core.vault import MASK, EncryptedTextField, Sealed, cipher, encrypt

__all__ = ["MASK", "EncryptedTextField", "Sealed", "cipher", "encrypt"]

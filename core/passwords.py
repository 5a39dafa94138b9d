"""Password hashing: Argon2id with OWASP's parameters (Password Storage Cheat Sheet: 19 MiB of memory,
2 iterations, 1 degree of parallelism), so that signing in costs tens of milliseconds on a 2-core server
while every guess costs an attacker the same 19 MiB.

Hashes made by the hashers listed after it in ``PASSWORD_HASHERS`` (PBKDF2, or Argon2 with Django's
defaults) keep verifying; Django re-hashes them with this one the next time their owner signs in.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher

OWASP_MEMORY_KIB = 19_456
OWASP_TIME_COST = 2
OWASP_PARALLELISM = 1


class OwaspArgon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id (Django's Argon2 hasher uses the ``id`` variant) at OWASP's recommended minimum cost.

    Its algorithm name stays ``argon2``: hashes with other Argon2 parameters are still verified by it and
    upgraded (``must_update``) when their owner signs in."""

    time_cost = OWASP_TIME_COST
    memory_cost = OWASP_MEMORY_KIB
    parallelism = OWASP_PARALLELISM

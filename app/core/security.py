"""API token secrets: random, shown once, stored as SHA-256."""

import hashlib
import hmac
import secrets

TOKEN_PREFIX = "cd_"


def new_token_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(secret: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is safe here; a slow password hash would only
    # slow every request. Lookup is by hash, so the secret is never compared character by character.
    return hashlib.sha256(secret.encode()).hexdigest()


def hash_matches(token_hash: str, stored_hash: str) -> bool:
    """Whether a looked-up token's stored hash is the one asked for, compared in constant time.

    The lookup already matched it, but a database's collation (case-insensitive or padding
    comparisons) could match more than the exact string; this check makes that a 401.
    """
    return hmac.compare_digest(token_hash.encode(), stored_hash.encode())


def display_prefix(secret: str) -> str:
    return secret[:10]

"""API token secrets: random, shown once, stored as SHA-256."""

import hashlib
import secrets

TOKEN_PREFIX = "cd_"


def new_token_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(secret: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is safe here; a slow password hash would only
    # slow every request. Lookup is by hash, so the secret is never compared character by character.
    return hashlib.sha256(secret.encode()).hexdigest()


def display_prefix(secret: str) -> str:
    return secret[:10]

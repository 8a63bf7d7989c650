"""Security headers on every response, worked out once at startup and appended as raw bytes."""

from collections.abc import Sequence

RawHeaders = list[tuple[bytes, bytes]]

# An API answers JSON and files: nothing in it may load or frame anything. Swagger UI and ReDoc
# load their scripts and styles, so the docs pages keep only the framing ban.
_API_CSP = b"default-src 'none'; frame-ancestors 'none'"
_DOCS_CSP = b"frame-ancestors 'none'"


class SecurityHeaders:
    def __init__(self, *, hsts_max_age: int, docs_paths: Sequence[str]) -> None:
        common: RawHeaders = [
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
        ]
        if hsts_max_age:
            value = f"max-age={hsts_max_age}; includeSubDomains".encode()
            common.append((b"strict-transport-security", value))
        self._api = [*common, (b"content-security-policy", _API_CSP)]
        self._docs = [*common, (b"content-security-policy", _DOCS_CSP)]
        self._docs_paths = tuple(path for path in docs_paths if path)

    def add(self, headers: RawHeaders, *, path: str, authenticated: bool) -> None:
        """Append the security headers, and for a response to a request with credentials, a
        ``Cache-Control`` if it has none: ``no-store``, or for a read carrying an ETag
        ``private, no-cache`` (a browser may keep it but must revalidate: 304 or new data)."""
        headers.extend(self._docs if path.startswith(self._docs_paths) else self._api)
        if not authenticated:
            return
        has_etag = False
        for name, _ in headers:
            lowered = name.lower()
            if lowered == b"cache-control":
                return
            has_etag = has_etag or lowered == b"etag"
        headers.append((b"cache-control", b"private, no-cache" if has_etag else b"no-store"))

"""Request rate limits per API token and per client address, and failed-authentication throttling,
counted by the `limits` library in Redis (shared by every process) or in process memory.

A token is known by a hash of the secret the request carries, so counting needs no database. A
client address that has failed bearer authentication too often gets 429 for every request with
credentials, before its token is looked up; its anonymous reads go on under the address limit.
If Redis cannot be reached, requests pass uncounted (a warning is logged at most once a minute):
an outage of the counters must not become an outage of the API.
"""

import hashlib
import math
import time
from dataclasses import dataclass

import structlog
from limits import RateLimitItem, parse_many
from limits.aio.storage import RedisStorage, Storage
from limits.aio.strategies import (
    FixedWindowRateLimiter,
    MovingWindowRateLimiter,
    RateLimiter,
    SlidingWindowCounterRateLimiter,
)
from limits.errors import StorageError
from redis.asyncio import ConnectionPool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.errors import TooManyRequests, app_error_response
from app.web.memory_counts import PacedMemoryStorage

logger = structlog.stdlib.get_logger("chaindock.rate_limit")

_STRATEGIES: dict[str, type[RateLimiter]] = {
    "fixed-window": FixedWindowRateLimiter,
    "moving-window": MovingWindowRateLimiter,
    "sliding-window-counter": SlidingWindowCounterRateLimiter,
}
_WARN_EVERY_SECONDS = 60.0
_MAX_THROTTLED = 10_000


def _items(notation: str) -> list[RateLimitItem]:
    return parse_many(notation) if notation else []


@dataclass(frozen=True)
class Refusal:
    detail: str
    retry_after: int


def _refused(what: str, item: RateLimitItem, until: float) -> Refusal:
    retry_after = max(1, math.ceil(until - time.time()))
    return Refusal(f"{what}: the limit is {item}. Retry after {retry_after} seconds.", retry_after)


class RateGuard:
    """The limits and their counters. The storage is opened in the app's lifespan, on the event
    loop that will use it, and closed at shutdown. A request costs one count per limit that
    applies to it (in Redis, one round trip each)."""

    def __init__(self, settings: Settings) -> None:
        self.per_token = _items(settings.rate_limit_per_token)
        self.per_ip = _items(settings.rate_limit_per_ip)
        self.failed_auth = _items(settings.rate_limit_failed_auth)
        self._strategy = _STRATEGIES[settings.rate_limit_strategy]
        self._redis_url = settings.redis_url
        self._key_prefix = settings.rate_limit_key_prefix
        self._pool: ConnectionPool | None = None
        self._limiter: RateLimiter | None = None
        self._warned_at = -_WARN_EVERY_SECONDS
        # addresses refused for failed authentications: until when, and by which limit
        self._throttled: dict[str, tuple[float, RateLimitItem]] = {}

    @property
    def backend(self) -> str:
        return "redis" if self._redis_url else "memory"

    async def open(self) -> None:
        storage: Storage
        if self._redis_url:
            self._pool = ConnectionPool.from_url(
                self._redis_url, socket_connect_timeout=0.5, socket_timeout=0.5
            )
            storage = RedisStorage(
                "async+" + self._redis_url,
                implementation="redispy",
                key_prefix=self._key_prefix,
                wrap_exceptions=True,
                connection_pool=self._pool,  # type: ignore[arg-type]
            )
        else:
            storage = PacedMemoryStorage()
        self._limiter = self._strategy(storage)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.aclose()
        self._pool = self._limiter = None

    async def check(self, address: str, token: str | None) -> Refusal | None:
        """Count this request; a refusal if it is over a limit (or its address is throttled)."""
        limiter = self._limiter
        if limiter is None:  # outside the lifespan (an app served without one)
            return None
        if token is not None and (refusal := self._auth_throttle(address)) is not None:
            return refusal
        try:
            for item in self.per_ip:
                if not await limiter.hit(item, "ip", address):
                    return await self._refusal(item, ("ip", address), "from your address")
            if token is not None:
                for item in self.per_token:
                    if not await limiter.hit(item, "token", token):
                        return await self._refusal(item, ("token", token), "with this token")
        except StorageError as exc:
            self._storage_failed(exc)
        return None

    async def record_failed_auth(self, address: str) -> None:
        """Count a failed authentication; the one that uses up a limit throttles the address.

        The throttle is kept in this process, so that a request with a token costs no extra
        look-up in Redis: another process learns of it at its own next failure from the address.
        """
        limiter = self._limiter
        if limiter is None:
            return
        try:
            for item in self.failed_auth:
                allowed = await limiter.hit(item, "auth", address)
                stats = await limiter.get_window_stats(item, "auth", address)
                if not allowed or stats.remaining <= 0:
                    self._throttle(address, stats.reset_time, item)
        except StorageError as exc:
            self._storage_failed(exc)

    def _throttle(self, address: str, until: float, item: RateLimitItem) -> None:
        if len(self._throttled) >= _MAX_THROTTLED:  # forget the ones whose time is up
            now = time.time()
            self._throttled = {a: t for a, t in self._throttled.items() if t[0] > now}
        self._throttled[address] = (until, item)

    def _auth_throttle(self, address: str) -> Refusal | None:
        throttled = self._throttled.get(address)
        if throttled is None:
            return None
        until, item = throttled
        if until <= time.time():
            del self._throttled[address]
            return None
        return _refused("Too many failed authentications from your address", item, until)

    async def _refusal(
        self, item: RateLimitItem, identifiers: tuple[str, str], source: str
    ) -> Refusal:
        assert self._limiter is not None
        stats = await self._limiter.get_window_stats(item, *identifiers)
        return _refused(f"Too many requests {source}", item, stats.reset_time)

    def _storage_failed(self, exc: StorageError) -> None:
        now = time.monotonic()
        if now - self._warned_at >= _WARN_EVERY_SECONDS:
            self._warned_at = now
            logger.warning("rate limits not counted: storage unavailable", error=str(exc))


def token_key(scope: Scope) -> str | None:
    """A short hash of the credentials the request carries, or None without any."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, credentials = value.partition(b" ")
            secret = credentials.strip() if scheme.lower() == b"bearer" else value
            return hashlib.sha256(secret).hexdigest()[:32]
    return None


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, *, guard: RateGuard, exempt_paths: frozenset[str]) -> None:
        self.app = app
        self.guard = guard
        self.exempt_paths = exempt_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.exempt_paths:
            await self.app(scope, receive, send)
            return
        address = scope["client"][0] if scope.get("client") else "unknown"
        token = token_key(scope)
        refusal = await self.guard.check(address, token)
        if refusal is not None:
            error = TooManyRequests(refusal.detail, retry_after=refusal.retry_after)
            await app_error_response(Request(scope), error)(scope, receive, send)
            return
        if token is None:
            await self.app(scope, receive, send)
            return
        status = 0

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, receive, send_noting_status)
        if status == 401:
            await self.guard.record_failed_auth(address)

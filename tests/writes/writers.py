"""Writer threads creating requirements in a loop, as a careful client does: every creation has
an Idempotency-Key, and on a 503 it is sent again with the same key until it succeeds.

Each thread makes creation after creation until told to stop, then finishes the one under way.
Every attempt is recorded with when it was sent and answered, so that a test can tell what the
API said before, during and after an outage, and check the database against what was
acknowledged.
"""

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

ITEMS = 3


@dataclass(frozen=True)
class Attempt:
    key: str
    sent: float
    done: float
    status: int  # 0: no answer within the client's timeout
    content_type: str = ""
    retry_after: str | None = None
    body: Any = None
    replayed: bool = False  # a 201 replayed for a key whose creation had been committed before

    @property
    def seconds(self) -> float:
        return self.done - self.sent


def title_of(key: str) -> str:
    return f"断网写入 {key}"


@dataclass
class Writers:
    url: str
    headers: dict[str, str]
    threads: int = 6
    timeout: float = 20.0  # the client's; the server must answer well within it
    pause: float = 0.05  # between a 503 and the retry
    attempts: list[Attempt] = field(default_factory=list)
    acknowledged: dict[str, int] = field(default_factory=dict)  # key -> id of its 201
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _workers: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        for w in range(self.threads):
            worker = threading.Thread(target=self._run, args=(w,), daemon=True)
            worker.start()
            self._workers.append(worker)

    def stop(self, within: float = 60) -> None:
        self._stop.set()
        for worker in self._workers:
            worker.join(timeout=within)
            assert not worker.is_alive(), "a writer did not finish its last creation"

    @property
    def keys(self) -> set[str]:
        return {a.key for a in self.attempts}

    def _run(self, w: int) -> None:
        with httpx.Client(base_url=self.url, headers=self.headers, timeout=self.timeout) as client:
            n = 0
            while not self._stop.is_set():
                self._create(client, f"w{w}-{n}")
                n += 1

    def _create(self, client: httpx.Client, key: str) -> None:
        body = {"title": title_of(key), "items": [{"name": f"部件 {i}"} for i in range(ITEMS)]}
        give_up = time.monotonic() + 60
        while time.monotonic() < give_up:
            sent = time.monotonic()
            try:
                response = client.post(
                    "/v1/requirements", json=body, headers={"Idempotency-Key": key}
                )
            except httpx.TransportError:
                self._record(Attempt(key, sent, time.monotonic(), 0))
                continue
            attempt = Attempt(
                key,
                sent,
                time.monotonic(),
                response.status_code,
                response.headers.get("content-type", ""),
                response.headers.get("retry-after"),
                response.json() if response.content else None,
                response.headers.get("idempotent-replayed") == "true",
            )
            self._record(attempt)
            if response.status_code == 201:
                with self._lock:
                    self.acknowledged[key] = attempt.body["id"]
                return
            if response.status_code != 503:
                return  # the test finds it among the attempts
            time.sleep(self.pause)

    def _record(self, attempt: Attempt) -> None:
        with self._lock:
            self.attempts.append(attempt)

    def between(self, start: float, end: float) -> list[Attempt]:
        """Attempts sent at or after ``start`` and answered by ``end``."""
        return [a for a in self.attempts if a.sent >= start and a.done <= end]

    def sent_after(self, start: float) -> list[Attempt]:
        return [a for a in self.attempts if a.sent >= start]

"""Load on loopback: uvicorn on PostgreSQL under a mixed load from wrk, figures printed.

    .venv/bin/python -m bench.load [--duration 20] [--connections 16] [--workers 2]

Needs PostgreSQL (``LOAD_DATABASE_URL``, default the local ``chaindock_load`` database, made
anew) and wrk (``apt-get install wrk``), a C load generator scripted in Lua, so that the load
costs the 2-core machine little next to the service. A demo season is written to the database,
members get tokens, ``chaindock serve`` (uvicorn, as in production) serves it with ``--workers``
processes, and wrk runs its rounds, each bounded in time (``--duration``) and in count
(``--requests``), after a warm-up round of the mixed load (``--warmup`` seconds, printed but held
to no target: a service that has just started has not yet read most postings, and its answers
from memory start empty):

- mixed: reads of single postings and lists, match calls and writes by members (new capabilities,
  edits of their own), each request drawn at random from the season's ids;
- cached read: one posting asked again and again with the ETag from before (``If-None-Match``,
  answered 304 without the body);
- hot read: one posting asked again and again without an ETag, as by many visitors at once
  (after the first, its public body is sent from memory).

Printed per round: requests, requests per second, p50/p95/p99 latency and errors (non-2xx/3xx
answers, socket errors and timeouts). Targets: mixed >= 500 req/s with p95 <= 100 ms and 0 errors;
cached read >= 2,000 req/s (the hot read has none).

wrk keeps ``--connections`` requests in flight (16 by default), each connection sending its next
request when its answer comes. 16 keep both cores busy: more connections add no throughput, only
waiting, since at a given throughput the time a request waits grows with the number in flight
(Little's law: 32 in flight at 600 req/s is 53 ms on average before any work). So the mixed load
runs once more with twice the connections, printed and held to no target, to show that queue.
"""

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx
from sqlalchemy import create_engine, or_, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.auth.service import issue_token
from app.db.session import build_engine
from app.demo.season import Sizes, build_season
from app.demo.seed import write_season
from app.demo.taxonomy import load_taxonomy
from app.models import Account, Capability, Requirement
from app.models.enums import Role
from bench.matching import ROOT, SEED, TODAY, migrate, say

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/chaindock_load"
SIZES = Sizes(enterprises=1500, requirements=1500, capabilities=8000)
MEMBERS = 200  # members with tokens, each writing for its own enterprise

# Per request kind: share of the mix (percent). Reads dominate, as on a docking platform.
MIX = {
    "read_requirement": 30,
    "read_capability": 15,
    "list_requirements": 10,
    "list_capabilities": 5,
    "match_requirement": 15,
    "match_capability": 10,
    "create_capability": 10,
    "edit_capability": 5,
}

LUA = Path(__file__).with_name("load.lua")


def fresh_database(url: str) -> None:
    """Drop and make the load database again, then migrate it."""
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    engine = build_engine(url)
    migrate(engine)
    engine.dispose()


def seed(url: str) -> dict[str, object]:
    """A demo season, tokens for members, and the ids the load script draws from."""
    engine = build_engine(url)
    started = time.perf_counter()
    with Session(engine) as session:
        counts = write_season(session, build_season(SEED, TODAY, SIZES), load_taxonomy(session))
        requirements = session.scalars(
            select(Requirement.id)
            .where(
                Requirement.status == "open",
                or_(Requirement.valid_until.is_(None), Requirement.valid_until >= date.today()),
            )
            .order_by(Requirement.id)
        ).all()
        capabilities = session.execute(
            select(Capability.id, Capability.enterprise_id, Capability.chain_id)
            .where(Capability.status == "open")
            .order_by(Capability.id)
        ).all()
        by_enterprise: dict[int, list[tuple[int, int | None]]] = {}
        for cap_id, enterprise_id, chain_id in capabilities:
            by_enterprise.setdefault(enterprise_id, []).append((cap_id, chain_id))
        members = []
        for enterprise_id in random.Random(SEED).sample(sorted(by_enterprise), MEMBERS):
            account = Account(
                name=f"load member {enterprise_id}",
                email=f"load{enterprise_id}@chaindock.local",
                role=Role.member,
                enterprise_id=enterprise_id,
            )
            session.add(account)
            session.flush()
            _, secret = issue_token(session, account, "bench.load", 1)
            own = by_enterprise[enterprise_id]
            members.append({"token": secret, "capability": own[0][0], "chain": own[0][1] or 1})
        session.commit()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))  # as autovacuum would after a bulk load
    engine.dispose()
    say(
        "season written",
        f"{counts['requirements']:,} requirements, {counts['capabilities']:,} capabilities, "
        f"{MEMBERS} member tokens in {time.perf_counter() - started:.1f} s",
    )
    return {
        "requirements": list(requirements),
        "capabilities": [c for c, _, _ in capabilities],
        "members": members,
    }


def load_data(ids: dict[str, object], port: int) -> str:
    """What the wrk script draws from, one record a line (Lua has no JSON), with the ETag of the
    posting the cached round asks for."""
    requirement = ids["requirements"][0]
    etag = httpx.get(f"http://127.0.0.1:{port}/v1/requirements/{requirement}").headers["ETag"]
    lines = [
        "requirements " + " ".join(map(str, ids["requirements"])),
        "capabilities " + " ".join(map(str, ids["capabilities"])),
        *(f"member {m['token']} {m['capability']} {m['chain']}" for m in ids["members"]),
        *(f"mix {kind} {share}" for kind, share in MIX.items()),
        f"etag {requirement} {etag}",
    ]
    return "\n".join(lines) + "\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        # One client on loopback plays many users: the per-IP limit would measure itself.
        "CHAINDOCK_RATE_LIMIT_PER_IP": os.environ.get(
            "CHAINDOCK_RATE_LIMIT_PER_IP", "1000000/minute"
        ),
        "CHAINDOCK_LOG_LEVEL": "ERROR",
    }
    # As in production: `chaindock serve` (uvicorn with the app's log set-up and settings).
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
        cwd=ROOT,
    )
    # Each worker builds its match index at start-up and is not ready (503) until it has: ask on
    # new connections, which land on any worker, until many answers in a row say ready.
    deadline, in_a_row = time.monotonic() + 300, 0
    while in_a_row < 10 * workers:
        if time.monotonic() > deadline:
            server.terminate()
            sys.exit("uvicorn did not get ready within 5 minutes")
        try:
            ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=30).status_code == 200
        except httpx.TransportError:
            ready = False
        in_a_row = in_a_row + 1 if ready else 0
        if not ready:
            time.sleep(0.5)
    return server


def wrk(
    port: int, data: Path, mode: str, duration: int, connections: int, requests: int
) -> dict[str, float]:
    env = {**os.environ, "LOAD_DATA": str(data), "LOAD_MODE": mode, "LOAD_REQUESTS": str(requests)}
    out = subprocess.run(
        [
            "wrk",
            "--threads",
            "2",
            "--connections",
            str(connections),
            "--duration",
            f"{duration}s",
            "--timeout",
            "5s",
            "--script",
            str(LUA),
            f"http://127.0.0.1:{port}",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        sys.exit(f"wrk failed: {out.stderr or out.stdout}")
    line = next(x for x in out.stdout.splitlines() if x.startswith("{"))
    return json.loads(line)


def report(label: str, figures: dict[str, float], target: str) -> None:
    say(
        label,
        f"{figures['requests']:,.0f} requests in {figures['seconds']:.1f} s: "
        f"{figures['rps']:,.0f} req/s, p50 {figures['p50']:.1f} ms, p95 {figures['p95']:.1f} ms, "
        f"p99 {figures['p99']:.1f} ms, errors {figures['errors']:.0f} ({target})",
    )
    if figures.get("statuses"):
        say("  answers by status", str(figures["statuses"]))


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds per round")
    parser.add_argument("--requests", type=int, default=50_000, help="most requests per round")
    parser.add_argument("--connections", type=int, default=16, help="requests in flight")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--warmup", type=int, default=20, help="seconds of mixed load first")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk (or brew install wrk)")
    url = os.environ.get("LOAD_DATABASE_URL", DEFAULT_URL)
    print(f"load on loopback: uvicorn x{args.workers} on {make_url(url).render_as_string()}")
    fresh_database(url)
    ids = seed(url)
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "ids.txt"
        started = time.perf_counter()
        server = serve(url, port, args.workers)
        say("service up, match index warm", f"{time.perf_counter() - started:.1f} s")
        try:
            data.write_text(load_data(ids, port))
            if args.warmup > 0:
                warm = wrk(port, data, "mixed", args.warmup, args.connections, args.requests)
                report("warm-up: mixed, just started", warm, "no target")
            mixed = wrk(port, data, "mixed", args.duration, args.connections, args.requests)
            report(
                f"mixed reads, match calls and writes, {args.connections} connections",
                mixed,
                "target >= 500 req/s, p95 <= 100 ms, 0 errors",
            )
            queued = wrk(port, data, "mixed", args.duration, 2 * args.connections, args.requests)
            report(f"mixed, {2 * args.connections} connections", queued, "no target")
            cached = wrk(port, data, "cached", args.duration, args.connections, args.requests)
            report("cached read of one posting (If-None-Match)", cached, "target >= 2,000 req/s")
            hot = wrk(port, data, "hot", args.duration, args.connections, args.requests)
            report("hot read of one posting (no ETag)", hot, "no target")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main(sys.argv[1:])

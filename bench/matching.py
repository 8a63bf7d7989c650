"""Matching benchmarks: latency, throughput, memory and quality, printed as figures.

    .venv/bin/python -m bench.matching            # every section (takes several minutes)
    .venv/bin/python -m bench.matching quality    # one section: quality | single | event | province

Data come from the demo season generator (``app.demo.season``) at the sizes each section names:
Chinese, English and mixed postings with synonyms, abbreviations and typos. Each section writes
its season into a fresh SQLite database and builds the index from it the way the API does
(``MatchKeeper``), so load, analysis and matching are all measured. Sections run in their own
process so that each one's peak memory is its own.
"""

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.db.session import build_engine
from app.db.types import utcnow
from app.demo.season import Sizes, build_season
from app.demo.seed import write_season
from app.demo.taxonomy import load_taxonomy
from app.matching.batch import default_workers, match_many
from app.matching.dependencies import default_options
from app.matching.engine import MatchEngine, Options
from app.matching.keeper import MatchKeeper
from app.matching.repository import live_postings
from app.matching.sheet import renderer
from app.models import Capability, Requirement
from app.postings.repository import options_for

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 23)
SEED = 2026


def say(label: str, value: str) -> None:
    print(f"  {label:<58} {value}", flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def migrate(engine: Engine) -> None:
    """``alembic upgrade head`` on the engine's database, as the service's migrate command does."""
    with engine.begin() as connection:
        config = Config(str(ROOT / "alembic.ini"))
        config.attributes["connection"] = connection
        config.attributes["configure_logging"] = False
        command.upgrade(config, "head")


def migrated_database(directory: Path) -> tuple[str, Engine]:
    url = f"sqlite:///{directory / 'bench.db'}"
    engine = build_engine(url)
    migrate(engine)
    return url, engine


def season_database(directory: Path, sizes: Sizes) -> tuple[str, Engine]:
    url, engine = migrated_database(directory)
    started = time.perf_counter()
    season = build_season(SEED, TODAY, sizes)
    with Session(engine) as session:
        counts = write_season(session, season, load_taxonomy(session))
        session.commit()
    say(
        "generated and stored",
        f"{counts['requirements']:,} requirements ({counts['requirement items']:,} items), "
        f"{counts['capabilities']:,} capabilities in {time.perf_counter() - started:.1f} s",
    )
    return url, engine


def build_index(engine: Engine) -> tuple[MatchKeeper, MatchEngine, list[Requirement]]:
    keeper = MatchKeeper()
    with Session(engine) as session:
        started = time.perf_counter()
        index = keeper.current(session, TODAY)
        say(
            "index built from the database",
            f"{time.perf_counter() - started:.1f} s for {len(index.supplies):,} open "
            f"capabilities, {len(index.demands):,} open requirements",
        )
        # Every requirement asks, whatever its status: an organiser previews drafts too.
        stmt = select(Requirement).options(*options_for(Requirement)).order_by(Requirement.id)
        requirements = list(session.scalars(stmt))
        session.expunge_all()
    return keeper, index, requirements


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


# --- sections -------------------------------------------------------------------------------


def single(directory: Path) -> None:
    """Top-10 capabilities for one requirement among 100,000: in-process and over HTTP."""
    print("top-10 for one requirement among 100,000 capabilities")
    url, engine = season_database(directory, Sizes(enterprises=4000, capabilities=100_000))
    keeper, index, requirements = build_index(engine)
    options, now = default_options(), utcnow()
    demands = [keeper.builder.demand(r) for r in requirements]
    for demand in demands[:5]:  # warm the typo-variant cache, as a running service has
        index.match_demand(demand, options, now=now, today=TODAY)
    latencies = [
        timed(lambda d=d: index.match_demand(d, options, now=now, today=TODAY)) for d in demands
    ]
    say(
        f"in-process, {len(latencies)} requirements: p50 / p95",
        f"{percentile(latencies, 50) * 1000:.1f} ms / {percentile(latencies, 95) * 1000:.1f} ms "
        "(target p95 <= 50 ms)",
    )
    say("peak memory of this process", f"{peak_mb():.0f} MB")
    engine_mean = statistics.mean(latencies)
    baselines(engine, requirements, keeper, engine_mean, scale_pairs=len(index.supplies))
    # Anonymous callers see open postings only, so the HTTP run asks about those.
    live = [r.id for r in requirements if r.status == "open" and (r.valid_until or TODAY) >= TODAY]
    over_http(url, live)


def baselines(
    engine: Engine,
    requirements: list[Requirement],
    keeper: MatchKeeper,
    engine_mean: float,
    scale_pairs: int,
) -> None:
    """(a) every pair scored with rapidfuzz cdist; (b) a per-pair Python loop with difflib."""
    import difflib

    import numpy as np
    from rapidfuzz import fuzz, process

    with Session(engine) as session:
        texts = [c.search_text for c in live_postings(session, Capability, TODAY)]
    queries = [" ".join(u.name for u in keeper.builder.demand(r).units) for r in requirements]
    sample = queries[:20]
    started = time.perf_counter()
    scores = process.cdist(sample, texts, scorer=fuzz.token_set_ratio, workers=-1)
    np.argpartition(-scores, 10, axis=1)[:, :10]
    cdist_each = (time.perf_counter() - started) / len(sample)
    started = time.perf_counter()
    for query in queries[:2]:
        matcher = difflib.SequenceMatcher(None, query)
        for text in texts:
            matcher.set_seq2(text)
            matcher.ratio()
    difflib_each = (time.perf_counter() - started) / 2
    say(
        f"(a) rapidfuzz cdist over all {scale_pairs:,} pairs, per requirement",
        f"{cdist_each * 1000:.1f} ms -> engine is {cdist_each / engine_mean:.1f}x faster",
    )
    say(
        "(b) difflib per-pair Python loop, per requirement",
        f"{difflib_each * 1000:.0f} ms -> engine is {difflib_each / engine_mean:.0f}x faster "
        "(target >= 50x)",
    )


def over_http(url: str, requirement_ids: list[int]) -> None:
    import httpx

    port = 8765
    env = {**os.environ, "DATABASE_URL": url}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=300) as client:
            for _ in range(100):
                try:
                    client.get("/healthz")
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            warm = timed(lambda: client.get(f"/v1/requirements/{requirement_ids[0]}/matches"))
            say("over HTTP: first call (builds the index)", f"{warm:.1f} s")
            latencies = []
            for rid in requirement_ids:
                started = time.perf_counter()
                response = client.get(f"/v1/requirements/{rid}/matches", params={"top": 10})
                latencies.append(time.perf_counter() - started)
                assert response.status_code == 200, response.text
            say(
                f"over HTTP, {len(latencies)} requirements: p50 / p95",
                f"{percentile(latencies, 50) * 1000:.1f} ms / "
                f"{percentile(latencies, 95) * 1000:.1f} ms",
            )
    finally:
        server.terminate()
        server.wait()


def match_all(label: str, sizes: Sizes, directory: Path, target: str, workers: int = 1) -> None:
    print(label)
    _, engine = season_database(directory, sizes)
    keeper, index, requirements = build_index(engine)
    options, now = Options(top=10, weights=default_options().weights), utcnow()
    demands = [keeper.builder.demand(r) for r in requirements]
    # Rendered as the season's match sheet rows (``chaindock export-matches``), which is also
    # what the forked workers send back.
    started = time.perf_counter()
    rows = match_many(
        index, demands, options, now=now, today=TODAY, render=renderer(index), workers=workers
    )
    found = sum(1 for part in rows for row in part if row[3] is not None)
    elapsed = time.perf_counter() - started
    say(
        f"top-10 for each of {len(demands):,} requirements, explained",
        f"{elapsed:.2f} s ({elapsed / len(demands) * 1000:.2f} ms each, {found:,} pairs, "
        f"{workers} process{'es' if workers > 1 else ''}) (target {target})",
    )
    say("peak memory of this process", f"{peak_mb():.0f} MB")
    if workers > 1:
        largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        say("peak memory of the largest worker (shares the index)", f"{largest:.0f} MB")


def event(directory: Path) -> None:
    match_all(
        "an event's match list: 300 requirements x 3,000 capabilities",
        Sizes(enterprises=600, requirements=300, capabilities=3000),
        directory,
        "<= 1 s",
    )


def province(directory: Path) -> None:
    match_all(
        "province scale: 20,000 requirements x 50,000 capabilities",
        Sizes(enterprises=8000, requirements=20_000, capabilities=50_000),
        directory,
        "<= 60 s",
        workers=default_workers(),
    )


def quality(directory: Path) -> None:
    from bench.quality import run

    print("quality on the labelled set (bench/labelled.py)")
    _, engine = migrated_database(directory)
    run(engine, say)


SECTIONS = {"quality": quality, "event": event, "single": single, "province": province}


def main(argv: list[str]) -> None:
    names = argv or list(SECTIONS)
    if len(names) > 1:  # each section in a process of its own, for honest peak memory
        for name in names:
            subprocess.run([sys.executable, "-m", "bench.matching", name], check=True, cwd=ROOT)
        return
    print(f"[{os.cpu_count()} CPUs, Python {sys.version.split()[0]}]", flush=True)
    with tempfile.TemporaryDirectory() as directory:
        SECTIONS[names[0]](Path(directory))


if __name__ == "__main__":
    main(sys.argv[1:])

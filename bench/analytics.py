"""Chain analytics at province scale: coverage of one chain's demand in one province.

    .venv/bin/python -m bench.analytics                 # generates the 20,000 x 50,000 season
    .venv/bin/python -m bench.analytics --database var/bench.db   # reuse a season written before

The season is the matching benchmark's province one (``bench.matching``): 20,000 requirements
and 50,000 capabilities of 8,000 enterprises, most in Zhejiang. The index is built first, as the
service does at startup; then the full analysis (every open requirement of the chain with a buyer
in Zhejiang, item by item, against every capability) is timed cold, and the three views after it.
"""

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.analytics import coverage_service, coverage_views
from app.analytics.coverage_service import CoverageQuery
from app.db.session import build_engine
from app.demo.season import Sizes
from app.matching.keeper import MatchKeeper
from app.models import Chain
from bench.matching import TODAY, peak_mb, say, season_database

PROVINCE = "330000"  # Zhejiang
SIZES = Sizes(enterprises=8000, requirements=20_000, capabilities=50_000)


def run(url: str) -> None:
    engine = build_engine(url)
    keeper = MatchKeeper()
    with Session(engine) as session:
        started = time.perf_counter()
        index = keeper.current(session, TODAY)
        say(
            "index built from the database",
            f"{time.perf_counter() - started:.1f} s ({len(index.supplies):,} open capabilities, "
            f"{len(index.demands):,} open requirements)",
        )
        chains = list(session.scalars(select(Chain).order_by(Chain.id)))
        per_chain = Counter(
            index.tree.chain[n]
            for d in index.demands.values()
            for n in d.node_ids
            if n in index.tree.chain
        )
        chain = max(chains, key=lambda c: per_chain[c.id])  # the busiest chain
        for k, min_score in ((3, 50.0), (5, 60.0)):
            query = CoverageQuery(chain.id, PROVINCE, None, k, min_score)
            started = time.perf_counter()
            analysis = coverage_service.analyse(session, keeper, query, TODAY)
            elapsed = time.perf_counter() - started
            found = coverage_views.coverage(analysis)
            totals = found.totals
            say(
                f"coverage of {chain.slug} in Zhejiang, k={k}, score >= {min_score:g}",
                f"{elapsed:.2f} s (target <= 10 s): {totals.requirements:,} requirements, "
                f"{totals.items:,} items over {len(found.nodes)} nodes; "
                f"{totals.covered_items:,} covered ({(totals.covered_share or 0):.1%}), "
                f"{totals.stuck_items:,} stuck-neck items, "
                f"{totals.qualified_local_suppliers:,} qualified local suppliers",
            )
            started = time.perf_counter()
            weak = coverage_views.weak_links(
                coverage_service.analyse(session, keeper, query, TODAY), 10
            )
            single = coverage_views.single_source(
                coverage_service.analyse(session, keeper, query, TODAY)
            )
            say(
                "weak links and single-source views of the kept analysis",
                f"{time.perf_counter() - started:.2f} s: {len(weak.links)} weak links, "
                f"{sum(w.status == 'stuck_neck' for w in weak.links)} stuck-neck, "
                f"{len(single.items):,} single-source items",
            )
    say("peak memory of this process", f"{peak_mb():.0f} MB")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", type=Path, help="a season database to reuse (SQLite)")
    args = parser.parse_args(argv)
    print(f"[{os.cpu_count()} CPUs, Python {sys.version.split()[0]}]", flush=True)
    print("chain analytics at province scale: 20,000 requirements x 50,000 capabilities")
    if args.database is not None:
        run(f"sqlite:///{args.database}")
        return
    with tempfile.TemporaryDirectory() as directory:
        url, _ = season_database(Path(directory), SIZES)
        run(url)


if __name__ == "__main__":
    main(sys.argv[1:])

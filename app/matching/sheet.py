"""The season's match sheet: every open requirement with its best capabilities, a row each.

Organisers plan a season's docking sessions from it, and a requirement whose row has no
capability is a stuck-neck link to recruit suppliers for. ``chaindock export-matches`` writes it
as CSV or XLSX; matching runs on every core (``app.matching.batch``).
"""

from collections.abc import Callable, Iterable
from datetime import date, datetime

from app.events.exports import Cell, Table
from app.matching.batch import match_many
from app.matching.engine import MatchEngine
from app.matching.model import DemandMatches, Options

HEADINGS = (
    "requirement_id",
    "requirement",
    "buyer",
    "rank",
    "capability_id",
    "capability",
    "supplier",
    "supplier_region",
    "score",
    "items_covered",
    "items",
    "covered_item_names",
    "items_without_candidates",
    "main_reasons",
)
Row = tuple[Cell, ...]


def renderer(engine: MatchEngine) -> Callable[[DemandMatches], list[Row]]:
    """A requirement's answer as sheet rows: one per ranked capability, or a single row with
    the capability columns empty when none fits."""

    def rows(found: DemandMatches) -> list[Row]:
        demand = found.demand
        head: Row = (demand.id, demand.title, demand.party.name)
        bare = "; ".join(i.unit.name for i in found.items if not i.ranked)
        total = len(demand.units)
        if not found.ranked:
            return [(*head, None, None, None, None, None, None, 0, total, "", bare, "")]
        out: list[Row] = []
        for rank, pair in enumerate(found.ranked, start=1):
            supply = engine.supplies[pair.capability_id]
            place = supply.party.place
            covered = pair.covered_items
            out.append(
                (
                    *head,
                    rank,
                    supply.id,
                    supply.title,
                    supply.party.name,
                    None if place is None else place.code,
                    round(pair.score, 2),
                    len(covered),
                    total,
                    "; ".join(i.name for i in covered),
                    bare,
                    "; ".join(pair.main_reasons()),
                )
            )
        return out

    return rows


def match_sheet(
    engine: MatchEngine, options: Options, *, now: datetime, today: date, workers: int
) -> Table:
    """The sheet for every open requirement not past its valid-until date, by id."""
    demands = [
        engine.demands[i]
        for i in sorted(engine.demands)
        if (engine.demands[i].valid_until or today) >= today
    ]
    found: Iterable[list[Row]] = match_many(
        engine, demands, options, now=now, today=today, render=renderer(engine), workers=workers
    )
    return Table("matches", HEADINGS, [row for rows in found for row in rows])

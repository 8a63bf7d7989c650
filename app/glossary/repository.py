from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session, selectinload

from app.core.text import normalise
from app.models import GlossaryEntry, GlossaryTerm


def get_entry(session: Session, entry_id: int) -> GlossaryEntry | None:
    stmt = (
        select(GlossaryEntry)
        .options(selectinload(GlossaryEntry.terms))
        .where(GlossaryEntry.id == entry_id)
    )
    return session.scalars(stmt).one_or_none()


def find_by_canonical(session: Session, canonical: str) -> GlossaryEntry | None:
    return session.scalars(
        select(GlossaryEntry).where(GlossaryEntry.canonical == canonical)
    ).one_or_none()


def owners_of(session: Session, normalised: list[str]) -> dict[str, int]:
    """Which entry each normalised spelling already belongs to."""
    stmt = select(GlossaryTerm.normalised, GlossaryTerm.entry_id).where(
        GlossaryTerm.normalised.in_(normalised)
    )
    return {term: entry_id for term, entry_id in session.execute(stmt)}


def entries_select(*, chain_id: int | None, contains: str | None) -> Select[tuple[GlossaryEntry]]:
    conditions: list[ColumnElement[bool]] = []
    if chain_id is not None:
        conditions.append(GlossaryEntry.chain_id == chain_id)
    if contains:
        conditions.append(
            or_(
                GlossaryEntry.canonical.icontains(contains, autoescape=True),
                GlossaryEntry.id.in_(
                    select(GlossaryTerm.entry_id).where(
                        GlossaryTerm.normalised.contains(normalise(contains), autoescape=True)
                    )
                ),
            )
        )
    return select(GlossaryEntry).options(selectinload(GlossaryEntry.terms)).where(*conditions)


def spelling_map(session: Session) -> dict[str, str]:
    """Every spelling with its entry's canonical name: what the text analyser needs."""
    stmt = select(GlossaryTerm.spelling, GlossaryEntry.canonical).join(
        GlossaryEntry, GlossaryEntry.id == GlossaryTerm.entry_id
    )
    return {spelling: canonical for spelling, canonical in session.execute(stmt)}

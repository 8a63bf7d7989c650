"""The glossary organisers keep: concepts and their spellings, one owner per spelling."""

from sqlalchemy.orm import Session

from app.core.etag import check_if_match, touch_if_changed
from app.core.pagination import PageParams, Sort, keyset_page
from app.core.text import normalise
from app.db.collections import sync_rows
from app.errors import Conflict, NotFound, Unprocessable
from app.glossary import repository
from app.glossary.schemas import GlossaryEntryCreate, GlossaryEntryUpdate
from app.matching.analysis import Analyser
from app.models import Chain, GlossaryEntry, GlossaryTerm

SORTS = {"canonical", "created_at", "updated_at"}


class GlossaryEntryNotFound(NotFound):
    def __init__(self, entry_id: int) -> None:
        super().__init__(f"Glossary entry {entry_id} does not exist.")


def get(session: Session, entry_id: int) -> GlossaryEntry:
    entry = repository.get_entry(session, entry_id)
    if entry is None:
        raise GlossaryEntryNotFound(entry_id)
    return entry


def list_entries(
    session: Session, page: PageParams, *, chain_id: int | None, q: str | None, sort: str
) -> tuple[list[GlossaryEntry], str | None]:
    order = Sort.parse(sort, SORTS)
    stmt = repository.entries_select(chain_id=chain_id, contains=q)
    column = getattr(GlossaryEntry, order.key)
    return keyset_page(
        session, stmt, sort=order, column=column, id_column=GlossaryEntry.id, page=page
    )


def _check_canonical(session: Session, canonical: str, entry_id: int | None = None) -> None:
    existing = repository.find_by_canonical(session, canonical)
    if existing is not None and existing.id != entry_id:
        raise Conflict(
            f"Glossary entry {existing.id} already has the canonical name '{canonical}'."
        )


def _check_chain(session: Session, chain_id: int | None) -> None:
    if chain_id is not None and session.get(Chain, chain_id) is None:
        raise Unprocessable(f"Chain {chain_id} does not exist.", field="body.chain_id")


def _set_spellings(
    session: Session, entry: GlossaryEntry, canonical: str, spellings: list[str]
) -> None:
    """The canonical name counts as a spelling; a spelling owned by another entry is a 409."""
    by_form: dict[str, str] = {}
    for spelling in [*spellings, canonical]:
        by_form.setdefault(normalise(spelling), spelling)
    owners = repository.owners_of(session, list(by_form))
    taken = {form: owner for form, owner in owners.items() if owner != entry.id}
    if taken:
        listed = ", ".join(f"'{by_form[f]}' (entry {owner})" for f, owner in sorted(taken.items()))
        raise Conflict(f"These spellings already belong to other glossary entries: {listed}.")
    positions = {form: i for i, form in enumerate(by_form)}
    sync_rows(
        entry.terms,
        by_form,
        lambda term: term.normalised,
        lambda form: GlossaryTerm(normalised=form, spelling=by_form[form]),
    )
    for term in entry.terms:
        term.spelling, term.position = by_form[term.normalised], positions[term.normalised]


def create(session: Session, data: GlossaryEntryCreate) -> GlossaryEntry:
    _check_canonical(session, data.canonical)
    _check_chain(session, data.chain_id)
    entry = GlossaryEntry(
        canonical=data.canonical, chain_id=data.chain_id, description=data.description
    )
    entry.terms = []
    session.add(entry)
    session.flush()
    _set_spellings(session, entry, data.canonical, data.spellings)
    session.flush()
    return get(session, entry.id)


def update(
    session: Session, entry_id: int, data: GlossaryEntryUpdate, if_match: str | None
) -> GlossaryEntry:
    entry = get(session, entry_id)
    check_if_match(if_match, entry)
    changes = data.model_dump(exclude_unset=True)
    for key in ("canonical", "spellings", "description"):
        if key in changes and changes[key] is None:
            raise Unprocessable(f"{key} cannot be null.", field=f"body.{key}")
    canonical = changes.get("canonical", entry.canonical)
    _check_canonical(session, canonical, entry.id)
    if "chain_id" in changes:
        _check_chain(session, changes["chain_id"])
    spellings = changes.pop("spellings", None)
    if spellings is not None or "canonical" in changes:
        old_canonical = normalise(entry.canonical)
        kept = (
            spellings
            if spellings is not None
            else [s for s in entry.spellings if normalise(s) != old_canonical]
        )
        _set_spellings(session, entry, canonical, kept)
    for key, value in changes.items():
        setattr(entry, key, value)
    touch_if_changed(session, entry, entry.terms)  # a spelling change moves the ETag too
    session.flush()
    entry_id = entry.id  # read before expiring: after, it would cost a query of its own
    session.expire(entry)
    return get(session, entry_id)


def delete(session: Session, entry_id: int, if_match: str | None) -> None:
    entry = get(session, entry_id)
    check_if_match(if_match, entry)
    session.delete(entry)
    session.flush()


def analyse(session: Session, text: str) -> list[str]:
    return Analyser(repository.spelling_map(session)).tokens(text)

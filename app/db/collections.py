from collections.abc import Callable, Iterable
from typing import Any, TypeVar

Row = TypeVar("Row")


def sync_rows(
    rows: list[Row], wanted: Iterable[Any], key: Callable[[Row], Any], make: Callable[[Any], Row]
) -> None:
    """Make an association collection hold exactly ``wanted`` keys, keeping rows that stay.

    Replacing the whole list would delete and re-insert rows with the same primary key in one
    flush, which the ORM refuses; this removes, keeps and adds instead.
    """
    wanted = list(dict.fromkeys(wanted))
    keep = set(wanted)
    for row in [r for r in rows if key(r) not in keep]:
        rows.remove(row)
    present = {key(r) for r in rows}
    rows.extend(make(k) for k in wanted if k not in present)

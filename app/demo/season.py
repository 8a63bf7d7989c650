"""`build_season`: a deterministic docking season as plain data (no database).

Each part draws from its own random stream named after the seed, so asking for more
capabilities (a benchmark's 100,000) leaves the enterprises and requirements as they were.
"""

from datetime import date

from app.demo.capabilities import build_capabilities
from app.demo.firms import build_enterprises
from app.demo.requirements import build_requirements
from app.demo.specs import Season, Sizes

__all__ = ["Season", "Sizes", "build_season"]


def build_season(seed: int = 2026, today: date | None = None, sizes: Sizes | None = None) -> Season:
    """The same seed, day and sizes always give an equal Season; dates are relative to ``today``."""
    today = today or date.today()
    sizes = sizes or Sizes()
    firms = build_enterprises(seed, sizes.enterprises)
    return Season(
        seed=seed,
        today=today,
        enterprises=firms,
        requirements=build_requirements(seed, firms, sizes.requirements, today),
        capabilities=build_capabilities(seed, firms, sizes.capabilities),
    )

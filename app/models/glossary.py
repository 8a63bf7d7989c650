from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, IdMixin, TimestampMixin, VersionedMixin


class GlossaryEntry(IdMixin, TimestampMixin, VersionedMixin, Base):
    """One concept and its spellings: PV = photovoltaic = 光伏; normalisation maps each to `canonical`."""

    __tablename__ = "glossary_entries"

    canonical: Mapped[str] = mapped_column(String(64), unique=True)
    chain_id: Mapped[int | None] = mapped_column(
        ForeignKey("chains.id", ondelete="SET NULL"), index=True
    )
    description: Mapped[str] = mapped_column(Text, default="")

    terms: Mapped[list["GlossaryTerm"]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="GlossaryTerm.position",
    )

    @property
    def spellings(self) -> list[str]:
        return [term.spelling for term in self.terms]


class GlossaryTerm(Base):
    """A spelling of a glossary entry; its normalised form belongs to one entry only."""

    __tablename__ = "glossary_terms"

    normalised: Mapped[str] = mapped_column(String(64), primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("glossary_entries.id", ondelete="CASCADE"), index=True
    )
    spelling: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(default=0)

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.text import search_text
from app.db.base import Base, IdMixin, TimestampMixin, VersionedMixin
from app.db.types import enum_column
from app.models.enums import EnterpriseKind, Tier
from app.models.region import Region


class Enterprise(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A docking participant: a firm, or a university, institute, bank or association."""

    __tablename__ = "enterprises"
    __table_args__ = (Index("ix_enterprises_updated_at", "updated_at"),)  # the match keeper

    name: Mapped[str] = mapped_column(String(200), index=True)
    name_en: Mapped[str | None] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)  # unified social credit code
    kind: Mapped[EnterpriseKind] = mapped_column(enum_column(EnterpriseKind), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str | None] = mapped_column(String(255))
    contact_person: Mapped[str | None] = mapped_column(String(64))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    verified: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    search_text: Mapped[str] = mapped_column(Text, default="")

    region: Mapped[Region] = relationship(lazy="raise")
    tier_rows: Mapped[list["EnterpriseTier"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )
    chain_rows: Mapped[list["EnterpriseChain"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def tiers(self) -> list[Tier]:
        return sorted((row.tier for row in self.tier_rows), key=list(Tier).index)

    @property
    def chain_ids(self) -> list[int]:
        return sorted(row.chain_id for row in self.chain_rows)

    def refresh_search_text(self) -> None:
        """Call after changing the name or description: lists search by this column."""
        self.search_text = search_text(self.name, self.name_en, self.description)


class EnterpriseTier(Base):
    __tablename__ = "enterprise_tiers"

    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), primary_key=True
    )
    tier: Mapped[Tier] = mapped_column(enum_column(Tier), primary_key=True, index=True)


class EnterpriseChain(Base):
    __tablename__ = "enterprise_chains"

    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), primary_key=True
    )
    chain_id: Mapped[int] = mapped_column(
        ForeignKey("chains.id", ondelete="CASCADE"), primary_key=True, index=True
    )

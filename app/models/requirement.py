from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.text import search_text
from app.db.base import Base, IdMixin, TimestampMixin, VersionedMixin
from app.db.types import JSONType, enum_column
from app.models.enterprise import Enterprise
from app.models.enums import DockingKind, LocalityPreference, RequirementStatus


class Requirement(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A buyer's posting (需求): what a chain owner or other enterprise is looking for."""

    __tablename__ = "requirements"
    __table_args__ = (
        Index("ix_requirements_status_valid_until", "status", "valid_until"),
        Index("ix_requirements_updated_at", "updated_at"),  # the match keeper asks what changed
        Index("ix_requirements_created_at_id", "created_at", "id"),  # lists, newest first
    )

    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    kind: Mapped[DockingKind] = mapped_column(enum_column(DockingKind), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    chain_id: Mapped[int | None] = mapped_column(ForeignKey("chains.id"), index=True)
    budget_yuan: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    project_name: Mapped[str | None] = mapped_column(String(200))
    project_investment_yuan: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    delivery_region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    locality_preference: Mapped[LocalityPreference] = mapped_column(enum_column(LocalityPreference))
    certifications_required: Mapped[list[str]] = mapped_column(JSONType, default=list)
    valid_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[RequirementStatus] = mapped_column(enum_column(RequirementStatus))
    search_text: Mapped[str] = mapped_column(Text, default="")

    enterprise: Mapped[Enterprise] = relationship(lazy="raise")
    items: Mapped[list["RequirementItem"]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="RequirementItem.position",
    )
    node_rows: Mapped[list["RequirementNode"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def node_ids(self) -> list[int]:
        return sorted(row.node_id for row in self.node_rows)

    def refresh_search_text(self) -> None:
        """Call after changing the text or the items (they must be loaded): lists search by it."""
        item_text = [part for item in self.items for part in (item.name, item.spec)]
        self.search_text = search_text(self.title, self.description, self.project_name, *item_text)


class RequirementNode(Base):
    __tablename__ = "requirement_nodes"

    requirement_id: Mapped[int] = mapped_column(
        ForeignKey("requirements.id", ondelete="CASCADE"), primary_key=True
    )
    node_id: Mapped[int] = mapped_column(ForeignKey("chain_nodes.id"), primary_key=True, index=True)


class RequirementItem(IdMixin, Base):
    """One line of a requirement: "junction boxes, IP68, 200,000 sets"."""

    __tablename__ = "requirement_items"

    requirement_id: Mapped[int] = mapped_column(
        ForeignKey("requirements.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    spec: Mapped[str] = mapped_column(Text, default="")
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(18, 3))
    unit: Mapped[str | None] = mapped_column(String(32))
    target_price_yuan: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    node_id: Mapped[int | None] = mapped_column(ForeignKey("chain_nodes.id"), index=True)

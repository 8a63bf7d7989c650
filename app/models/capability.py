from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.text import search_text
from app.db.base import Base, IdMixin, TimestampMixin, VersionedMixin
from app.db.types import JSONType, enum_column
from app.models.enterprise import Enterprise
from app.models.enums import CapabilityStatus, CapacityPeriod, DockingKind


class Capability(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A supplier's posting (供给): what an enterprise can make, do, lend or teach."""

    __tablename__ = "capabilities"
    __table_args__ = (
        Index("ix_capabilities_updated_at", "updated_at"),  # the match keeper asks what changed
        Index("ix_capabilities_created_at_id", "created_at", "id"),  # lists, newest first
    )

    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    kind: Mapped[DockingKind] = mapped_column(enum_column(DockingKind), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list[str]] = mapped_column(JSONType, default=list)
    chain_id: Mapped[int | None] = mapped_column(ForeignKey("chains.id"), index=True)
    capacity_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 3))
    capacity_unit: Mapped[str | None] = mapped_column(String(32))
    capacity_period: Mapped[CapacityPeriod | None] = mapped_column(enum_column(CapacityPeriod))
    min_order_quantity: Mapped[Decimal | None] = mapped_column(Numeric(18, 3))
    certifications: Mapped[list[str]] = mapped_column(JSONType, default=list)
    status: Mapped[CapabilityStatus] = mapped_column(enum_column(CapabilityStatus), index=True)
    search_text: Mapped[str] = mapped_column(Text, default="")

    enterprise: Mapped[Enterprise] = relationship(lazy="raise")
    node_rows: Mapped[list["CapabilityNode"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )
    region_rows: Mapped[list["CapabilityRegion"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )
    cluster_rows: Mapped[list["CapabilityCluster"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def node_ids(self) -> list[int]:
        return sorted(row.node_id for row in self.node_rows)

    def refresh_search_text(self) -> None:
        """Call after changing the title, description or keywords: lists search by this column."""
        self.search_text = search_text(self.title, self.description, *self.keywords)

    @property
    def regions_served(self) -> list[str]:
        """Region codes and cluster codes this capability serves; empty means nationwide."""
        return sorted(row.region_code for row in self.region_rows) + sorted(
            row.cluster_code for row in self.cluster_rows
        )


class CapabilityNode(Base):
    __tablename__ = "capability_nodes"

    capability_id: Mapped[int] = mapped_column(
        ForeignKey("capabilities.id", ondelete="CASCADE"), primary_key=True
    )
    node_id: Mapped[int] = mapped_column(ForeignKey("chain_nodes.id"), primary_key=True, index=True)


class CapabilityRegion(Base):
    __tablename__ = "capability_regions"

    capability_id: Mapped[int] = mapped_column(
        ForeignKey("capabilities.id", ondelete="CASCADE"), primary_key=True
    )
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), primary_key=True)


class CapabilityCluster(Base):
    __tablename__ = "capability_clusters"

    capability_id: Mapped[int] = mapped_column(
        ForeignKey("capabilities.id", ondelete="CASCADE"), primary_key=True
    )
    cluster_code: Mapped[str] = mapped_column(ForeignKey("clusters.code"), primary_key=True)

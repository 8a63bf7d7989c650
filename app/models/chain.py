from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, IdMixin, TimestampMixin, VersionedMixin
from app.db.types import enum_column
from app.models.enums import ChainPosition


class Chain(IdMixin, TimestampMixin, VersionedMixin, Base):
    """An industrial chain (产业链), e.g. photovoltaics; its nodes form a tree."""

    __tablename__ = "chains"

    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name_zh: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str] = mapped_column(String(128))
    description: Mapped[str] = mapped_column(Text, default="")

    nodes: Mapped[list["ChainNode"]] = relationship(
        back_populates="chain", lazy="raise", order_by="ChainNode.sort_order, ChainNode.id"
    )


class ChainNode(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A link of a chain (环节): a material, component, product or service, placed up/mid/downstream."""

    __tablename__ = "chain_nodes"
    __table_args__ = (UniqueConstraint("chain_id", "slug"),)

    chain_id: Mapped[int] = mapped_column(ForeignKey("chains.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("chain_nodes.id"), index=True)
    slug: Mapped[str] = mapped_column(String(64))
    name_zh: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str] = mapped_column(String(128))
    position: Mapped[ChainPosition] = mapped_column(enum_column(ChainPosition))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text, default="")

    chain: Mapped[Chain] = relationship(back_populates="nodes", lazy="raise")

from dataclasses import dataclass
from datetime import datetime

from app.models.enums import Role, TokenScope


@dataclass(frozen=True)
class Principal:
    """Who is calling: an authenticated account, or nobody (anonymous reads)."""

    account_id: int | None
    role: Role | None
    enterprise_id: int | None
    token_expires_at: datetime | None = None  # of the token the request came with
    scopes: frozenset[TokenScope] = frozenset()  # of the token the request came with

    @property
    def is_anonymous(self) -> bool:
        return self.account_id is None

    @property
    def is_staff(self) -> bool:
        """Admins and organisers see everything and may act for any enterprise."""
        return self.role in (Role.admin, Role.organiser)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.admin

    def manages_account(self, role: Role, account_id: int) -> bool:
        """Whether the principal may act on another account: its own, any for admins, members'
        for organisers (who create member accounts)."""
        return (
            account_id == self.account_id
            or self.is_admin
            or (self.role is Role.organiser and role is Role.member)
        )

    def acts_for(self, enterprise_id: int) -> bool:
        return self.is_staff or (
            self.enterprise_id is not None and self.enterprise_id == enterprise_id
        )


ANONYMOUS = Principal(account_id=None, role=None, enterprise_id=None)

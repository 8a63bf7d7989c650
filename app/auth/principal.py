from dataclasses import dataclass

from app.models.enums import Role


@dataclass(frozen=True)
class Principal:
    """Who is calling: an authenticated account, or nobody (anonymous reads)."""

    account_id: int | None
    role: Role | None
    enterprise_id: int | None

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

    def acts_for(self, enterprise_id: int) -> bool:
        return self.is_staff or (
            self.enterprise_id is not None and self.enterprise_id == enterprise_id
        )


ANONYMOUS = Principal(account_id=None, role=None, enterprise_id=None)

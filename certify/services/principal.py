"""Who is acting: the user behind a token, detached from any session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Role = Literal["admin", "certifier", "inspector", "artisan"]
ROLES: tuple[Role, ...] = get_args(Role)


@dataclass(frozen=True, slots=True)
class Principal:
    id: int
    name: str
    role: Role
    holder_id: int | None  # artisans only: the workshop they belong to

    def sees_everything(self) -> bool:
        """Admins and certifiers read every holder's records."""
        return self.role in ("admin", "certifier")

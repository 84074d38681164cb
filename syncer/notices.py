"""What a command tells a person that does not stop it: a warning, or an error listed before
the InputError that counts them. Shared by the run (syncer.app) and the light commands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from syncer.models import Catalog


@dataclass(frozen=True)
class Notice:
    """Something a person should know that does not stop the command by itself: a
    `warning`, or an `error` listed before the InputError that counts them."""

    text: str
    level: Literal["warning", "error"] = "warning"

    def __str__(self) -> str:
        return f"{self.level}: {self.text}"


def catalog_notices(catalog: Catalog) -> list[Notice]:
    """What reading the catalog's documents skipped or could not read, at its line."""
    return [Notice(f"{notice.document}:{notice.line}: {notice.message}") for notice in catalog.notices]

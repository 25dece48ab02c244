"""What one returned survey list holds: its respondents, as read and checked.

Shared by the reader (:mod:`.read`) and the checks across lists (:mod:`.checks`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field

from parcli.collect.form import FormResult
from parcli.config.lists_plan import GroupKind


class Respondent(BaseModel):
    """One nominated person as read from a list: normalised values, where they came from, accepted or not.

    Values that failed their check are left empty (``None``/``""``); ``accepted``
    is True only for a row without errors (and not a duplicate of an earlier row).
    """

    model_config = ConfigDict(extra="forbid")

    unit_id: str
    kind: GroupKind
    group_id: str | None = None
    name: str = ""
    position: str = ""
    agency: str = ""
    email: str | None = Field(default=None, pattern=r"^[^@\sA-Z]+@[^@\sA-Z]+$")
    phone: str | None = Field(default=None, pattern=r"^0\d{9,10}$")
    dossier: str = ""
    procedure: str = ""
    file: str
    sheet: str
    row: int
    cells: dict[str, str]  # field -> cell reference
    accepted: bool = True

    def place(self, fieldname: str) -> str:
        """``file › sheet › cell`` of one of the row's fields."""
        return " › ".join((self.file, self.sheet, self.cells.get(fieldname, f"A{self.row}")))


@dataclass
class ListResult(FormResult):
    """A returned list as read: identity, respondents, problems."""

    respondents: list[Respondent] = field(default_factory=list)

    @property
    def unit_id(self) -> str | None:
        """The unit named by the metadata (the owner of the list)."""
        return self.owner_id

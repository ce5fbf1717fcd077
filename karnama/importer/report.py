"""What a check found: problems (errors block publishing, warnings do not) and per-table row counts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One finding, located as the user sees it: file, sheet, Excel row number, column header, cell, value."""

    severity: str
    message: str
    source: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    cell: str = ""
    value: str = ""
    expected: str = ""
    table: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_json(self) -> dict:
        return asdict(self)


@dataclass
class Counts:
    """Rows of one table: in the upload, and what publishing would do to the current snapshot."""

    uploaded: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    removed: int = 0
    total_after: int = 0

    def as_json(self) -> dict:
        return asdict(self)


class HasProblems:
    """Splits ``self.problems`` into errors (they block publishing) and warnings."""

    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


@dataclass
class Findings(HasProblems):
    """Problems collected while reading and checking, in the order found."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, message: str, **where) -> None:
        self.problems.append(Problem(ERROR, message, **where))

    def warning(self, message: str, **where) -> None:
        self.problems.append(Problem(WARNING, message, **where))

"""Problems found in returned workbooks: values, not exceptions.

Every problem has a stable slug (documented in :data:`SLUGS` and the README),
a severity fixed by its slug, the place (file, sheet, cell, item) and a
Vietnamese message telling the department what to fix.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]

# slug -> (severity, what it means; for developers and the README)
SLUGS: dict[str, tuple[Severity, str]] = {
    # the file as a whole
    "not-a-workbook": ("error", "the file is not an .xlsx workbook (random bytes, empty, a renamed Word file)"),
    "legacy-xls": ("error", "an old binary .xls workbook; it must be saved as .xlsx"),
    "encrypted-workbook": ("error", "the workbook is protected by an opening password (and none was given for it)"),
    "wrong-password": ("error", "the workbook is encrypted and the password given does not open it"),
    "unsafe-workbook": ("error", "the file is refused for safety (XML bomb, oversized content)"),
    "unreadable-workbook": ("error", "the workbook is damaged and cannot be read"),
    "binary-workbook": ("error", "an Excel binary workbook (.xlsb); it must be saved as .xlsx"),
    "sheet-too-large": ("error", "a sheet (hidden ones included) reaches further than parcli reads (far cells)"),
    "metadata-missing": ("error", "the hidden parcli sheet was removed: the return cannot be identified"),
    "wrong-campaign": ("error", "the workbook belongs to another campaign (another year or province)"),
    "wrong-round": ("error", "the workbook belongs to another round of the campaign (e.g. the preliminary one)"),
    "wrong-catalogue-version": ("error", "the workbook was issued from another version of the catalogue"),
    "year-unverified": (
        "warning",
        "a workbook of an earlier parcli records no year and the plan changed since it was issued: check its year",
    ),
    "unsupported-layout": ("error", "the workbook layout version is not one this parcli reads"),
    "unknown-department": ("error", "the department recorded in the workbook is not in the campaign"),
    "sheet-missing": ("error", "the scoring sheet was deleted or renamed"),
    "header-missing": ("error", "the header row of the scoring sheet cannot be found"),
    "duplicate-return": ("error", "the same department returned more than one workbook; neither is used"),
    "missing-return": ("error", "no workbook was returned by this department"),
    "not-a-return": ("warning", "a file in the returns folder that is not a spreadsheet; it is not read"),
    "folder-entry-skipped": ("warning", "a subfolder, hidden file or broken link in the returns folder; not read"),
    "content-below-table": ("warning", "content far below the scoring table; it is ignored"),
    "list-too-long": ("error", "a respondent list goes on below the rows parcli reads (100,000); split it"),
    # packages: a return as a folder or .zip with its evidence files
    "package-damaged": ("error", "the .zip package (or its form inside) cannot be read"),
    "package-no-form": ("error", "the package has no spreadsheet at its top: no form to read"),
    "package-several-forms": ("error", "the package has several spreadsheets at its top; which is the form is unknown"),
    "package-unsafe-path": ("error", "a package member whose path climbs out of it (../) or is absolute; refused"),
    "package-link": ("error", "a package member that is a symbolic link; refused"),
    "package-nested-archive": ("error", "an archive inside the package; refused, not opened"),
    "package-bomb": ("error", "a member expanding far beyond its compressed size, or too much in all (zip bomb)"),
    # item rows
    "unknown-item": ("error", "a row with a code that is not assigned to this department"),
    "missing-item": ("error", "an assigned item has no row (deleted row or edited code)"),
    "duplicate-item": ("error", "the same item code appears on two rows"),
    "score-missing": ("error", "no self-assessed score"),
    "not-a-number": ("error", "the score is not a number"),
    "score-above-max": ("error", "the score is above the item's maximum"),
    "score-below-zero": ("error", "the score is negative"),
    "score-not-allowed": ("error", "the score is not one of the values the item's rule allows"),
    "score-off-step": ("error", "the score is not a multiple of the item's step"),
    "not-applicable-not-allowed": ("error", "marked not applicable where the catalogue does not allow it"),
    "formula-in-score": ("error", "a formula instead of a typed score; cached results are not trusted"),
    "evidence-missing": ("error", "evidence is required for this item and none is cited"),
    "explanation-missing": ("error", "an explanation is required for this item and none is given"),
    "evidence-file-missing": ("error", "the evidence cell names a file that is not in the return's package"),
    "evidence-file-ambiguous": (
        "error",
        "the evidence cell names a file that fits several files of the package (differing only in case, or one "
        "name in several folders)",
    ),
    "evidence-unreadable": (
        "error",
        "a cited evidence file is empty, damaged, password-protected or of a type refused",
    ),
    "evidence-too-large": ("error", "a cited evidence file is larger than the campaign's evidence.max_file_mb"),
    "evidence-outside-period": ("warning", "every document cited for the item is dated outside the assessment period"),
    "evidence-citation-malformed": (
        "error",
        "a cited document number/symbol not in the Nghị định 30/2020 form (123/QĐ-UBND, 05/2023/NĐ-CP)",
    ),
    "evidence-vague": ("warning", "the evidence cell names no file, no document (number and date) and no link"),
    "evidence-file-unused": ("warning", "a file of the package that no item's evidence cell names"),
    "number-as-text": ("warning", "a number stored as text; read as the number"),
    "decimal-comma": ("warning", "a decimal comma (0,5); read as 0.5"),
    "text-normalised": ("warning", "decomposed (NFD) Vietnamese text; normalised to NFC"),
    "legacy-encoding": ("warning", "text that looks like TCVN3/VNI legacy encoding"),
    "formula-in-text": ("warning", "a formula in an explanation/evidence cell; its text is kept as text"),
    "max-changed": ("warning", "the max-points cell was edited; the catalogue's maximum is used"),
    "text-control-characters": ("warning", "control characters in a text cell; line breaks kept, the others dropped"),
    "text-too-long": ("warning", "text longer than a cell holds (32,767 characters); it is cut"),
    # survey respondent lists
    "respondent-field-missing": ("error", "a required field of a nominated respondent is empty"),
    "group-unknown": ("error", "the respondent group is not one of the groups of the survey lists plan"),
    "group-not-allowed": ("error", "the unit may not nominate this group, or the group belongs on the other sheet"),
    "email-invalid": ("error", "not one valid e-mail address (spaces, accents, two addresses, no @ …)"),
    "email-not-official": (
        "error",
        "an official or leader must be reached at an official e-mail domain; private mailboxes (gmail …) are refused",
    ),
    "phone-invalid": ("error", "not a Vietnamese phone number (10-digit mobile, or 10–11-digit landline starting 02)"),
    "formula-in-cell": ("error", "a formula in a respondent list cell instead of typed text"),
    "respondent-duplicate": (
        "error",
        "the same person (e-mail or mobile number) nominated twice, within a list or by two units; both places named",
    ),
    "name-recased": ("warning", "names typed all in capitals or all in lower case; written with capital initials"),
    "quota-not-met": ("error", "fewer valid respondents in a group than the number the plan asks of the unit"),
    "quota-exceeded": ("warning", "more respondents in a group than the number the plan asks of the unit"),
    "list-missing": ("error", "no respondent list was returned by this unit"),
    "duplicate-list": ("error", "the same unit returned more than one different list; none is used"),
    # appraisal workbooks (thẩm định)
    "appraisal-stale": (
        "warning",
        "the return row appraised (self-score, explanation, evidence) has changed since; still counted, re-appraise",
    ),
    "appraisal-orphaned": (
        "error",
        "an appraisal of an item no longer in the catalogue or no longer assigned to that department; not counted",
    ),
    "appraisal-conflict": (
        "error",
        "two appraisal workbooks give one item different scores in one round; neither counts",
    ),
    "appraisal-not-a-number": ("error", "the appraised score is not a number"),
    "appraisal-above-max": ("error", "the appraised score is above the item's maximum"),
    "appraisal-below-zero": ("error", "the appraised score is negative"),
    "appraisal-not-allowed": ("error", "the appraised score is not one of the item's options, or off its step"),
    "appraisal-formula": ("error", "a formula (or text such as =1+1) instead of a typed appraised score"),
    "appraisal-not-applicable": (
        "error",
        "an appraised score on an item the department marked not applicable; not counted (the return must be scored)",
    ),
    "appraisal-copy-set-aside": (
        "error",
        "a copy of an appraisal workbook set aside holds typed appraisals the copy used does not; both files named",
    ),
    "appraisal-copy-superseded": (
        "warning",
        "a copy of an appraisal workbook with typed appraisals set aside: all are in the copy used, or by --pick",
    ),
    # remedy plans (parcli remedy)
    "remedy-plan-missing": ("error", "a department with items that lost points sent no remedy plan"),
    "remedy-missing": (
        "error",
        "an item that lost points has no remedy in its department's plan (empty cell or deleted row)",
    ),
    "remedy-deadline-missing": ("error", "a remedy without a deadline"),
    "remedy-deadline-not-a-date": ("error", "a remedy deadline that is not a date"),
    "remedy-deadline-too-late": ("error", "a remedy deadline after the year-end returns deadline (the last round's)"),
    "remedy-progress-unknown": (
        "error",
        "a progress value that is not in the list (chưa thực hiện / đang thực hiện / đã hoàn thành)",
    ),
    "remedy-overdue": ("warning", "a remedy whose deadline has passed (on --today) and that is not reported completed"),
    "duplicate-appraisal": ("error", "two copies of one appraisal workbook and neither can be chosen; none is used"),
    # the Ministry's appraisal (parcli result import)
    "result-parcli-workbook": ("error", "a workbook parcli wrote (consolidated, result) given as the Ministry's"),
    "result-unknown-code": ("error", "a row whose code or order number names no item or field of the catalogue"),
    "result-max-differs": ("error", "a maximum in the Ministry's table that is not the catalogue's"),
    "result-above-max": ("error", "appraised (or survey, or total) points above the maximum; the row is not imported"),
    "result-below-zero": ("error", "negative points; the row is not imported"),
    "result-not-a-number": ("error", "points that are not a number; the row is not imported"),
    "result-formula": ("error", "a formula instead of the points; cached results are not trusted"),
    "result-points-missing": ("error", "a row of an item without appraised points"),
    "result-duplicate-item": ("error", "a second row for one item or field; the first one counts"),
    "result-item-missing": ("error", "a self-assessed component criterion of the catalogue absent from the table"),
    "result-field-missing": ("error", "a field of the catalogue absent from the fields table"),
    "result-title-differs": ("warning", "a title unlike the catalogue's title of that code (a wrong code, or renamed)"),
    "result-total-differs": ("warning", "a field's total that is not its appraised points plus its survey points"),
    "result-field-sum-differs": ("warning", "a field's appraised points that are not the sum of its items'"),
}


def _writable(text: str) -> str:
    """Text every UTF-8 writer accepts: lone surrogates (bytes of a non-UTF-8 file name) shown as \ufffd."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        except UnicodeEncodeError:
            return text.encode("utf-8", "replace").decode("utf-8")
    return text


@dataclass(frozen=True)
class Problem:
    """One problem in one place."""

    slug: str
    message: str
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    item: str | None = None
    department: str | None = None

    def __post_init__(self) -> None:
        if self.slug not in SLUGS:
            raise ValueError(f"unknown problem slug {self.slug!r}")
        for name in ("message", "file", "sheet", "cell", "item"):  # a name that is not UTF-8 never reaches a writer
            value = getattr(self, name)
            if value is not None and not value.isascii():
                object.__setattr__(self, name, _writable(value))

    @property
    def severity(self) -> Severity:
        """Severity fixed by the slug."""
        return SLUGS[self.slug][0]

    @property
    def is_error(self) -> bool:
        """True for errors (the return is not valid)."""
        return self.severity == "error"

    def where(self) -> str:
        """``file › sheet › cell`` for messages."""
        parts = [p for p in (self.file, self.sheet, self.cell) if p]
        return " › ".join(parts)

    def to_dict(self) -> dict[str, str | None]:
        """The JSON shape: file, department, sheet, cell, item, severity, code, message."""
        data = asdict(self)
        return {
            "file": data["file"],
            "department": data["department"],
            "sheet": data["sheet"],
            "cell": data["cell"],
            "item": data["item"],
            "severity": self.severity,
            "code": self.slug,
            "message": self.message,
        }


class ProblemCollector:
    """Appends problems found in one file to a list, with the file and the department/unit filled in."""

    def __init__(self, problems: list[Problem], file: str) -> None:
        self.problems = problems
        self.file = file
        self.department: str | None = None  # set once the file's department or unit is known

    def add(
        self, slug: str, message: str, *, sheet: str | None = None, cell: str | None = None, item: str | None = None
    ) -> None:
        """Record one problem."""
        self.problems.append(
            Problem(
                slug=slug,
                message=message,
                file=self.file,
                sheet=sheet,
                cell=cell,
                item=item,
                department=self.department,
            )
        )

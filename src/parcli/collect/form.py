"""What a form kind declares to the collection engine, and what reading one returned file yields.

A *form* is a workbook parcli issues to an *owner* (a department, a nominating
unit…), who fills it in and sends it back.  :class:`FormResult` is what every
reader returns for one file (identity, dates, problems); a round subclasses it
with its own values (scored items, respondents).  :class:`FormKind` is the
handful of things the engine needs from a round: how to read one file, who the
expected owners are, and the Vietnamese words and messages of that round.
:class:`Identity` is what a kind's hidden metadata must say; :func:`check_identity`
is the one check every reader runs on it, with the kind's words in its messages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import KW_ONLY, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeGuard, TypeVar

from parcli.collect.layout import META_CAMPAIGN, META_KIND, META_LAYOUT, META_YEAR, SHEET_META
from parcli.files import display_name, sha256_file
from parcli.packages import Package
from parcli.problems import Problem, ProblemCollector

if TYPE_CHECKING:
    from parcli.config.campaign import Campaign
    from parcli.secret import Unlock


@dataclass
class FormResult:
    """One returned file as read: identity, dates, problems (a round adds its values)."""

    path: Path
    sha256: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    owner_id: str | None = None  # the owner named by the file's metadata, once recognised
    problems: list[Problem] = field(default_factory=list)
    sent_date: date | None = None  # the date written on the cover sheet
    received: date | None = None  # the file's modification date
    modified: datetime | None = None  # the file's modification time
    usable: bool = False  # False when the file as a whole cannot be used
    package: Package | None = None  # the folder or .zip the form came in, with its other files
    form_member: str | None = None  # the form's name inside its package

    @property
    def file(self) -> str:
        """The file name shown in messages (bytes that are not UTF-8 shown as \ufffd; ``path`` is the real one)."""
        return display_name(self.path.name)

    @property
    def errors(self) -> int:
        """Number of errors."""
        return sum(1 for p in self.problems if p.is_error)

    @property
    def warnings(self) -> int:
        """Number of warnings."""
        return sum(1 for p in self.problems if not p.is_error)


def open_form(
    result: FormResult,
    read: Callable[[Any, ProblemCollector], None],
    *,
    fast_sheets: tuple[str, ...] | None,
    noun: str,
    open_noun: str | None = None,
    unlock: Unlock | None = None,
) -> bool:
    """The steps every reader shares: sniff the container, hash and stamp the file, open it and run ``read``.

    ``read(workbook, add)`` fills ``result``.  Returns False when the file was
    refused or a part of it was damaged (the problems say why); ``noun`` names the
    document in the container messages, ``open_noun`` in the parser messages.
    ``unlock``: a form kind that may come back encrypted with an opening password (a
    list of personal data) is decrypted with its password (:func:`_open_encrypted`);
    without it an encrypted workbook is refused, as before.
    """
    path = result.path
    add = ProblemCollector(result.problems, result.file)
    if path.is_dir() or path.suffix.lower() == ".zip":
        from parcli.collect.package import open_package_form

        return open_package_form(
            result, add, lambda source: _open_file(result, source, add, read, fast_sheets, noun, open_noun, unlock)
        )
    return _open_file(result, path, add, read, fast_sheets, noun, open_noun, unlock)


def _open_file(
    result: FormResult,
    source: Path,
    add: ProblemCollector,
    read: Callable[[Any, ProblemCollector], None],
    fast_sheets: tuple[str, ...] | None,
    noun: str,
    open_noun: str | None,
    unlock: Unlock | None = None,
) -> bool:
    """Open the workbook at ``source`` (the returned file itself, or a package's form); hash and stamp the return."""
    from parcli.xlsx.open import read_workbook, sniff_workbook

    if unlock is not None:
        from parcli.secret import is_encrypted

        if is_encrypted(source):
            return _open_encrypted(result, source, add, read, fast_sheets, noun, open_noun, unlock)
    if not sniff_workbook(source, lambda slug, message: add.add(slug, message), noun=noun):
        return False
    stamped = result.path if result.path.is_file() else source  # a zip is stamped as itself, a folder by its form
    result.sha256 = sha256_file(stamped)
    result.modified = datetime.fromtimestamp(stamped.stat().st_mtime)
    result.received = result.modified.date()
    return read_workbook(source, add, lambda wb: read(wb, add), fast_sheets=fast_sheets, noun=open_noun or noun)


def _open_encrypted(
    result: FormResult,
    source: Path,
    add: ProblemCollector,
    read: Callable[[Any, ProblemCollector], None],
    fast_sheets: tuple[str, ...] | None,
    noun: str,
    open_noun: str | None,
    unlock: Unlock,
) -> bool:
    """A workbook encrypted with an opening password: read from a private decrypted copy, stamped as sent.

    No password: ``encrypted-workbook`` saying how to give one; a password that does not open it:
    ``wrong-password``.  The file's hash and dates are those of the encrypted file as it was sent.
    """
    from parcli.secret import HOW_TO_GIVE, CannotDecrypt, WrongPassword, decrypted_copy

    if unlock.password is None:
        add.add(
            "encrypted-workbook",
            f"{_title(noun)} được đặt mật khẩu mở. Đề nghị chạy lại lệnh với mật khẩu đã thống nhất với đơn vị "
            f"({HOW_TO_GIVE}).",
        )
        return False
    try:
        with decrypted_copy(source, unlock.password) as plain:
            stamped = result.path if result.path.is_file() else source
            opened = _open_file(result, plain, add, read, fast_sheets, noun, open_noun)
            if result.sha256:  # read: the return is the file as sent, not its decrypted copy
                result.sha256 = sha256_file(stamped)
                result.modified = datetime.fromtimestamp(stamped.stat().st_mtime)
                result.received = result.modified.date()
            return opened
    except WrongPassword:
        add.add(
            "wrong-password",
            f"{_title(noun)} được đặt mật khẩu mở và mật khẩu đã cho không mở được tệp. Kiểm tra lại mật khẩu "
            f"({HOW_TO_GIVE}); nếu đơn vị đặt mật khẩu khác, đề nghị đơn vị gửi lại với mật khẩu đã thống nhất.",
        )
    except CannotDecrypt as exc:
        add.add(
            "encrypted-workbook",
            f"{_title(noun)} được mã hóa theo cách parcli không giải mã được ({exc}). Đề nghị đơn vị lưu lại tệp "
            "bằng Excel, LibreOffice hoặc WPS (Mã hóa bằng mật khẩu) rồi gửi lại.",
        )
    return False


RoundMissing = Literal["accept", "last", "refuse"]


@dataclass(frozen=True)
class Identity:
    """What a kind of form's hidden metadata must say, and the words that tell its sender when it does not.

    ``document`` names the form in the messages ("phiếu chấm điểm"); ``resend`` is the
    closing request of each message ("Đề nghị …").  ``owner_key`` is the metadata key
    naming the owner, without which the sheet is taken as edited; ``others`` pairs
    another form's kind with its noun, for a file sent to the wrong folder.
    ``round_key`` is set when the kind checks the campaign's round; ``round_missing`` says
    what a workbook that records none is taken for: ``accept`` (issued before the campaign
    declared rounds: any round), ``last`` (the last round, the one an earlier parcli issued
    it for by default) or ``refuse``; ``round_advice`` closes the wrong-round message ("": ``resend``).
    ``catalogue_key`` is set when the kind checks the catalogue: the one its owner scores on
    (``catalogue_of="owner"``), or every catalogue of the campaign (``"campaign"``, a form
    spanning owners).  ``campaign_hash_key`` names the plan's hash, compared only for a
    workbook of an earlier parcli that records no year.
    """

    kind: str
    layout_version: str
    document: str
    resend: str
    _: KW_ONLY
    owner_key: str | None = None
    others: tuple[tuple[str, str], ...] = ()
    round_key: str | None = None
    round_title_key: str | None = None
    round_missing: RoundMissing = "refuse"
    round_advice: str = ""  # "": ``resend``
    catalogue_key: str | None = None
    catalogue_of: Literal["owner", "campaign"] = "owner"
    campaign_hash_key: str | None = None


def catalogues_hash(campaign: Campaign) -> str:
    """One hash of every catalogue the campaign scores on (the catalogue's own hash when there is one).

    A form spanning owners (an appraisal workbook by field) records it; it changes when any
    catalogue changes (an item, a maximum, a rule), never when only the plan around them does.
    """
    from parcli.config.catalogue import canonical_hash

    hashes = sorted({c.content_hash for c in (list(campaign.catalogues.values()) or [campaign.catalogue])})
    return hashes[0] if len(hashes) == 1 else canonical_hash(hashes)


def check_identity(
    meta: dict[str, str] | None,
    identity: Identity,
    campaign: Campaign,
    add: ProblemCollector,
    hint: Callable[[], str] = lambda: "",
) -> TypeGuard[dict[str, str]]:
    """Whether ``meta`` (None: the hidden sheet is gone) names a form of ``identity`` for ``campaign``.

    The one identity rule of every form parcli issues.  What must match is what gives a
    typed value its meaning: the kind and layout, the campaign's id **and year** (a plan
    copied for a new year keeps its id), its round, and the catalogue the values are scored
    on.  The plan's own hash is not required to match: moving a deadline or fixing a contact
    must not turn away every return already received (the items an owner must fill are
    checked row by row).  When it does not match, the problem is added to ``add``.  The
    checks run in order and stop at the first failure: recognised, kind (both
    ``metadata-missing``), layout version (``unsupported-layout``), campaign id and year
    (``wrong-campaign``), round (``wrong-round``), catalogue (``wrong-catalogue-version``).
    A workbook of an earlier parcli records no year: it is accepted, with a
    ``year-unverified`` warning when the plan it was issued from has changed since.
    ``hint`` is called only when the form is not recognised, for a sentence such as
    " Tệp có vẻ là của Sở Tư pháp."
    """
    problem = _identity_problem(meta, identity, campaign, hint)
    if problem is not None:
        add.add(*problem)
        return False
    assert meta is not None
    if META_YEAR not in meta and identity.campaign_hash_key is not None:
        issued = meta.get(identity.campaign_hash_key)
        if issued and issued != campaign.content_hash:
            add.add(
                "year-unverified",
                f"{_title(identity.document)} được phát hành bằng phiên bản parcli trước, không ghi năm đánh giá, "
                f"và kế hoạch đã thay đổi sau khi phát hành nên không xác nhận được đây là {identity.document} "
                f"năm {campaign.model.year}. Đề nghị kiểm tra lại; nếu là {identity.document} năm trước, "
                "đề nghị gửi đúng phiếu năm nay.",
            )
    return True


def _title(document: str) -> str:
    return document[:1].upper() + document[1:]


def _identity_problem(
    meta: dict[str, str] | None, identity: Identity, campaign: Campaign, hint: Callable[[], str]
) -> tuple[str, str] | None:
    """The (slug, message) of the first identity check ``meta`` fails, or None."""
    document, resend = identity.document, identity.resend
    title = _title(document)
    kind = meta.get(META_KIND) if meta else None
    other = dict(identity.others).get(kind or "")
    if not meta or not kind or (kind == identity.kind and identity.owner_key and identity.owner_key not in meta):
        return (
            "metadata-missing",
            f"Không nhận diện được {document}: trang tính ẩn “{SHEET_META}” đã bị xóa hoặc sửa.{hint()} {resend}",
        )
    if other is not None:
        return (
            "metadata-missing",
            f"Tệp này là {other}, không phải {document}. Đề nghị gửi {other} riêng; thư mục này chỉ chứa {document}.",
        )
    if kind != identity.kind:
        return (
            "metadata-missing",
            f"Tệp này không phải {document} đã được phát hành (có thể là bảng tổng hợp). {resend}",
        )
    if meta.get(META_LAYOUT) != identity.layout_version:
        return (
            "unsupported-layout",
            f"{title} theo mẫu phiên bản {meta.get(META_LAYOUT)!r}, trong khi đợt này dùng mẫu phiên bản "
            f"{identity.layout_version}. {resend}",
        )
    if meta.get(META_CAMPAIGN) != campaign.id:
        return (
            "wrong-campaign",
            f"{title} thuộc đợt đánh giá “{meta.get(META_CAMPAIGN)}”, không phải “{campaign.id}” "
            f"({campaign.model.title}); có thể đã gửi nhầm {document} năm trước. {resend}",
        )
    year = meta.get(META_YEAR)
    if year is not None and year != str(campaign.model.year):
        return (
            "wrong-campaign",
            f"{title} được phát hành cho năm {year or '(không ghi)'}, không phải năm {campaign.model.year} "
            f"({campaign.model.title}); có thể đã gửi nhầm {document} năm trước. {resend}",
        )
    wrong_round = _wrong_round(meta, identity, campaign)
    if wrong_round is not None:
        resend = identity.round_advice or resend
        return "wrong-round", f"{title} {wrong_round}, không phải {_wanted_round(campaign)}. {resend}"
    if _wrong_catalogue(meta, identity, campaign):
        return (
            "wrong-catalogue-version",
            f"{title} được tạo từ một phiên bản bộ tiêu chí khác với phiên bản đang dùng để tổng hợp. {resend}",
        )
    return None


def _wrong_round(meta: dict[str, str], identity: Identity, campaign: Campaign) -> str | None:
    """Which round ``meta`` is of ("thuộc đợt “…”") when it is not the campaign's, else None."""
    if identity.round_key is None:
        return None
    issued = meta.get(identity.round_key)
    if (issued or "") == (campaign.round_id or ""):
        return None
    if not issued:  # none recorded, or issued before the campaign declared rounds
        if identity.round_missing == "accept":
            return None
        if identity.round_missing == "last":  # issued by an earlier parcli, at the default round: the last
            last = campaign.rounds[-1] if campaign.rounds else None
            if last is None or last.id == campaign.round_id:
                return None
            return (
                "không ghi đợt đánh giá (được phát hành bằng phiên bản parcli trước, hoặc trước khi kế hoạch chia "
                f"đợt) nên được coi là của đợt cuối “{last.title}”"
            )
        return "không ghi đợt đánh giá"
    title = (meta.get(identity.round_title_key) if identity.round_title_key else None) or issued
    return f"thuộc đợt “{title}”"


def _wanted_round(campaign: Campaign) -> str:
    """The round being collected, as the wrong-round message names it."""
    return f"đợt “{campaign.round_title}” đang tổng hợp" if campaign.round_id else "đợt đánh giá hiện tại"


def _wrong_catalogue(meta: dict[str, str], identity: Identity, campaign: Campaign) -> bool:
    """Whether the kind checks the catalogue and ``meta`` names another than the one its values are scored on.

    An owner unknown to the campaign is taken to score on the campaign's catalogue.  A form
    spanning owners records :func:`catalogues_hash`; one of an earlier parcli (no year
    recorded) recorded the campaign's first catalogue, also accepted.
    """
    if identity.catalogue_key is None:
        return False
    recorded = meta.get(identity.catalogue_key)
    if identity.catalogue_of == "campaign":
        legacy = META_YEAR not in meta and recorded == campaign.catalogue.content_hash
        return recorded != catalogues_hash(campaign) and not legacy
    owner = campaign.department_by_id.get(meta.get(identity.owner_key or "", ""))
    expected = (owner.catalogue if owner is not None else campaign.catalogue).content_hash
    return recorded != expected


def not_a_spreadsheet(path: Path, document: str) -> Problem:
    """The problem of a file in a forms folder that is not a spreadsheet (``document``: what it might be)."""
    return Problem(
        slug="not-a-return",
        file=path.name,
        message=f"Tệp không phải bảng tính nên không được đọc. Nếu đây là {document}, đề nghị lưu lại ở "
        "định dạng .xlsx.",
    )


R = TypeVar("R", bound=FormResult)
R_co = TypeVar("R_co", bound=FormResult, covariant=True)
OwnerT = TypeVar("OwnerT")


class FormKind(Protocol[R_co, OwnerT]):
    """What a round declares so the engine can collect its forms.

    ``document`` is the short noun of the form in messages and labels ("phiếu",
    "danh sách"), ``owner_noun`` the noun of its owners ("cơ quan", "đơn vị"),
    ``role`` the file role written in ``manifest.json``.
    """

    @property
    def document(self) -> str:
        """The short noun of the form ("phiếu", "danh sách")."""
        ...

    @property
    def owner_noun(self) -> str:
        """The noun of the owners ("cơ quan", "đơn vị")."""
        ...

    @property
    def role(self) -> str:
        """The role of the files in ``manifest.json``."""
        ...

    def read(self, path: Path) -> R_co:
        """Read one file; never raises for bad data."""
        ...

    def worker(self) -> tuple[Callable[[str], FormKind[R_co, OwnerT]], str]:
        """A top-level function and its argument that rebuild this kind in a worker process."""
        ...

    def owners(self) -> Sequence[OwnerT]:
        """The expected owners, in the order outcomes are reported."""
        ...

    def owner_id(self, owner: OwnerT) -> str:
        """The id a file's metadata names its owner by."""
        ...

    def not_a_form(self, path: Path) -> Problem:
        """The problem of a file in the folder that is not a spreadsheet."""
        ...

    def missing(self, owner: OwnerT) -> Problem:
        """The problem of an owner who sent nothing."""
        ...

    def duplicate(self, owner: OwnerT, result: FormResult, files: list[str], reason: str) -> Problem:
        """The problem of one of several files of an owner when none can be chosen (``reason`` says why)."""
        ...


def require_sheets(wb: Any, names: tuple[str, ...], add: ProblemCollector, resend: str) -> bool:
    """True when every sheet a form kind reads is there; otherwise one ``sheet-missing`` problem (``resend``
    is the kind's "Đề nghị …" sentence)."""
    for name in names:
        if name not in wb.sheetnames:
            add.add("sheet-missing", f"Không có trang tính “{name}” (đã bị xóa hoặc đổi tên). {resend}", sheet=name)
            return False
    return True

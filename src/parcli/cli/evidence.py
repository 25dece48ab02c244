"""The evidence documents on the command line: ``parcli evidence`` (the upload pack and the evidence site)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from parcli.cli.common import (
    AppraisalsOption,
    CampaignOption,
    PasswordPromptOption,
    PickOption,
    RoundOption,
    Talk,
    ask_password,
    command,
    say_appraisals,
    say_returns,
)
from parcli.errors import ExitCode


@command
def evidence(
    returns_dir: Annotated[Path, typer.Argument(help="Thư mục chứa các phiếu (và gói tài liệu) các cơ quan gửi về.")],
    campaign: CampaignOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Thư mục ghi hồ sơ kiểm chứng.", file_okay=False)] = Path(
        "ho-so-kiem-chung"
    ),
    archive: Annotated[
        bool, typer.Option("--zip", help="Nén gói tài liệu và trang kiểm chứng thành một tệp .zip.")
    ] = False,
    pick: PickOption = None,
    appraisals: AppraisalsOption = None,
    round_id: RoundOption = None,
    password_prompt: PasswordPromptOption = False,
) -> ExitCode:
    """Lập hồ sơ tài liệu kiểm chứng: gói tài liệu theo tiêu chí thành phần, danh mục và trang tra cứu.

    Đọc các phiếu gửi về (tệp .xlsx, hoặc thư mục / tệp .zip gồm phiếu và tài liệu kiểm chứng), kiểm tra
    tài liệu, rồi ghi vào thư mục đầu ra: goi-tai-lieu/ (mỗi tiêu chí thành phần một thư mục, tệp trùng
    nội dung chỉ lưu một lần, kèm danh-muc-tai-lieu.xlsx) và trang-kiem-chung/ (trang HTML mở trực tiếp,
    không cần mạng: theo lĩnh vực, theo cơ quan, từng mục với điểm tự chấm, giải trình, tệp và vấn đề).
    Với --appraisals, trang và danh mục có thêm kết quả thẩm định: điểm lần 1, điểm thẩm định, ý kiến, mục
    chưa thẩm định, mục cần thẩm định lại. Với chỉ số cấp đơn vị (mode: each-unit-scores), gói tài liệu và
    trang chia theo nhóm đơn vị rồi theo đơn vị. Hồ sơ cũ chỉ được thay khi hồ sơ mới đã ghi xong.
    Thoát với mã 1 khi tài liệu hoặc phiếu thẩm định có lỗi (hồ sơ vẫn được ghi). Danh sách đối tượng điều
    tra (dữ liệu cá nhân) gửi kèm làm tài liệu được lưu có mật khẩu khi có mật khẩu (biến môi trường
    PARCLI_PASSWORD hoặc --password-prompt), tệp .zip khi đó được mã hóa AES; không có mật khẩu thì không
    tạo tệp .zip chứa các danh sách đó.
    """
    from parcli.jobs.evidence import EvidenceRequest, evidence

    talk = Talk()
    password = ask_password(password_prompt, confirm=True)
    request = EvidenceRequest(
        returns_dir, out, campaign, round_id, archive, tuple(pick or ()), appraisals, password=password
    )
    result = evidence(request, talk)
    assert result.merged is not None and result.book is not None
    say_returns(result.merged, talk.err)
    say_appraisals(result.appraisals, talk.err)
    book = result.book
    talk.err.print(
        f"Đã ghi hồ sơ kiểm chứng vào {out}: {len(book.files)} tệp trong gói, {len(book.cards)} mục; "
        f"{book.errors} lỗi, {result.evidence_warnings} cảnh báo về tài liệu. "
        f"Mở {out / 'trang-kiem-chung' / 'index.html'} để xem."
    )
    total = result.progress
    if total is not None:
        from parcli.numbers import fmt_points

        talk.err.print(
            f"Thẩm định: {total.appraised}/{total.items} mục đã thẩm định, {total.items - total.appraised} mục chưa "
            f"thẩm định, {total.stale} mục cần thẩm định lại; tự chấm {fmt_points(total.self_score)} điểm, sau "
            f"thẩm định {fmt_points(total.final)} điểm."
        )
    return result.exit_code


COMMANDS = (evidence,)

"""Each document rendered from records (no database): the ND 30 header and signatures in the text, page numbers
from page 2, the font embedded, and every page rendered to PNG by pdftoppm so a broken page fails."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from report_records import build_file

from desktop_app.domain.errors import NotFound
from desktop_app.reports.pdf import (
    acceptance_minutes,
    appraisal_minutes,
    decision,
    liquidation_minutes,
    proposal_doc,
    score_sheet,
)
from desktop_app.reports.pdf.layout import Letterhead
from desktop_app.reports.pdf.records import ProposalFile

RENDERERS: dict[str, Callable[[ProposalFile, Letterhead], bytes]] = {
    "proposal": proposal_doc.render,
    "score_sheet": lambda f, h: score_sheet.render(f, h, 11),
    "score_sheet_conflict": lambda f, h: score_sheet.render(f, h, 13),
    "appraisal": appraisal_minutes.render,
    "decision": decision.render,
    "acceptance": acceptance_minutes.render,
    "liquidation": liquidation_minutes.render,
}
PDFTOPPM = shutil.which("pdftoppm")


def pages(data: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages]


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_header_block_and_fonts(name: str, proposal_file: ProposalFile, letterhead: Letterhead) -> None:
    data = RENDERERS[name](proposal_file, letterhead)
    text = " ".join(pages(data))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    if name == "decision":  # 45/QĐ-SCT: the Sở's decision, under the Sở's header
        assert "UBND TỈNH NINH BÌNH SỞ CÔNG THƯƠNG" in text
    else:
        assert "TRUNG TÂM KHUYẾN CÔNG VÀ TƯ VẤN PHÁT TRIỂN CÔNG NGHIỆP" in text
    reader = PdfReader(io.BytesIO(data))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if font.get("/Subtype") == "/TrueType":
                assert "/FontFile2" in font["/FontDescriptor"].get_object(), "the TrueType font is embedded"
                fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert fonts and all(f.startswith("LiberationSerif") for f in fonts)
    assert reader.metadata is not None and reader.metadata.author == letterhead.issuer


def test_numbers_dates_amounts_and_signers(proposal_file: ProposalFile, letterhead: Letterhead) -> None:
    minutes = " ".join(pages(appraisal_minutes.render(proposal_file, letterhead)))
    assert "Số: 05/BB-HĐTĐ" in minutes  # a one-digit number gets its leading zero
    assert "THƯ KÝ Vũ Thị Yến CHỦ TỌA Đỗ Quốc Hưng" in minutes
    assert "Xung đột lợi ích, không tính điểm" in minutes and "82,5 điểm" in minutes

    sheet = " ".join(pages(score_sheet.render(proposal_file, letterhead, 13)))
    assert "Ông Văn Ân" in sheet and "khai báo xung đột lợi ích (Người thân của chủ cơ sở)" in sheet

    text = " ".join(pages(decision.render(proposal_file, letterhead)))
    assert "Số: 45/QĐ-SCT" in text and "Ninh Bình, ngày 01 tháng 6 năm 2026" in text
    assert "(bằng chữ: hai trăm triệu đồng)" in text
    assert "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" in text and "Phạm Văn Lãnh" in text

    text = " ".join(pages(liquidation_minutes.render(proposal_file, letterhead)))
    assert "Điều 4. Số tiền bên A còn phải thanh toán cho bên B: 20.000.000 đồng (bằng chữ: hai mươi triệu đồng)." \
        in text
    assert "Điều 3. Bên A đã tạm ứng, thanh toán cho bên B: 180.000.000 đồng" in text

    text = " ".join(pages(acceptance_minutes.render(proposal_file, letterhead)))
    assert "Hôm nay, ngày 20 tháng 11 năm 2026, tại xưởng của hợp tác xã" in text
    assert "THƯ KÝ HỘI ĐỒNG" in text and "CHỦ TỊCH HỘI ĐỒNG" in text
    assert "Việc làm mới người 10 12" in text


def test_a_deputy_is_not_shown_when_the_director_signs(proposal_file: ProposalFile, letterhead: Letterhead) -> None:
    from dataclasses import replace

    signed = replace(proposal_file, approval=replace(proposal_file.approval, signer="Trần Văn Giám",
                                                      signer_title="Giám đốc"))
    text = " ".join(pages(decision.render(signed, letterhead)))
    assert "KT." not in text and "GIÁM ĐỐC Trần Văn Giám" in text


def test_missing_records_are_refused(letterhead: Letterhead) -> None:
    from dataclasses import replace

    bare = replace(build_file(), council=None, approval=None, acceptance=None, liquidation=None)
    for render, message in ((appraisal_minutes.render, "hội đồng thẩm định"), (decision.render, "phê duyệt"),
                            (acceptance_minutes.render, "nghiệm thu"), (liquidation_minutes.render, "thanh lý")):
        with pytest.raises(NotFound, match=message):
            render(bare, letterhead)
    with pytest.raises(NotFound, match="thành viên"):
        score_sheet.render(build_file(), letterhead, 999)


def test_page_numbers_from_page_two_and_the_appendix_numbered_apart(letterhead: Letterhead) -> None:
    data = proposal_doc.render(build_file(lines=70, long_text=True), letterhead)
    texts = pages(data)
    assert len(texts) >= 5
    assert not texts[0].startswith("1 ")
    assert texts[1].startswith("2 ") and texts[2].startswith("3 ")
    appendix_start = next(i for i, t in enumerate(texts) if t.startswith("Mẫu số 1 Phụ lục"))
    assert appendix_start >= 2
    # The appendix restarts at 1 (not shown) and then 2 …, and its table header repeats on each page.
    assert texts[appendix_start + 1].startswith("2 STT Nội dung chi")
    assert "Tổng cộng" in texts[-1]


@pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm (poppler-utils) không có trên máy: apt-get install "
                                             "poppler-utils để kiểm tra hình ảnh trang PDF")
@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_every_page_renders(name: str, letterhead: Letterhead, tmp_path: Path) -> None:
    data = RENDERERS[name](build_file(lines=12, long_text=True), letterhead)
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(data)
    result = subprocess.run([PDFTOPPM, "-png", "-r", "40", str(pdf), str(tmp_path / "page")], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert not result.stderr.strip(), result.stderr
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(PdfReader(io.BytesIO(data)).pages)
    for image in images:
        with Image.open(image) as im:
            grey = im.convert("L")
            width, height = grey.size
            # Ink on the page, and nothing printed in the left margin (30 mm of 210 mm) or off the right edge.
            assert grey.getextrema()[0] < 100, f"{image.name} is blank"
            margin = grey.crop((0, 0, int(width * 25 / (297 if width > height else 210)), height))
            assert margin.getextrema()[0] > 200, f"{image.name}: something printed in the left margin"
    with Image.open(images[0]) as first:
        grey = first.convert("L")
        width, height = grey.size
        # The header block: ink at top left (agency) and top right (motto) of page 1.
        assert grey.crop((int(width * 0.15), int(height * 0.05), int(width * 0.5), int(height * 0.12))) \
            .getextrema()[0] < 100
        assert grey.crop((int(width * 0.55), int(height * 0.05), int(width * 0.92), int(height * 0.12))) \
            .getextrema()[0] < 100

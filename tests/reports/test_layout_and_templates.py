"""The ND 30 building blocks (number and date lines) and the wording templates (filling, dropped lines, periods,
errors naming the file and the field); every shipped template parses."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop_app.domain.errors import UserError
from desktop_app.reports import templates
from desktop_app.reports.pdf.layout import (
    Letterhead,
    Recipients,
    Signature,
    build_pdf,
    date_line,
    end_mark,
    header_block,
    legal_bases,
    number_line,
    signature_row,
    text,
    title_block,
)
from desktop_app.reports.pdf.report_table import MAX_PDF_ROWS, PdfReportTable
from desktop_app.reports.xlsx import ColumnSpec, Kind


@pytest.mark.parametrize(("recorded", "expected"), [
    ("45/QĐ-SCT", "Số: 45/QĐ-SCT"),
    ("5/BB-HĐTĐ", "Số: 05/BB-HĐTĐ"),
    ("7", "Số: 07/BB-TTKC"),
    ("123", "Số: 123/BB-TTKC"),
    ("", "Số: …/BB-TTKC"),
    (None, "Số: …/BB-TTKC"),
])
def test_number_line(recorded: str | None, expected: str) -> None:
    assert number_line(recorded, "BB", "TTKC") == expected


def test_date_line() -> None:
    assert date_line("Ninh Bình", date(2026, 1, 5)) == "Ninh Bình, ngày 05 tháng 01 năm 2026"
    assert date_line("Ninh Bình", date(2026, 6, 29)) == "Ninh Bình, ngày 29 tháng 6 năm 2026"
    assert date_line("Ninh Bình", None, 2026) == "Ninh Bình, ngày … tháng … năm 2026"
    assert date_line("", None) == "ngày … tháng … năm …"


def test_end_mark_and_bases() -> None:
    assert end_mark("Quyết định này có hiệu lực kể từ ngày ký.") == "Quyết định này có hiệu lực kể từ ngày ký./."
    assert end_mark("Đã xong./.") == "Đã xong./."
    flow = legal_bases(["Căn cứ A;", "Căn cứ B.", "  ", "Căn cứ C"])
    assert [p.text for p in flow] == ["Căn cứ A;", "Căn cứ B;", "Căn cứ C."]
    assert [p.text for p in Recipients(("Như Điều 3", "- Lưu: VT, TTKC.")).flowables()] == [
        "Nơi nhận:", "- Như Điều 3;", "- Lưu: VT, TTKC."]


def test_a_minimal_document_with_escaped_user_text(tmp_path: Path) -> None:
    head = Letterhead("Sở Công Thương tỉnh Ninh Bình", "Trung tâm <Khuyến công> & Tư vấn", "TTKC", "Ninh Bình",
                      "Trần Văn Giám", "Giám đốc")
    story = [header_block(head, number_line("3", "TB", "TTKC"), date_line("Ninh Bình", date(2026, 2, 3))),
             *title_block("Thông báo", "Về việc <thử> & kiểm tra"), text("Nội dung có ký tự <b> & \"nháy\".")]
    story.append(signature_row(Recipients(("Lưu: VT",)), Signature(("Giám đốc",), "Trần Văn Giám")))
    data = build_pdf(story, title="Thử", author=head.issuer)
    content = " ".join((PdfReader(io.BytesIO(data)).pages[0].extract_text() or "").split())
    assert "TRUNG TÂM <KHUYẾN CÔNG> & TƯ VẤN" in content and "Số: 03/TB-TTKC" in content
    assert "Ninh Bình, ngày 03 tháng 02 năm 2026" in content
    assert "Nội dung có ký tự <b> & \"nháy\"." in content


def test_every_shipped_template_parses() -> None:
    names = sorted(p.stem for p in templates.templates_dir().glob("*.toml"))
    assert {"acceptance_minutes", "appraisal_minutes", "decision", "dossier", "liquidation_minutes", "proposal",
            "report", "score_sheet", "letterhead"} <= set(names)
    for name in names:
        assert templates.load(name).has("title") or name in ("report", "letterhead")


@pytest.fixture
def template_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    monkeypatch.setattr(templates, "templates_dir", lambda: folder)
    return folder


def test_fill_lines_and_periods(template_dir: Path) -> None:
    (template_dir / "thu.toml").write_text('''
title = "Về việc {what}"
bases = [
  "Căn cứ Hợp đồng số {contract_number} {contract_date}",
  "Căn cứ luật chung",
  { text = "Căn cứ Nghị định mới", from = 2025-08-27 },
  { text = "Căn cứ quy chế cũ", until = 2020-12-31 },
]
''', encoding="utf-8")
    w = templates.load("thu")
    assert w.text("title", {"what": "  kiểm   tra "}) == "Về việc kiểm tra"
    assert w.lines("bases", {"contract_number": "", "contract_date": ""}, date(2026, 1, 1)) == [
        "Căn cứ luật chung", "Căn cứ Nghị định mới"]
    assert w.lines("bases", {"contract_number": "07/HĐ", "contract_date": "ngày 01 tháng 6 năm 2019"},
                   date(2019, 6, 1)) == ["Căn cứ Hợp đồng số 07/HĐ ngày 01 tháng 6 năm 2019", "Căn cứ luật chung",
                                         "Căn cứ quy chế cũ"]


def test_template_errors_name_the_file_and_field(template_dir: Path) -> None:
    (template_dir / "sai.toml").write_text('title = "Về việc {unknown}"\nbad = "{"\n', encoding="utf-8")
    w = templates.load("sai")
    with pytest.raises(UserError, match=r"“sai.toml” dùng trường không có: \{unknown\}"):
        w.text("title", {})
    with pytest.raises(UserError, match="có dấu ngoặc"):
        w.text("bad", {})
    with pytest.raises(UserError, match="thiếu mục “summary”"):
        w.text("summary")
    (template_dir / "hong.toml").write_text('title = "không đóng', encoding="utf-8")
    with pytest.raises(UserError, match=r"hong\.toml bị lỗi cú pháp"):
        templates.load("hong")
    with pytest.raises(UserError, match="Không tìm thấy mẫu văn bản"):
        templates.load("khong-co")


def test_an_edited_template_is_read_again(template_dir: Path) -> None:
    import os

    path = template_dir / "sua.toml"
    path.write_text('title = "Cũ"', encoding="utf-8")
    assert templates.load("sua").text("title") == "Cũ"
    path.write_text('title = "Mới"', encoding="utf-8")
    os.utime(path, (path.stat().st_atime, path.stat().st_mtime + 5))
    assert templates.load("sua").text("title") == "Mới"


def test_pdf_report_table_refuses_very_long_lists(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="quá dài để in PDF"):
        PdfReportTable(tmp_path / "x.pdf", "Danh sách", [ColumnSpec("A")], total_rows=MAX_PDF_ROWS + 1)


def test_pdf_report_table_totals_and_group_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.pdf"
    columns = [ColumnSpec("STT"), ColumnSpec("Nhóm"), ColumnSpec("Số đề án", Kind.NUMBER),
               ColumnSpec("Kinh phí", Kind.NUMBER), ColumnSpec("Chỉ trong Excel", in_pdf=False)]
    with PdfReportTable(path, "Tổng hợp", columns, subtitle="Năm 2026") as table:
        table.write_row(["I", "Khuyến công quốc gia", 2, 1_500_000_000, "ẩn"], group=True)
        table.write_row(["1", "Ninh Bình", 1, 1_000_000_000, "ẩn"])
        table.write_row(["2", "Thanh Hóa", 1, 500_000_000, "ẩn"])
        totals = table.finish()
    assert totals == {2: 2, 3: 1_500_000_000}
    content = " ".join((PdfReader(io.BytesIO(path.read_bytes())).pages[0].extract_text() or "").split())
    assert "TỔNG HỢP Năm 2026" in content
    assert "I Khuyến công quốc gia 2 1.500.000.000" in content
    assert "Tổng cộng 2 1.500.000.000" in content
    assert "ẩn" not in content and "Chỉ trong Excel" not in content


@pytest.mark.parametrize("count", range(8, 50, 3))
def test_report_signatures_never_stand_alone_and_years_are_plain(count: int, tmp_path: Path) -> None:
    """Whatever the number of rows, the last page of a report starts with table rows (their header repeated),
    never with the signatures; a year prints as "2026" and the widest amount stays on one line."""
    from report_records import ORGANISATION

    path = tmp_path / "r.pdf"
    columns = [ColumnSpec("STT", Kind.COUNT, total=False), ColumnSpec("Tên đề án"),
               ColumnSpec("Năm", Kind.COUNT, total=False), ColumnSpec("Kinh phí", Kind.NUMBER)]
    with PdfReportTable(path, "Danh sách đề án", columns, organisation=ORGANISATION) as table:
        for i in range(count):
            table.write_row([i + 1, f"Đề án {i}", 2026, 999_999_999_999 if i == 1 else 1_000_000])
        table.finish()
    pages = [(p.extract_text() or "").splitlines() for p in PdfReader(io.BytesIO(path.read_bytes())).pages]
    for lines in pages[1:]:
        first = next(x.strip() for x in lines if x.strip() and not x.strip().isdigit())
        assert first.startswith("STT"), (count, first)
    text = "\n".join("\n".join(lines) for lines in pages)
    assert "2026" in text and "2.026" not in text
    assert "999.999.999.999" in text.replace(" ", "")


def test_numbers_cited_in_the_text_get_their_leading_zero() -> None:
    from desktop_app.reports.pdf.common import cited_number

    assert cited_number("5/BB-HĐTĐ") == "05/BB-HĐTĐ"
    assert cited_number("45/QĐ-SCT") == "45/QĐ-SCT"
    assert cited_number("") == "" and cited_number("Số 5") == "Số 5"

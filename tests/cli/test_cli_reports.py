"""``khuyencong report …`` and ``khuyencong document …``: files written, figures printed, Vietnamese errors and
a non-zero exit on failure."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pytest
from factories import PASSWORD, advance_to, make_proposal
from pypdf import PdfReader

from desktop_app.cli.main import main
from desktop_app.domain.enums import Scope, Status


@pytest.fixture
def run(db_url, monkeypatch, capsys):
    monkeypatch.setenv("KHUYENCONG_PASSWORD", PASSWORD)

    def invoke(*argv: str, user: str = "canbo") -> tuple[int, str, str]:
        code = main(["--db", db_url, "--user", user, *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def test_report_funding_to_excel_and_pdf(services, people, run, tmp_path) -> None:
    d = make_proposal(services, people.staff, scope=Scope.NATIONAL)
    advance_to(services, people, d.id, Status.APPROVED)
    out = tmp_path / "kinh-phi.xlsx"
    code, stdout, _ = run("report", "funding", "--from-year", "2026", "--to-year", "2026", "--scope", "national",
                          "--by", "year", "--by", "content", "--out", str(out))
    assert code == 0, stdout
    assert f"Đã ghi {out}: 1 dòng." in stdout
    assert "Tổng cộng: số đề án 1; tổng kinh phí 600.000.000; kinh phí khuyến công 250.000.000" in stdout
    ws = openpyxl.load_workbook(out).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "BÁO CÁO TỔNG HỢP KINH PHÍ KHUYẾN CÔNG — KINH PHÍ ĐƯỢC PHÊ DUYỆT" in values and 600_000_000 in values

    pdf = tmp_path / "kinh-phi.pdf"
    code, stdout, _ = run("report", "funding", "--from-year", "2026", "--to-year", "2026", "--by", "province",
                          "--as-recorded", "--out", str(pdf), user="lanhdao")
    assert code == 0
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "Ninh Bình" in " ".join(text.split()) and "600.000.000" in text


def test_other_reports(services, people, run, tmp_path) -> None:
    d = make_proposal(services, people.staff, scope=Scope.NATIONAL, year=2027)
    advance_to(services, people, d.id, Status.SUBMITTED)
    for argv, expected in (
        (["report", "proposals", "--year", "2027", "--out", str(tmp_path / "a.xlsx")], "1 dòng"),
        (["report", "establishments", "--province", "37", "--out", str(tmp_path / "b.xlsx")], "lao động 25"),
        (["report", "progress", "--from-year", "2027", "--to-year", "2027", "--out", str(tmp_path / "c.pdf")],
         "0 dòng"),
        (["report", "registration", "--year", "2027", "--out", str(tmp_path / "d.xlsx")], "0 dòng"),
        (["report", "registration", "--year", "2027", "--status", "submitted", "--out", str(tmp_path / "e.xlsx")],
         "tổng kinh phí 600.000.000"),
    ):
        code, stdout, stderr = run(*argv)
        assert code == 0, stderr
        assert expected in stdout
    assert (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF")


def test_documents(services, people, run, tmp_path) -> None:
    d = make_proposal(services, people.staff)
    advance_to(services, people, d.id, Status.SETTLED)
    out = tmp_path / "nghiem-thu.pdf"
    code, stdout, _ = run("document", "acceptance", d.code, "--out", str(out))
    assert code == 0 and f"Đã ghi {out}" in stdout
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "Số: 15/BB-NT" in text

    out = tmp_path / "phieu.pdf"
    code, _, _ = run("document", "score-sheet", d.code, "--member", "thamdinh2", "--out", str(out))
    assert code == 0
    assert "Vũ Thị Yến" in " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(out.read_bytes())).pages)

    out = tmp_path / "ho-so.zip"
    code, _, _ = run("document", "dossier", d.code.lower(), "--out", str(out))
    assert code == 0
    assert len(zipfile.ZipFile(out).namelist()) == 11

    # The Word file of a document, and the blank forms for the meetings.
    out = tmp_path / "hop-dong.docx"
    code, _, _ = run("document", "contract", d.code, "--out", str(out))
    assert code == 0
    word = docx.Document(str(out))
    body = " ".join(p.text for p in word.paragraphs)
    assert "HỢP ĐỒNG" in body and "Điều 7." in body
    out = tmp_path / "mau-nghiem-thu.pdf"
    code, _, _ = run("document", "acceptance", d.code, "--blank", "--out", str(out))
    assert code == 0
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "Tổng kinh phí được nghiệm thu: …" in text and "Số: …/BB-" in text
    out = tmp_path / "mau-phieu.docx"
    code, _, _ = run("document", "score-sheet", d.code, "--blank", "--out", str(out))
    assert code == 0 and "PHIẾU THẨM ĐỊNH" in " ".join(p.text for p in docx.Document(str(out)).paragraphs)


@pytest.mark.parametrize(("argv", "user", "message"), [
    (["report", "funding", "--from-year", "2021", "--to-year", "2020", "--by", "year", "--out", "{tmp}/x.xlsx"],
     "canbo", "Năm bắt đầu (2021) sau năm kết thúc (2020)"),
    (["report", "funding", "--from-year", "2020", "--to-year", "2020", "--by", "year", "--out", "{tmp}/x.csv"],
     "canbo", "phải có đuôi .xlsx (Excel) hoặc .pdf"),
    (["report", "funding", "--from-year", "2020", "--to-year", "2020", "--by", "year", "--out", "{tmp}/x.xlsx"],
     "quantri", "không được lập báo cáo"),
    (["document", "proposal", "KCDP-1999-0001", "--out", "{tmp}/x.pdf"], "canbo", "Không có đề án mã"),
    (["document", "acceptance", "{code}", "--out", "{tmp}/x.pdf"], "canbo", "Chưa ghi nhận kết quả nghiệm thu"),
    (["document", "score-sheet", "{code}", "--member", "thamdinh1", "--out", "{tmp}/x.pdf"], "canbo",
     "Đề án chưa có hội đồng thẩm định"),
    (["document", "score-sheet", "{code}", "--out", "{tmp}/x.pdf"], "canbo", "In phiếu thẩm định cần --member"),
    (["document", "proposal", "{code}", "--out", "{tmp}/x.txt"], "canbo", "phải có đuôi .pdf hoặc .docx"),
    (["document", "dossier", "{code}", "--out", "{tmp}/x.docx"], "canbo", "phải có đuôi .pdf"),
    (["document", "decision", "{code}", "--blank", "--out", "{tmp}/x.pdf"], "canbo", "--blank chỉ dùng cho"),
    (["document", "acceptance", "{code}", "--blank", "--out", "{tmp}/x.pdf"], "canbo", "chưa được phê duyệt"),
])
def test_errors_are_vietnamese_and_exit_non_zero(services, people, run, tmp_path, argv, user, message) -> None:
    d = make_proposal(services, people.staff)
    argv = [a.replace("{tmp}", str(tmp_path)).replace("{code}", d.code) for a in argv]
    code, _, stderr = run(*argv, user=user)
    assert code == 2
    assert stderr.startswith("Lỗi: ") and message in stderr
    assert not list(tmp_path.glob("x.*"))


def test_a_bad_grouping_is_refused_by_the_parser(run, tmp_path) -> None:
    with pytest.raises(SystemExit) as exc:
        run("report", "funding", "--from-year", "2020", "--to-year", "2020", "--by", "district", "--out",
            str(tmp_path / "x.xlsx"))
    assert exc.value.code == 2


def test_ledger_check_and_acceptance_review(services, people, run, tmp_path) -> None:
    d = make_proposal(services, people.staff)
    advance_to(services, people, d.id, Status.SETTLED)
    code, stdout, stderr = run("report", "ledger-check")
    assert code == 0, stderr
    assert "Đã kiểm tra 1 đề án: số liệu kinh phí khớp ở mọi đề án." in stdout
    code, stdout, stderr = run("report", "acceptance-review", "--out", str(tmp_path / "r.xlsx"))
    assert code == 0, stderr
    assert "0 dòng" in stdout

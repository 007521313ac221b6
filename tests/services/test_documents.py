"""The document service: which documents are available, who may print them, and what each PDF says.

Every PDF is read back with pypdf: the ND 30 header block, the numbers recorded, the amounts in figures and in
words, and the signers. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from factories import advance_to, make_proposal
from pypdf import PdfReader

from desktop_app.domain.enums import DocumentKind, Scope, Status
from desktop_app.domain.errors import PermissionDenied, WorkflowError
from desktop_app.services.dto import AcceptanceLineInput


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def pdf_text(data: bytes) -> str:
    """All the text, with line breaks folded into spaces (wrapped lines must still match)."""
    return " ".join(" ".join(pdf_pages(data)).split())


def header_ok(text: str) -> None:
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "SỞ CÔNG THƯƠNG TỈNH NINH BÌNH", "TRUNG TÂM KHUYẾN CÔNG VÀ TƯ VẤN PHÁT TRIỂN CÔNG NGHIỆP"):
        assert expected in text, expected


@pytest.fixture
def settled(services, people):
    d = make_proposal(services, people.staff)
    advance_to(services, people, d.id, Status.SETTLED)
    return d


def test_staff_may_print_every_document_of_a_settled_proposal(services, people, settled) -> None:
    options = services.documents.available(people.staff, settled.id)
    kinds = [o.kind for o in options if not o.blank]
    assert kinds.count(DocumentKind.SCORE_SHEET) == 3
    assert {o.kind for o in options if o.blank} == {DocumentKind.SCORE_SHEET, DocumentKind.ACCEPTANCE}
    assert set(kinds) == set(DocumentKind)
    # Every document but the acceptance council's decision: this acceptance was recorded without a council.
    refused = [o for o in options if not o.enabled]
    assert [o.kind for o in refused] == [DocumentKind.ACCEPTANCE_COUNCIL], refused
    assert all(o.filename.endswith(".pdf") and settled.code in o.filename for o in options)
    for o in options:
        if not o.enabled:
            continue
        data = services.documents.render(people.staff, o.kind, settled.id, o.member_id, o.blank)
        assert data.startswith(b"%PDF"), o.kind
        if o.kind is not DocumentKind.DOSSIER:
            word = services.documents.render_docx(people.staff, o.kind, settled.id, o.member_id, o.blank)
            assert word.startswith(b"PK"), o.kind


def test_proposal_document(services, people, settled) -> None:
    pages = pdf_pages(services.documents.render(people.staff, DocumentKind.PROPOSAL, settled.id))
    text = " ".join(" ".join(pages).split())
    header_ok(text)
    assert "Số: …/ĐA-TTKC" in text
    assert "ĐỀ ÁN" in text and settled.title in text
    # The submission date heads the document: the factory submits it today.
    assert f"Ninh Bình, ngày {date.today().day:02d} tháng" in text
    for section in ("1. Đơn vị thực hiện", "2. Sự cần thiết", "3. Mục tiêu", "4. Quy mô", "5. Nội dung và tiến độ",
                    "6. Dự toán kinh phí", "7. Tổ chức thực hiện", "8. Hiệu quả"):
        assert section in text
    assert "Tổng kinh phí thực hiện đề án: 600.000.000 đồng" in text
    assert "Kinh phí khuyến công hỗ trợ: 250.000.000 đồng" in text
    assert "Bằng chữ: Sáu trăm triệu đồng." in text
    assert "GIÁM ĐỐC" in text and "Trần Văn Giám" in text and "Nơi nhận:" in text
    # The Mẫu 1 appendix: one line, 2 × 300.000.000, and the total row.
    assert "DỰ TOÁN KINH PHÍ THỰC HIỆN ĐỀ ÁN" in text and "Mẫu số 1" in text
    assert "Máy dệt tự động máy 2 300.000.000 600.000.000 250.000.000 350.000.000 0" in text
    assert "Tổng cộng 600.000.000 250.000.000 350.000.000 0" in text
    # Page numbers from page 2 (top margin), none on page 1 nor on the appendix's first page.
    assert not pages[0].strip().startswith("1")
    if len(pages) > 2:
        assert pages[1].strip().startswith("2")
    assert not pages[-1].strip().split()[0].isdigit()


def test_decision_shows_number_date_amount_in_words_and_deputy_signer(services, people, settled) -> None:
    text = pdf_text(services.documents.render(people.staff, DocumentKind.DECISION, settled.id))
    assert "UBND TỈNH NINH BÌNH SỞ CÔNG THƯƠNG" in text  # 45/QĐ-SCT is the Sở's decision
    assert "GIÁM ĐỐC SỞ CÔNG THƯƠNG" in text
    assert "Số: 45/QĐ-SCT" in text
    assert "Ninh Bình, ngày 01 tháng 6 năm 2026" in text
    assert "QUYẾT ĐỊNH Về việc phê duyệt đề án khuyến công địa phương năm 2026" in text
    assert "Căn cứ Nghị định số 45/2012/NĐ-CP" in text
    assert "Căn cứ Biên bản họp Hội đồng thẩm định số 05/BB-HĐTĐ ngày 10 tháng 4 năm 2026." in text
    assert "QUYẾT ĐỊNH:" in text and "Điều 1." in text and "Điều 3." in text
    assert "Kinh phí khuyến công hỗ trợ: 250.000.000 đồng (bằng chữ: hai trăm năm mươi triệu đồng)" in text
    assert "Quyết định này./." in text
    # Signed by the manager (Phó Giám đốc), for the director.
    assert "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text and "Phạm Văn Lãnh" in text
    assert "Nơi nhận: - Như Điều 3;" in text and "- Lưu: VT, SCT." in text


def test_appraisal_minutes_and_score_sheets(services, people, settled) -> None:
    text = pdf_text(services.documents.render(people.staff, DocumentKind.APPRAISAL, settled.id))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "HỘI ĐỒNG THẨM ĐỊNH" in text
    assert "Số: 05/BB-HĐTĐ" in text
    assert "BIÊN BẢN Họp Hội đồng thẩm định đề án khuyến công địa phương năm 2026" in text
    assert "Căn cứ Quyết định số 12/QĐ-TTKC ngày 01 tháng 4 năm 2026" in text
    assert "ngày 10 tháng 4 năm 2026, tại Phòng họp Trung tâm" in text
    assert "có mặt 3/3 thành viên" in text
    assert "250.000.000 đồng (bằng chữ: hai trăm năm mươi triệu đồng)" in text
    assert "Điểm trung bình của các thành viên được tính: 85 điểm (điểm đạt: 70 điểm)" in text
    # The conclusion is stated once: the recorded "Đạt" adds nothing to the template's sentence.
    conclusion = text.split("KẾT LUẬN CỦA HỘI ĐỒNG", 1)[1]
    assert "Đề án đạt yêu cầu thẩm định." in conclusion and " Đạt " not in conclusion
    # Mẫu 1.9: THƯ KÝ at left, CHỦ TỌA at right; secretary and chair by name.
    assert "THƯ KÝ Vũ Thị Yến CHỦ TỌA Đỗ Quốc Hưng Nơi nhận:" in text
    council = services.appraisal.council(people.staff, settled.id)
    assert council is not None
    for sheet in council.sheets:
        sheet_pdf = services.documents.render(people.staff, DocumentKind.SCORE_SHEET, settled.id, sheet.member_id)
        assert len(pdf_pages(sheet_pdf)) == 1, "a score sheet fits one page"
        sheet_text = pdf_text(sheet_pdf)
        assert "PHIẾU THẨM ĐỊNH" in sheet_text and sheet.member_name in sheet_text
        assert "Ninh Bình, ngày 10 tháng 4 năm 2026" in sheet_text
        assert "Tổng cộng 100 85" in sheet_text and "Tổng số điểm: 85/100" in sheet_text
        assert "NGƯỜI THẨM ĐỊNH" in sheet_text


def test_acceptance_and_liquidation_minutes(services, people, settled) -> None:
    text = pdf_text(services.documents.render(people.staff, DocumentKind.ACCEPTANCE, settled.id))
    header_ok(text)
    assert "Số: 15/BB-NT" in text and "Ninh Bình, ngày 20 tháng 11 năm 2026" in text
    assert "Căn cứ Quyết định số 45/QĐ-SCT ngày 01 tháng 6 năm 2026" in text
    assert "Căn cứ Hợp đồng số 07/HĐ-TTKC ngày 10 tháng 6 năm 2026" in text
    assert "Hôm nay, ngày 20 tháng 11 năm 2026, tại cơ sở" in text
    # the approved line (total, support) beside the verified support, counterpart and total; no "other" column
    assert "Máy dệt tự động 600.000.000 250.000.000 250.000.000 350.000.000 600.000.000" in text

    # The blank form for the meeting: the approved line printed, the verified columns left to write by hand.
    blank = pdf_text(services.documents.render(people.staff, DocumentKind.ACCEPTANCE, settled.id, blank=True))
    assert "Máy dệt tự động 600.000.000 250.000.000 Tổng cộng 600.000.000 250.000.000" in blank
    assert "Tổng kinh phí được nghiệm thu: …" in blank and "Số: …/BB-TTKC" in blank
    assert ("Tổng kinh phí được nghiệm thu: 600.000.000 đồng, trong đó kinh phí khuyến công hỗ trợ 250.000.000 đồng "
            "(bằng chữ: hai trăm năm mươi triệu đồng)") in text
    assert "đồng ý nghiệm thu" in text and "ĐẠI DIỆN BÊN A" in text and "ĐẠI DIỆN BÊN B" in text
    assert "Trần Văn Giám" in text and "Nguyễn Văn Hưng" in text  # the beneficiary's representative

    text = pdf_text(services.documents.render(people.staff, DocumentKind.LIQUIDATION, settled.id))
    header_ok(text)
    assert "Số: 20/BB-TL" in text and "Ninh Bình, ngày 01 tháng 12 năm 2026" in text
    assert "Thanh lý Hợp đồng số 07/HĐ-TTKC" in text
    assert "Căn cứ Biên bản nghiệm thu số 15/BB-NT ngày 20 tháng 11 năm 2026" in text
    assert "Điều 2. Giá trị được nghiệm thu: 250.000.000 đồng (bằng chữ: hai trăm năm mươi triệu đồng)." in text
    assert "Điều 3. Bên A đã tạm ứng, thanh toán cho bên B: 250.000.000 đồng" in text
    assert "trong đó tạm ứng 175.000.000 đồng" in text
    assert "hai bên không còn khoản phải thanh toán" in text
    # The centre implements the proposal itself, so party B is the beneficiary.
    assert "BÊN B: Hợp tác xã Mây tre đan Hưng Thịnh" in text


def test_a_draft_offers_only_the_proposal_and_says_why(services, people) -> None:
    d = make_proposal(services, people.staff)
    options = {o.kind: o for o in services.documents.available(people.staff, d.id)}
    assert options[DocumentKind.PROPOSAL].enabled
    assert options[DocumentKind.SCORE_SHEET].reason == "Đề án chưa có hội đồng thẩm định."
    assert options[DocumentKind.DECISION].reason == "Đề án chưa được phê duyệt."
    assert options[DocumentKind.ACCEPTANCE].reason == "Chưa ghi nhận kết quả nghiệm thu."
    assert options[DocumentKind.LIQUIDATION].reason == "Chưa lập biên bản thanh lý hợp đồng."
    with pytest.raises(WorkflowError, match="Chưa ghi nhận kết quả nghiệm thu"):
        services.documents.render(people.staff, DocumentKind.ACCEPTANCE, d.id)
    # The draft's date line is left to fill in by hand.
    text = pdf_text(services.documents.render(people.manager, DocumentKind.PROPOSAL, d.id))
    assert "Ninh Bình, ngày … tháng … năm 2026" in text


def test_missing_minutes_number_leaves_dots(services, people) -> None:
    d = make_proposal(services, people.staff)
    advance_to(services, people, d.id, Status.AWAITING_ACCEPTANCE)
    detail = services.proposals.get(people.staff, d.id)
    services.implementation.record_acceptance(
        people.staff, d.id, held_on=date(2026, 11, 20), place="Xưởng của hợp tác xã", passed=True, conclusion="",
        minutes_number="",
        lines=[AcceptanceLineInput(x.id or 0, x.support_vnd, x.counterpart_vnd) for x in detail.lines])
    text = pdf_text(services.documents.render(people.staff, DocumentKind.ACCEPTANCE, d.id))
    assert "Số: …/BB-TTKC" in text


def test_appraiser_prints_only_own_score_sheet(services, people, settled) -> None:
    me = people.appraisers[1]
    options = services.documents.available(me, settled.id)
    sheets = [o for o in options if o.kind is DocumentKind.SCORE_SHEET]
    assert len(sheets) == 1 and sheets[0].enabled and "Vũ Thị Yến" in sheets[0].label
    others = [o for o in options if o.kind is not DocumentKind.SCORE_SHEET]
    assert others and all(not o.enabled and "chỉ in được phiếu thẩm định của mình" in o.reason for o in others)
    text = pdf_text(services.documents.render(me, DocumentKind.SCORE_SHEET, settled.id, sheets[0].member_id))
    assert "Vũ Thị Yến" in text
    council = services.appraisal.council(people.staff, settled.id)
    assert council is not None
    other = next(s.member_id for s in council.sheets if s.member_name != "Vũ Thị Yến")
    with pytest.raises(PermissionDenied, match="phiếu thẩm định của mình"):
        services.documents.render(me, DocumentKind.SCORE_SHEET, settled.id, other)
    with pytest.raises(PermissionDenied):
        services.documents.render(me, DocumentKind.DECISION, settled.id)
    with pytest.raises(PermissionDenied):
        services.documents.dossier(me, settled.id)


def test_administrator_prints_nothing(services, people, settled) -> None:
    options = services.documents.available(people.admin, settled.id)
    assert options and all(not o.enabled and "Quản trị hệ thống" in o.reason for o in options)
    with pytest.raises(PermissionDenied, match="Quản trị hệ thống"):
        services.documents.render(people.admin, DocumentKind.PROPOSAL, settled.id)
    with pytest.raises(PermissionDenied):
        services.documents.dossier(people.admin, settled.id, as_zip=True)


def test_national_approval_is_the_ministrys_decision(services, people) -> None:
    d = make_proposal(services, people.staff, scope=Scope.NATIONAL)
    advance_to(services, people, d.id, Status.APPROVED)
    decision = next(o for o in services.documents.available(people.staff, d.id) if o.kind is DocumentKind.DECISION)
    assert not decision.enabled and "Bộ Công Thương" in decision.reason and "45/QĐ-SCT" in decision.reason


def _attachment_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.drawString(100, 700, "Giay chung nhan dang ky kinh doanh")
    c.showPage()
    c.save()
    return buffer.getvalue()


def test_dossier_merges_documents_and_attached_pdfs(services, people) -> None:
    d = make_proposal(services, people.staff)
    services.proposals.add_attachment(people.staff, d.id, "Giấy chứng nhận ĐKKD.pdf", _attachment_pdf())
    services.proposals.add_attachment(people.staff, d.id, "anh-xuong.png", b"\x89PNG\r\n\x1a\nnot really")
    advance_to(services, people, d.id, Status.SETTLED)
    docs = services.documents
    merged = docs.dossier(people.manager, d.id)
    reader = PdfReader(io.BytesIO(merged))
    expected_pages = 1 + 1  # the index page and the attached PDF
    for o in docs.available(people.manager, d.id):
        if o.enabled and not o.blank and o.kind is not DocumentKind.DOSSIER:
            expected_pages += len(PdfReader(io.BytesIO(docs.render(people.manager, o.kind, d.id, o.member_id))).pages)
    assert len(reader.pages) == expected_pages
    text = " ".join(" ".join((p.extract_text() or "") for p in reader.pages).split())
    assert "HỒ SƠ ĐỀ ÁN KHUYẾN CÔNG" in text
    assert "Tệp đính kèm: Giấy chứng nhận ĐKKD.pdf" in text
    assert "anh-xuong.png" in text  # listed as not merged
    assert "Giay chung nhan dang ky kinh doanh" in text
    assert [o.title for o in reader.outline][:2] == ["Mục lục hồ sơ", "Đề án"]

    archive = zipfile.ZipFile(io.BytesIO(docs.dossier(people.manager, d.id, as_zip=True)))
    names = archive.namelist()
    assert "tep-dinh-kem/Giấy chứng nhận ĐKKD.pdf" in names and "tep-dinh-kem/anh-xuong.png" in names
    assert names[0] == f"01-de-an-{d.code}.pdf"
    # proposal, council decision, 3 score sheets, appraisal minutes, decision, contract, acceptance
    # minutes, liquidation minutes, settlement decision (no acceptance council recorded; blank forms left out)
    assert sum(1 for n in names if not n.startswith("tep-dinh-kem/")) == 11
    assert archive.read("tep-dinh-kem/anh-xuong.png") == b"\x89PNG\r\n\x1a\nnot really"

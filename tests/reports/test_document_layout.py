"""What a văn thư checks before signing, read back from the PDF's text positions (pypdf with a visitor), for
every document kind of a proposal with amounts up to 999.999.999.999 đồng and long texts:

- no amount is split across lines (in a table cell or in a sentence);
- no page starts with the signature block (the last lines of the body stay with it);
- the agency names in the header break only between whole words (never "CÔNG / NGHIỆP");
- every font is embedded (no unused Helvetica);
- and the Word file of each document holds the same texts and figures as its PDF.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import pairwise
from typing import Any

import docx
import pytest
from pypdf import PdfReader
from report_records import ORGANISATION, build_file
from reportlab.platypus import KeepTogether, Paragraph, Table

from desktop_app.reports import templates
from desktop_app.reports.docx_writer import render_docx
from desktop_app.reports.pdf import (
    acceptance_minutes,
    appraisal_minutes,
    contract,
    council_decision,
    decision,
    liquidation_minutes,
    proposal_doc,
    score_sheet,
    settlement_decision,
)
from desktop_app.reports.pdf.layout import MARGIN_TOP, Composed, Letterhead, render_pdf
from desktop_app.reports.pdf.records import AcceptanceLineRecord, LiquidationRecord, ProposalFile, SettlementRecord
from desktop_app.services.dto import BudgetLineView, TargetView

MAX = 999_999_999_999
LONG = ("Cơ sở đang sử dụng dây chuyền thủ công, năng suất thấp, chất lượng sản phẩm không đồng đều, chưa đáp "
        "ứng yêu cầu của thị trường xuất khẩu và các hợp đồng lớn. ") * 6

COMPOSERS: dict[str, Callable[[ProposalFile, Letterhead], Composed]] = {
    "proposal": proposal_doc.compose,
    "council": council_decision.compose,
    "score_sheet": lambda f, h: score_sheet.compose(f, h, 11),
    "score_sheet_blank": lambda f, h: score_sheet.compose(f, h, None, blank=True),
    "appraisal": appraisal_minutes.compose,
    "decision": decision.compose,
    "contract": contract.compose,
    "acceptance_council": lambda f, h: council_decision.compose(f, h, acceptance=True),
    "acceptance_blank": acceptance_minutes.compose_blank,
    "acceptance": acceptance_minutes.compose,
    "liquidation": liquidation_minutes.compose,
    "settlement": settlement_decision.compose,
}
SIGNATURE_STYLES = {"sign_title", "sign_name", "sign_note", "recipients_head", "recipients_item"}
AMOUNT = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d,])")


def large_file(lines: int = 12) -> ProposalFile:
    """A settled proposal whose total is exactly 999.999.999.999 đồng, with long names and texts."""
    base = build_file(lines=3, long_text=True)
    amounts = [(300_000_000_000, 299_999_999_999, 0), (50_000_000_000, 49_000_000_000, 0),
               (500_000_000, 0, 499_999_999)] + [(1_234_567_000, 2_345_678_000, 0)] * (lines - 4)
    used = sum(sum(a) for a in amounts)
    amounts.append((MAX - used, 0, 0))
    budget = tuple(BudgetLineView(i, i, f"Hạng mục {i}: dây chuyền sản xuất tự động hóa đồng bộ, lắp đặt, chạy "
                                        f"thử và chuyển giao công nghệ ({i})", "hệ thống", Decimal(1), sum(a), *a)
                   for i, a in enumerate(amounts, start=1))
    support = sum(x.support_vnd for x in budget)
    counterpart = sum(x.counterpart_vnd for x in budget)
    other = sum(x.other_vnd for x in budget)
    assert support + counterpart + other == MAX and all(x.total_vnd > 0 for x in budget)
    p = replace(base.proposal, lines=budget, support_vnd=support, counterpart_vnd=counterpart, other_vnd=other,
                total_vnd=MAX, approved_support_vnd=support, necessity=LONG, scale=LONG, effectiveness=LONG,
                title="Hỗ trợ xây dựng mô hình trình diễn kỹ thuật dây chuyền sản xuất gạch không nung tự động "
                      "hóa đồng bộ công suất lớn tại Hợp tác xã Vật liệu xây dựng Ngọc Lâm",
                targets=(TargetView("value", "Giá trị sản xuất tăng thêm", "đồng/năm", MAX, 987_654_321_000),
                         TargetView("jobs", "Việc làm mới", "người", 120, 135)))
    acceptance = replace(base.acceptance, lines=tuple(
        AcceptanceLineRecord(x.item, x.unit, x.quantity, x.total_vnd, x.support_vnd, x.support_vnd,
                             x.counterpart_vnd, x.other_vnd) for x in budget),
        conclusion="Dây chuyền vận hành ổn định, đạt công suất thiết kế.")
    contract_record = replace(base.contract, value_vnd=support)
    liquidation = LiquidationRecord("20/BB-TL", base.liquidation.signed_on, support, support - 123_456_789_000,
                                    123_456_789_000, "", 200_000_000_000)
    settlement = SettlementRecord("30/QĐ-TTKC", base.liquidation.signed_on, support - 1_000_000, 1_000_000, "")
    return replace(base, proposal=p, acceptance=acceptance, contract=contract_record, liquidation=liquidation,
                   approval=replace(base.approval, amount_vnd=support), acceptance_council=base.council,
                   settlement=settlement)


@pytest.fixture(scope="module")
def head() -> Letterhead:
    return Letterhead.of(ORGANISATION)


@pytest.fixture(scope="module")
def documents(head: Letterhead) -> dict[str, tuple[Composed, bytes]]:
    file = large_file()
    out = {}
    for name, compose in COMPOSERS.items():
        composed = compose(file, head)
        out[name] = (composed, render_pdf(composed))
    return out


# --- reading the PDF ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Chunk:
    """One text-showing operation: in these PDFs, one line of a paragraph (or a part of it in another font)."""

    page: int
    x: float
    y: float
    text: str
    font: str


def chunks(data: bytes) -> list[Chunk]:
    out: list[Chunk] = []
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages):
        def visit(text: str, cm: Any, tm: Any, font: Any, size: float, page_number: int = number) -> None:
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                name = str(font.get("/BaseFont", "")) if font else ""
                out.append(Chunk(page_number, x, y, text.strip(), name))

        page.extract_text(visitor_text=visit)
    return out


def body_chunks(data: bytes) -> list[Chunk]:
    """The chunks without the page numbers (in the top margin)."""
    heights = [float(p.mediabox.height) for p in PdfReader(io.BytesIO(data)).pages]
    return [c for c in chunks(data) if c.y < heights[c.page] - MARGIN_TOP + 2]


def _walk(items: Any) -> Iterator[Any]:
    for item in items:
        if isinstance(item, KeepTogether):
            yield from _walk(item._content)
        elif isinstance(item, list | tuple):
            yield from _walk(item)
        elif isinstance(item, Table):
            yield item
            for row in item._cellvalues:
                for cell in row:
                    yield from _walk(cell if isinstance(cell, list | tuple) else [cell])
        else:
            yield item


def signature_texts(composed: Composed) -> set[str]:
    return {" ".join(p.getPlainText().split()) for p in _walk(composed.story)
            if isinstance(p, Paragraph) and p.style.name in SIGNATURE_STYLES}


def split_amounts(found: list[Chunk]) -> list[str]:
    """Chunks that hold a piece of an amount broken over two lines: "1.425.575.0" + "00", "11.647.210." +
    "000", "815.000.000" + ".000", "780.000.000" + "000 đồng"."""
    bad = []
    for c, after in zip(found, [*found[1:], None], strict=True):
        for token in re.findall(r"\d[\d.]*\d", c.text):
            groups = token.split(".")
            if len(groups) > 1 and (len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:])):
                bad.append(c.text)  # a group of other than three digits: cut inside the number
        if re.search(r"\d{1,3}(?:\.\d{3})+\.$", c.text) and after is not None and re.match(r"\d", after.text):
            bad.append(c.text)  # cut after a separator
        if re.match(r"^\.\d{3}", c.text) or re.match(r"^0\d\d(?:\.\d{3})*(?!\d)", c.text):
            bad.append(c.text)  # the tail of a cut number
    return bad


# --- the checks --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(COMPOSERS))
def test_amounts_never_split_across_lines(name: str, documents: dict[str, tuple[Composed, bytes]]) -> None:
    _composed, data = documents[name]
    found = body_chunks(data)
    assert not split_amounts(found), (name, split_amounts(found))
    amounts = [a for c in found for a in AMOUNT.findall(c.text)]
    if name in ("proposal", "acceptance", "acceptance_blank", "decision", "contract", "settlement",
                "liquidation", "score_sheet", "score_sheet_blank", "appraisal"):
        assert amounts, f"{name} prints no amount"
    if name in ("proposal", "acceptance", "acceptance_blank", "decision", "score_sheet", "appraisal"):
        assert "999.999.999.999" in amounts, f"{name}: the total is not on one line"


@pytest.mark.parametrize("name", list(COMPOSERS))
def test_no_page_starts_with_the_signature_block(name: str, documents: dict[str, tuple[Composed, bytes]]) -> None:
    composed, data = documents[name]
    signatures = signature_texts(composed)
    assert signatures, "the document has a signature block"
    found = body_chunks(data)
    for page in sorted({c.page for c in found})[1:]:
        first = max((c for c in found if c.page == page), key=lambda c: (c.y, -c.x))
        assert first.text not in signatures and not first.text.startswith("Nơi nhận"), \
            f"{name}: page {page + 1} starts with the signature block ({first.text!r})"


def _keep_together() -> list[str]:
    return [x.upper() for x in templates.load("letterhead").lines("keep_together")]


@pytest.mark.parametrize("issuer", [ORGANISATION.name, "Trung tâm Khuyến công và Xúc tiến thương mại, Tư vấn phát "
                                                       "triển công nghiệp và Tiết kiệm năng lượng"])
def test_header_words_are_whole(issuer: str) -> None:
    head = Letterhead.of(replace(ORGANISATION, name=issuer,
                                 parent_body="Ủy ban nhân dân thành phố Hồ Chí Minh - Sở Công Thương"))
    data = decision.render(build_file(), head)
    found = [c for c in chunks(data) if c.page == 0 and c.y > 700]
    lines = [c.text for c in found]
    header = " ".join(lines)
    assert issuer.upper() in header or all(w in header for w in issuer.upper().split())
    compounds = [w for w in _keep_together() if w in issuer.upper() or w in head.parent_body.upper()]
    assert compounds
    for compound in compounds:
        first, second = compound.split()[0], compound.split()[-1]
        for above, below in pairwise(lines):
            assert not (above.endswith(first) and below.startswith(second)), f"“{compound}” split: {above} / {below}"


@pytest.mark.parametrize("name", list(COMPOSERS))
def test_every_font_is_embedded(name: str, documents: dict[str, tuple[Composed, bytes]]) -> None:
    _composed, data = documents[name]
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert font.get("/Subtype") == "/TrueType", f"{name}: {font.get('/BaseFont')} is not embedded TrueType"
            assert "/FontFile2" in font["/FontDescriptor"].get_object()
            assert "Helvetica" not in str(font.get("/BaseFont"))


def test_the_motto_rule_clears_the_letters_below_the_line() -> None:
    from desktop_app.reports.pdf.fonts import SERIF_BOLD
    from desktop_app.reports.pdf.layout import MOTTO, CentredLine

    line = CentredLine(MOTTO, SERIF_BOLD, 13, rule="full", gap=1.5)
    # The lowest glyph of Liberation Serif Bold reaches 0.303 em below the baseline ("p", the dot of "ạ").
    assert line._depth() >= 13 * 0.30 + 1.5


# --- the Word files ----------------------------------------------------------------------------------------------

def _runs_text(paragraph: Any) -> str:
    """A paragraph's text, a line break counting as a space."""
    return "".join((t.text or "") if t.tag.endswith("}t") else " " for t in paragraph.iter()
                   if t.tag.endswith(("}t", "}br")))


def docx_texts(data: bytes) -> list[str]:
    """Every paragraph of the body, table cells included, in order."""
    document = docx.Document(io.BytesIO(data))
    out: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(_runs_text(block))
        elif tag == "tbl":
            out += [_runs_text(p) for p in block.iter() if p.tag.endswith("}p")]
    return [" ".join(x.split()) for x in out if x.strip()]


@pytest.mark.parametrize("name", list(COMPOSERS))
def test_the_word_file_says_what_the_pdf_says(name: str, documents: dict[str, tuple[Composed, bytes]],
                                             head: Letterhead) -> None:
    composed, data = documents[name]
    composed = COMPOSERS[name](large_file(), head)  # a story is laid out once: compose it again for Word
    word = render_docx(composed)
    document = docx.Document(io.BytesIO(word))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm), round(section.left_margin.mm),
            round(section.right_margin.mm)) == (20, 20, 30, 15)
    assert document.styles["Normal"].font.name == "Times New Roman"
    if composed.appendix:
        appendix = document.sections[-1]
        assert appendix.page_width > appendix.page_height, "the budget appendix is landscape"

    pdf_text = " ".join(" ".join(c.text for c in body_chunks(data)).split())
    paragraphs = docx_texts(word)
    missing = [p for p in paragraphs if p not in pdf_text]
    assert not missing, f"{name}: in the Word file but not in the PDF: {missing[:3]}"
    assert Counter(AMOUNT.findall(" ".join(paragraphs))) == Counter(AMOUNT.findall(pdf_text)), name
    for must in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"):
        assert must in paragraphs
    # As in the PDF, the last lines of the body are kept with the signatures, and a signature block is never cut.
    assert any(p.paragraph_format.keep_with_next for p in document.paragraphs if p.text.strip())
    w_ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert any(row._tr.trPr is not None and row._tr.trPr.find(f"{w_ns}cantSplit") is not None
               for t in document.tables for row in t.rows)
    for table in document.tables:  # the PDF's column widths, within the text area of the page
        widths = [c.width.mm for c in table.columns]
        assert all(w > 0 for w in widths) and sum(widths) <= 252 + 1
    grids = [t for t in document.tables if t.style is not None and t.style.name == "Table Grid"]
    if name in ("proposal", "acceptance", "acceptance_blank", "score_sheet", "score_sheet_blank", "appraisal"):
        assert grids, f"{name}: the table is a bordered Word table"
        header_row = grids[0].rows[0]._tr
        assert header_row.trPr is not None and header_row.trPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None

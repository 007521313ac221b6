"""The proposal (đề án): its eight sections (TT 36/2013 Art. 5) and the Mẫu 1 budget as a landscape appendix."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm

from desktop_app.domain.money import line_amount
from desktop_app.domain.vietnamese import format_vnd
from desktop_app.reports import templates
from desktop_app.reports.pdf.common import base_values, in_words_line, words
from desktop_app.reports.pdf.layout import (
    LANDSCAPE_WIDTH,
    Composed,
    Letterhead,
    Recipients,
    Signature,
    Styles,
    close_content,
    date_line,
    grid_table,
    header_block,
    keep_with_next,
    number_line,
    paragraphs,
    render_pdf,
    signature_row,
    text,
    title_block,
)
from desktop_app.reports.pdf.records import ProposalFile


def _quantity(q: Decimal) -> str:
    value = f"{Decimal(q).normalize():f}"
    whole, _, frac = value.partition(".")
    return format_vnd(int(whole)) + ("," + frac if frac else "")


def budget_table(file: ProposalFile, headers: list[str], width: float = LANDSCAPE_WIDTH) -> object:
    """The Mẫu 1 table: one row per budget line, a bold total row."""
    p = file.proposal
    rows: list[list[object]] = []
    for i, line in enumerate(p.lines, start=1):
        rows.append([i, line.item, line.unit, _quantity(line.quantity), format_vnd(line.unit_price_vnd),
                     format_vnd(line_amount(line.quantity, line.unit_price_vnd)), format_vnd(line.support_vnd),
                     format_vnd(line.counterpart_vnd), format_vnd(line.other_vnd)])
    rows.append(["", "Tổng cộng", "", "", "", format_vnd(p.total_vnd), format_vnd(p.support_vnd),
                 format_vnd(p.counterpart_vnd), format_vnd(p.other_vnd)])
    fixed = [12 * mm, 0, 20 * mm, 18 * mm, 28 * mm, 30 * mm, 30 * mm, 30 * mm, 26 * mm]
    fixed[1] = width - sum(fixed)
    return grid_table(headers, rows, fixed, right_columns=(3, 4, 5, 6, 7, 8), centre_columns=(0, 2),
                      bold_rows=(len(rows) - 1,))


def compose(file: ProposalFile, head: Letterhead) -> Composed:
    """The proposal as a PDF."""
    w = templates.load("proposal")
    p = file.proposal
    v = base_values(file, head)
    story: list[object] = [
        header_block(head, number_line(None, w.text("symbol"), head.abbreviation),
                     date_line(head.place_name, p.submitted_on, p.year)),
        *title_block(w.text("title"), w.text("summary", v)),
    ]
    story += [text(line, Styles.body) for line in w.lines("general", v)]
    not_stated = w.text("not_stated")

    def section(key: str, body: str) -> None:
        story.extend(keep_with_next([text(w.text(key), Styles.heading)], 30 * mm))
        story.extend(paragraphs(body) or [text(not_stated)])

    story.extend(keep_with_next([text(w.text("section_1"), Styles.heading)], 30 * mm))
    story.append(text(w.text("implementing_unit", v)))
    if p.partner_unit:
        story.append(text(w.text("partner_unit", v)))
    story.append(text(w.text("beneficiaries_intro", v)))
    for b in p.beneficiaries:
        details = [b.name]
        if b.legal_form:
            details.append(f"loại hình: {b.legal_form}")
        if b.tax_code:
            details.append(f"mã số thuế: {b.tax_code}")
        if b.representative:
            details.append(f"người đại diện: {b.representative}" + (f" – {b.representative_title}"
                                                                      if b.representative_title else ""))
        if b.address:
            details.append(f"địa chỉ: {b.address}")
        if b.phone:
            details.append(f"điện thoại: {b.phone}")
        story.append(text("- " + "; ".join(details) + ".", Styles.body))
    if p.location:
        story.append(text(w.text("location", v)))
    section("section_2", p.necessity)
    section("section_3", p.objectives)
    section("section_4", p.scale)
    story.extend(keep_with_next([text(w.text("section_5"), Styles.heading)], 30 * mm))
    story.extend(paragraphs(p.activities))
    story.append(text(w.text("period", v)))
    story.extend(keep_with_next([text(w.text("section_6"), Styles.heading)], 40 * mm))
    story += [text(line) for line in w.lines("budget", v)]
    story.append(text(in_words_line(p.total_vnd), Styles.body))
    story.append(text(w.text("budget_details", v)))
    section("section_7", p.organisation_plan)
    story.extend(keep_with_next([text(w.text("section_8"), Styles.heading)], 30 * mm))
    effect = paragraphs(p.effectiveness)
    story.extend(effect)
    if p.targets:
        story.append(text(w.text("targets_intro", v)))
        for t in p.targets:
            story.append(text(f"- {t.label}: {format_vnd(t.planned_value)} {t.unit};"))
    elif not effect:
        story.append(text(not_stated))
    close_content(story)
    story.append(signature_row(Recipients(tuple(w.lines("recipients", v))),
                               Signature(tuple(w.lines("signer_titles", v)), head.director_name)))

    appendix: list[object] = [
        text(w.text("appendix_form", v), Styles.unit),
        text(w.text("appendix_number", v), Styles.appendix),
        *title_block(w.text("appendix_title", v), w.text("appendix_note", v), LANDSCAPE_WIDTH,
                     Styles.appendix_note),
        text("Đơn vị tính: đồng", Styles.unit),
        budget_table(file, w.lines("appendix_headers", v)),
        text(f"{in_words_line(p.total_vnd)[:-1]}; trong đó kinh phí khuyến công hỗ trợ: {words(p.support_vnd)} đồng.",
             Styles.body_flush),
    ]
    return Composed(story, title=f"Đề án {p.code}", author=head.issuer, subject=p.title, appendix=appendix)


def render(file: ProposalFile, head: Letterhead) -> bytes:
    """The document as PDF bytes (see :func:`compose`)."""
    return render_pdf(compose(file, head))

"""The acceptance minutes (biên bản nghiệm thu): parties, amounts accepted per budget line, outcomes, conclusion."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from desktop_app.domain.enums import MemberRole
from desktop_app.domain.errors import NotFound
from desktop_app.domain.vietnamese import format_vnd
from desktop_app.reports import templates
from desktop_app.reports.pdf.common import base_values, long_date, place_text, words
from desktop_app.reports.pdf.layout import (
    PORTRAIT_WIDTH,
    Letterhead,
    Recipients,
    Signature,
    Styles,
    build_pdf,
    close_content,
    date_line,
    grid_table,
    header_block,
    keep_with_next,
    legal_bases,
    number_line,
    paragraphs,
    signature_grid,
    text,
    title_block,
)
from desktop_app.reports.pdf.records import ProposalFile


def render(file: ProposalFile, head: Letterhead) -> bytes:
    """The acceptance minutes of the proposal.

    Raises:
        NotFound: no acceptance is recorded.
    """
    a = file.acceptance
    p = file.proposal
    if a is None:
        raise NotFound("Đề án chưa có kết quả nghiệm thu.")
    w = templates.load("acceptance_minutes")
    v = {**base_values(file, head), "minutes_number": a.minutes_number, "held_on": long_date(a.held_on),
         "place": place_text(a.place) or head.place_name, "accepted_support_vnd": format_vnd(a.support_vnd),
         "accepted_support_words": words(a.support_vnd), "accepted_total_vnd": format_vnd(a.total_vnd),
         "accepted_counterpart_vnd": format_vnd(a.counterpart_vnd), "accepted_other_vnd": format_vnd(a.other_vnd),
         "conclusion": a.conclusion}
    story: list[object] = [
        header_block(head, number_line(a.minutes_number, w.text("symbol"), head.abbreviation),
                     date_line(head.place_name, a.held_on, p.year)),
        *title_block(w.text("title", v), w.text("summary", v)),
        *legal_bases(w.lines("bases", v, a.held_on)),
        text(w.text("opening", v)),
        text(w.text("party_a", v), Styles.heading),
        *[text(line) for line in w.lines("party_a_people", v)],
        text(w.text("party_b", v), Styles.heading),
        *[text(line) for line in w.lines("party_b_people", v)],
    ]
    content_heading = w.text("content_heading", v)
    conclusion_heading = w.text("conclusion_heading", v)
    if a.members:
        story.append(text(w.text("council", v), Styles.heading))
        for m in a.members:
            parts = [m.full_name, m.title, m.role.label]
            story.append(text("- " + " – ".join(x for x in parts if x) + ";"))
    else:
        # Without a council the sections are numbered III and IV.
        content_heading = content_heading.replace("IV.", "III.", 1)
        conclusion_heading = conclusion_heading.replace("V.", "IV.", 1)
    story.extend(keep_with_next([text(content_heading, Styles.heading)], 45 * mm))
    story.append(text(w.text("content_intro", v)))
    story.append(text("Đơn vị tính: đồng", Styles.unit))
    # The approved budget's line (its total and its khuyến công support) beside what was verified; the "other
    # sources" column only when some line has them, so the amounts keep room to stand on one line.
    with_other = any(x.other_vnd for x in a.lines)
    rows: list[list[object]] = []
    for i, x in enumerate(a.lines, start=1):
        rows.append([i, x.item, x.planned_total_vnd, x.planned_support_vnd, x.support_vnd, x.counterpart_vnd,
                     *([x.other_vnd] if with_other else []), x.total_vnd])
    rows.append(["", "Tổng cộng", sum(x.planned_total_vnd for x in a.lines),
                 sum(x.planned_support_vnd for x in a.lines), a.support_vnd, a.counterpart_vnd,
                 *([a.other_vnd] if with_other else []), a.total_vnd])
    rows = [[*r[:2], *(format_vnd(int(c)) for c in r[2:])] for r in rows]  # type: ignore[call-overload]
    n_money = len(rows[0]) - 2
    style = Styles.cell_bold_right
    widest = max(stringWidth(str(c), style.fontName, style.fontSize) for r in rows for c in r[2:])
    money_w = max(16 * mm, widest + 8)
    widths = [10 * mm, PORTRAIT_WIDTH - 10 * mm - n_money * money_w, *([money_w] * n_money)]
    headers = w.lines("headers", v)
    if not with_other:
        headers = [h for h in headers if "Nguồn khác" not in h]
    story.append(grid_table(headers, rows, widths, right_columns=tuple(range(2, 2 + n_money)),
                            centre_columns=(0,), bold_rows=(len(rows) - 1,)))
    story.append(text("", Styles.body_flush))
    story += [text(line) for line in w.lines("money", v)]
    if p.targets:
        story.append(text(w.text("targets_heading", v)))
        trows = [[i, t.label, t.unit, format_vnd(t.planned_value),
                  format_vnd(t.achieved_value) if t.achieved_value is not None else ""]
                 for i, t in enumerate(p.targets, start=1)]
        twidths = [11 * mm, PORTRAIT_WIDTH - 11 * mm - 36 * mm - 2 * 26 * mm, 36 * mm, 26 * mm, 26 * mm]
        story.append(grid_table(w.lines("targets_headers", v), trows, twidths, right_columns=(3, 4),
                                centre_columns=(0, 2)))
        story.append(text("", Styles.body_flush))
    story.extend(keep_with_next([text(conclusion_heading, Styles.heading)], 30 * mm))
    story.append(text(w.text("passed" if a.passed else "failed", v)))
    if a.conclusion:
        story.extend(paragraphs(a.conclusion))
    story.append(text(w.text("closing", v)))
    close_content(story)
    first = p.beneficiaries[0] if p.beneficiaries else None
    blocks = [Signature(tuple(w.lines("party_b_titles", v)), first.representative if first else ""),
              Signature(tuple(w.lines("party_a_titles", v)), head.director_name)]
    secretary = next((m for m in a.members if m.role is MemberRole.SECRETARY), None)
    chair = next((m for m in a.members if m.role is MemberRole.CHAIR), None)
    if secretary or chair:
        blocks += [Signature(tuple(w.lines("secretary_titles", v)), secretary.full_name if secretary else ""),
                   Signature(tuple(w.lines("chair_titles", v)), chair.full_name if chair else "")]
    story.extend(signature_grid(blocks))
    story.extend(Recipients(tuple(w.lines("recipients", v))).flowables())
    return build_pdf(story, title=f"Biên bản nghiệm thu {p.code}", author=head.issuer, subject=p.title)

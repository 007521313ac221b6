"""The acceptance minutes (biên bản nghiệm thu): parties, amounts accepted per budget line, outcomes, conclusion."""

from __future__ import annotations

from reportlab.lib.units import mm

from desktop_app.domain.enums import MemberRole
from desktop_app.domain.errors import NotFound
from desktop_app.domain.vietnamese import format_vnd
from desktop_app.reports import templates
from desktop_app.reports.pdf.common import base_values, long_date, place_text, restates, salutation, words
from desktop_app.reports.pdf.layout import (
    DOTS,
    LANDSCAPE_WIDTH,
    PORTRAIT_WIDTH,
    Composed,
    Letterhead,
    Recipients,
    Signature,
    Styles,
    close_content,
    date_line,
    dotted,
    fits_comfortably,
    grid_table,
    header_block,
    keep_with_next,
    legal_bases,
    number_line,
    paragraphs,
    render_pdf,
    signature_grid,
    text,
    title_block,
)
from desktop_app.reports.pdf.records import ProposalFile


def compose(file: ProposalFile, head: Letterhead) -> Composed:
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
    headers = w.lines("headers", v)
    if not with_other:
        headers = [h for h in headers if "Nguồn khác" not in h]
    appendix = _money_table_or_appendix(story, w, v, rows, headers)
    story.append(text("", Styles.body_flush))
    story += [text(line) for line in w.lines("money", v)]
    if p.targets:
        story.extend(keep_with_next([text(w.text("targets_heading", v))], 30 * mm))  # never alone at a page foot
        trows = [[i, t.label, t.unit, format_vnd(t.planned_value),
                  format_vnd(t.achieved_value) if t.achieved_value is not None else ""]
                 for i, t in enumerate(p.targets, start=1)]
        twidths = [11 * mm, PORTRAIT_WIDTH - 11 * mm - 36 * mm - 2 * 26 * mm, 36 * mm, 26 * mm, 26 * mm]
        story.append(grid_table(w.lines("targets_headers", v), trows, twidths, right_columns=(3, 4),
                                centre_columns=(0, 2)))
        story.append(text("", Styles.body_flush))
    story.extend(keep_with_next([text(conclusion_heading, Styles.heading)], 30 * mm))
    # The conclusion is stated once: the template's sentence gives the result; the recorded words follow only
    # when they say more than that result.
    result = w.text("passed" if a.passed else "failed", v)
    story.append(text(result))
    if a.conclusion and not restates(a.conclusion, result, w.lines("result_words")):
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
    return Composed(story, title=f"Biên bản nghiệm thu {p.code}", author=head.issuer, subject=p.title,
                    appendix=appendix)


def compose_blank(file: ProposalFile, head: Letterhead) -> Composed:
    """The acceptance minutes to fill by hand at the meeting: the parties, the approved budget per line and the
    targets printed; the accepted amounts, results and conclusion left empty.

    Raises:
        NotFound: the proposal is not approved yet (nothing to accept).
    """
    p = file.proposal
    if file.approval is None and p.approved_on is None:
        raise NotFound("Đề án chưa được phê duyệt nên chưa có gì để nghiệm thu.")
    w = templates.load("acceptance_minutes")
    v = {**base_values(file, head), "minutes_number": "", "held_on": "", "place": DOTS}
    story: list[object] = [
        header_block(head, number_line(None, w.text("symbol"), head.abbreviation),
                     date_line(head.place_name, None, p.year)),
        *title_block(w.text("title", v), w.text("summary", v)),
        *legal_bases(w.lines("bases", v)),
        text(w.text("blank_opening", v)),
        text(w.text("party_a", v), Styles.heading),
        *[text(line) for line in w.lines("party_a_people", v)],
        text(w.text("party_b", v), Styles.heading),
        *[text(line) for line in w.lines("party_b_people", v)],
        text(w.text("council", v), Styles.heading),
    ]
    council = file.acceptance_council
    if council is not None and council.members:
        for m in council.members:
            parts = [m.full_name, m.title, m.role.label]
            story.append(text("- " + " – ".join(x for x in parts if x) + ";"))
    else:
        for _ in range(int(w.text("blank_members") or 3)):
            story.append(dotted(w.text("blank_member", {"salutation": salutation("")})))
    story.extend(keep_with_next([text(w.text("content_heading", v), Styles.heading)], 45 * mm))
    story.append(text(w.text("content_intro", v)))
    rows: list[list[object]] = []
    # The approved budget's figures printed (the ledger's, the requested ones before approval froze them); what
    # is verified is written by hand at the meeting.
    money = {m.line_id: (m.approved or m.requested) for m in (file.ledger.lines if file.ledger else ())}
    planned_total = planned_support = 0
    for i, line in enumerate(p.lines, start=1):
        budget = money.get(line.id)
        line_total = budget.total_vnd if budget else line.support_vnd + line.counterpart_vnd + line.other_vnd
        line_support = budget.support_vnd if budget else line.support_vnd
        planned_total += line_total
        planned_support += line_support
        rows.append([i, line.item, format_vnd(line_total), format_vnd(line_support), "", "", "", ""])
    rows.append(["", "Tổng cộng", format_vnd(planned_total), format_vnd(planned_support), "", "", "", ""])
    appendix = _money_table_or_appendix(story, w, v, rows, w.lines("headers", v))
    story.append(text("", Styles.body_flush))
    story += [text(line, Styles.body_left) for line in w.lines("blank_money", v)]
    if p.targets:
        story.extend(keep_with_next([text(w.text("targets_heading", v))], 30 * mm))  # never alone at a page foot
        trows = [[i, t.label, t.unit, format_vnd(t.planned_value), ""] for i, t in enumerate(p.targets, start=1)]
        story.append(_targets_table(w.lines("targets_headers", v), trows))
        story.append(text("", Styles.body_flush))
    story.extend(keep_with_next([text(w.text("conclusion_heading", v), Styles.heading)], 30 * mm))
    story += [dotted(line) if line.endswith("…") else text(line) for line in w.lines("blank_conclusion", v)]
    story.append(text(w.text("blank_closing", v)))
    close_content(story, mark=False)
    first = p.beneficiaries[0] if p.beneficiaries else None
    chair = council.member(MemberRole.CHAIR) if council else None
    secretary = council.member(MemberRole.SECRETARY) if council else None
    story.extend(signature_grid([
        Signature(tuple(w.lines("party_b_titles", v)), first.representative if first else ""),
        Signature(tuple(w.lines("party_a_titles", v)), head.director_name),
        Signature(tuple(w.lines("secretary_titles", v)), secretary.full_name if secretary else ""),
        Signature(tuple(w.lines("chair_titles", v)), chair.full_name if chair else "")]))
    story.extend(Recipients(tuple(w.lines("recipients", v))).flowables())
    return Composed(story, title=f"Biên bản nghiệm thu (mẫu trống) {p.code}", author=head.issuer, subject=p.title,
                    appendix=appendix)


def _money_table_or_appendix(story: list[object], w: templates.Wording, v: dict[str, object],
                             rows: list[list[object]], headers: list[str]) -> list[object]:
    """The table of amounts per budget line in the body when its figures fit the portrait page comfortably;
    else (amounts of hundreds of billions) a sentence in the body and the table in a landscape appendix.
    Returns the appendix (empty when the table is in the body)."""
    n_money = len(headers) - 2
    money = tuple(range(2, 2 + n_money))
    money_w = 20 * mm
    widths = [10 * mm, PORTRAIT_WIDTH - 10 * mm - n_money * money_w, *([money_w] * n_money)]
    bold = (len(rows) - 1,)
    if fits_comfortably(widths, rows, money, bold, (0,)):
        story.append(text("Đơn vị tính: đồng", Styles.unit))
        story.append(grid_table(headers, rows, widths, right_columns=money, centre_columns=(0,), bold_rows=bold))
        return []
    story.append(text(w.text("table_in_appendix", v)))
    wide_w = min(34 * mm, (LANDSCAPE_WIDTH - 12 * mm - 45 * mm) / n_money)
    wide = [12 * mm, LANDSCAPE_WIDTH - 12 * mm - n_money * wide_w, *([wide_w] * n_money)]
    return [
        text(w.text("appendix_number", v), Styles.appendix),
        *title_block(w.text("appendix_title", v), w.text("appendix_note", v), LANDSCAPE_WIDTH, Styles.appendix_note),
        text("Đơn vị tính: đồng", Styles.unit),
        grid_table(headers, rows, wide, right_columns=money, centre_columns=(0,), bold_rows=bold),
    ]


def _targets_table(headers: list[str], rows: list[list[object]]) -> object:
    widths = [11 * mm, PORTRAIT_WIDTH - 11 * mm - 36 * mm - 2 * 26 * mm, 36 * mm, 26 * mm, 26 * mm]
    return grid_table(headers, rows, widths, right_columns=(3, 4), centre_columns=(0, 2))


def render(file: ProposalFile, head: Letterhead) -> bytes:
    """The document as PDF bytes (see :func:`compose`)."""
    return render_pdf(compose(file, head))

"""The appraisal council's minutes (biên bản họp hội đồng thẩm định, ND 30 Mẫu 1.9): THƯ KÝ left, CHỦ TỌA right."""

from __future__ import annotations

from reportlab.lib.units import mm

from desktop_app.domain.enums import MemberRole
from desktop_app.domain.errors import NotFound
from desktop_app.reports import templates
from desktop_app.reports.pdf.common import base_values, points, restates
from desktop_app.reports.pdf.layout import (
    PORTRAIT_WIDTH,
    Composed,
    Letterhead,
    Recipients,
    Signature,
    Styles,
    close_content,
    grid_table,
    header_block,
    keep_with_next,
    legal_bases,
    number_line,
    paragraphs,
    render_pdf,
    signature_row,
    text,
    title_block,
)
from desktop_app.reports.pdf.records import ProposalFile


def compose(file: ProposalFile, head: Letterhead) -> Composed:
    """The minutes of the appraisal council of the proposal.

    Raises:
        NotFound: the proposal has no appraisal council.
    """
    council = file.council
    if council is None:
        raise NotFound("Đề án chưa có hội đồng thẩm định.")
    w = templates.load("appraisal_minutes")
    # Attendance is not recorded: every member of the council is counted as present.
    v = {**base_values(file, head), "present": len(council.members), "member_count": len(council.members)}
    parent = w.text("parent", v) if w.has("parent") else head.parent_body
    minutes_head = Letterhead(parent, w.text("issuer", v) if w.has("issuer") else head.issuer, head.abbreviation,
                              head.place_name, head.director_name, head.director_title)
    # Mẫu 1.9 has no place-and-date line: the date of the meeting is in the body.
    story: list[object] = [
        header_block(minutes_head, number_line(council.minutes_number, w.text("symbol"), head.abbreviation), None),
        *title_block(w.text("title", v), w.text("summary", v)),
        *legal_bases(w.lines("bases", v)),
        text(w.text("time_heading", v), Styles.heading),
        text(w.text("time", v)),
        text(w.text("members_heading", v), Styles.heading),
        text(w.text("members_intro", v)),
    ]
    for m in council.members:
        parts = [m.full_name, m.title, f"{m.role.label} Hội đồng" if m.role is not MemberRole.MEMBER else "Ủy viên"]
        story.append(text("- " + " – ".join(p for p in parts if p) + ";"))
    story.append(text(w.text("implementer", v)))
    story.append(text(w.text("chair", v)))
    story.extend(keep_with_next([text(w.text("content_heading", v), Styles.heading)], 40 * mm))
    story.append(text(w.text("presentation", v)))
    story.append(text(w.text("scoring", v)))
    rows: list[list[object]] = []
    for i, m in enumerate(council.members, start=1):
        note = w.text("conflict_note") if m.conflict else ("" if m.submitted else w.text("pending_note"))
        rows.append([i, m.full_name, m.role.label, "" if m.conflict or not m.submitted else points(m.total), note])
    widths = [12 * mm, 55 * mm, 38 * mm, 22 * mm, PORTRAIT_WIDTH - 127 * mm]
    story.append(grid_table(w.lines("headers", v), rows, widths, centre_columns=(0, 3)))
    story.append(text("", Styles.body))
    if council.average is not None:
        story.append(text(w.text("average", v)))
    story.extend(keep_with_next([text(w.text("conclusion_heading", v), Styles.heading)], 30 * mm))
    # The conclusion is stated once: the template's sentence gives the result; the council's recorded words
    # follow only when they say more than that result.
    if council.passed is None or not council.concluded:
        story.append(text(w.text("pending", v)))
    else:
        result = w.text("passed" if council.passed else "failed", v)
        story.append(text(result))
        if council.conclusion and not restates(council.conclusion, result, w.lines("result_words")):
            story.extend(paragraphs(council.conclusion))
    story.append(text(w.text("closing", v)))
    close_content(story)
    secretary = council.member(MemberRole.SECRETARY)
    chair = council.member(MemberRole.CHAIR)
    story.append(signature_row(
        Signature(tuple(w.lines("secretary_titles", v)), secretary.full_name if secretary else ""),
        Signature(tuple(w.lines("chair_titles", v)), chair.full_name if chair else "")))
    story.extend(Recipients(tuple(w.lines("recipients", v))).flowables())
    return Composed(story, title=f"Biên bản thẩm định {file.proposal.code}", author=head.issuer,
                     subject=file.proposal.title)


def render(file: ProposalFile, head: Letterhead) -> bytes:
    """The document as PDF bytes (see :func:`compose`)."""
    return render_pdf(compose(file, head))

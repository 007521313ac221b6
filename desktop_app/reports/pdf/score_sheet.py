"""An appraiser's score sheet (phiếu thẩm định): the member, the proposal, points per criterion, comment."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from desktop_app.domain.errors import NotFound
from desktop_app.reports import templates
from desktop_app.reports.pdf.common import base_values, points
from desktop_app.reports.pdf.layout import (
    PORTRAIT_WIDTH,
    Composed,
    Letterhead,
    Signature,
    Styles,
    close_content,
    date_line,
    dotted,
    grid_table,
    header_block,
    legal_bases,
    render_pdf,
    signature_row,
    text,
    title_block,
)
from desktop_app.reports.pdf.records import ProposalFile


def compose(file: ProposalFile, head: Letterhead, member_id: int | None, blank: bool = False) -> Composed:
    """The score sheet of council member ``member_id``; with ``blank`` the form to fill by hand at the meeting
    (the proposal's data printed, the points, total and comment left empty; the member named when given).

    Raises:
        NotFound: the proposal has no appraisal council or no such member.
    """
    council = file.council
    if council is None:
        raise NotFound("Đề án chưa có hội đồng thẩm định.")
    member = next((m for m in council.members if m.member_id == member_id), None)
    if member is None and not (blank and member_id is None):
        raise NotFound("Không có thành viên này trong hội đồng thẩm định của đề án.")
    w = templates.load("score_sheet")
    max_total = sum((c.max_points for c in council.criteria), Decimal(0))
    v = {**base_values(file, head), "member_name": member.full_name if member else "",
         "member_title": member.title if member else "", "member_role": member.role.label if member else "",
         "total_points": points(member.total) if member else "", "max_points": points(max_total),
         "comment": member.comment if member else "", "conflict_note": member.conflict_note if member else ""}
    parent = w.text("parent", v) if w.has("parent") else head.parent_body
    sheet_head = Letterhead(parent, w.text("issuer", v) if w.has("issuer") else head.issuer, head.abbreviation,
                            head.place_name, head.director_name, head.director_title)
    story: list[object] = [
        header_block(sheet_head, None, date_line(head.place_name, council.meeting_date, file.proposal.year)),
        *title_block(w.text("title", v), w.text("summary", v)),
        *legal_bases(w.lines("bases", v)),
    ]
    # A form that must fit one page: compact paragraphs.
    if member:
        story += [text(line, Styles.body_compact) for line in w.lines("member", v)]
    else:
        story += [dotted(line, Styles.body_compact) for line in w.lines("blank_member", v)]
    story += [text(line, Styles.body_compact) for line in w.lines("proposal", v)]
    story.append(text(w.text("scores_heading", v), Styles.heading))
    rows: list[list[object]] = []
    for i, c in enumerate(council.criteria, start=1):
        given = None if blank or member is None else member.points.get(c.id)
        rows.append([i, c.name, points(c.max_points), points(given) if given is not None else ""])
    rows.append(["", "Tổng cộng", points(max_total),
                 points(member.total) if member and member.total is not None and not blank else ""])
    widths = [12 * mm, PORTRAIT_WIDTH - 12 * mm - 28 * mm - 28 * mm, 28 * mm, 28 * mm]
    story.append(grid_table(w.lines("headers", v), rows, widths, centre_columns=(0, 2, 3), bold_rows=(len(rows) - 1,)))
    story.append(Spacer(1, 4))
    if blank:
        story.append(text(w.text("blank_total", v), Styles.body_compact))
        story += [dotted(line, Styles.body_compact) for line in w.lines("blank_comment", v)]
    elif member is not None and member.conflict:
        story.append(text(w.text("conflict", v), Styles.body_compact))
    elif member is not None and not member.submitted:
        story.append(text(w.text("not_submitted", v), Styles.body_compact))
    else:
        story.append(text(w.text("total", v), Styles.body_compact))
    if member is not None and member.comment and not blank:
        story.append(text(w.text("comment", v), Styles.body_compact))
    close_content(story, mark=False)
    story.append(signature_row(None, Signature(tuple(w.lines("signer_titles", v)), member.full_name if member else "",
                                               w.text("signer_note", v), space=18 * mm)))
    who = member.full_name if member else "mẫu trống"
    return Composed(story, title=f"Phiếu thẩm định {file.proposal.code} – {who}", author=head.issuer,
                    subject=file.proposal.title)


def render(file: ProposalFile, head: Letterhead, member_id: int | None, blank: bool = False) -> bytes:
    """The document as PDF bytes (see :func:`compose`)."""
    return render_pdf(compose(file, head, member_id, blank))

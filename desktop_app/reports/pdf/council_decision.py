"""The decision setting up a council (quyết định thành lập hội đồng thẩm định / nghiệm thu), ND 30 Mẫu 1.2.

The members are listed with "Ông"/"Bà", their position and their role in the council; the director signs.
"""

from __future__ import annotations

from desktop_app.domain.enums import MemberRole, Scope
from desktop_app.domain.errors import NotFound
from desktop_app.reports import templates
from desktop_app.reports.pdf.common import base_values, long_date, salutation
from desktop_app.reports.pdf.layout import (
    Composed,
    Letterhead,
    Recipients,
    Signature,
    Styles,
    article,
    close_content,
    date_line,
    header_block,
    legal_bases,
    number_line,
    render_pdf,
    signature_row,
    text,
    title_block,
)
from desktop_app.reports.pdf.records import CouncilRecord, ProposalFile

_COUNCIL_NAMES = {False: "Hội đồng thẩm định", True: "Hội đồng nghiệm thu"}


def role_in_council(role: MemberRole) -> str:
    return {MemberRole.CHAIR: "Chủ tịch Hội đồng", MemberRole.SECRETARY: "Ủy viên, Thư ký Hội đồng"}.get(
        role, "Ủy viên")


def compose(file: ProposalFile, head: Letterhead, acceptance: bool = False) -> Composed:
    """The decision setting up the appraisal council (or, with ``acceptance``, the acceptance council).

    Raises:
        NotFound: the proposal has no such council.
    """
    council: CouncilRecord | None = file.acceptance_council if acceptance else file.council
    p = file.proposal
    name = _COUNCIL_NAMES[acceptance]
    if council is None:
        raise NotFound(f"Đề án chưa có {name.lower()}.")
    w = templates.load("council_decision")
    v = {**base_values(file, head), "council_name": name, "council_name_lower": name[:1].lower() + name[1:],
         "council_decision_number": council.decision_number, "council_decision_date": long_date(council.decision_date)
         if council.decision_date else "", "member_count": len(council.members),
         "meeting_date": long_date(council.meeting_date) if council.meeting_date else ""}
    v["council_task"] = w.text("acceptance_task" if acceptance else "appraisal_task", v)
    on = council.decision_date
    bases = w.lines("bases", v, on) + w.lines("bases_national" if p.scope is Scope.NATIONAL else "bases_local", v, on)
    story: list[object] = [
        header_block(head, number_line(council.decision_number, w.text("symbol"), head.abbreviation),
                     date_line(head.place_name, on, p.year)),
        *title_block(w.text("title", v), w.text("summary", v)),
        text(w.text("authority", v).upper(), Styles.authority),
        *legal_bases(bases),
        text(w.text("proposer", v), Styles.basis),
        text(w.text("decides", v), Styles.authority),
        article(w.text("article_1", v)),
    ]
    for i, m in enumerate(council.members, start=1):
        story.append(text(w.text("member", {"number": i, "salutation": salutation(m.full_name), "name": m.full_name,
                                            "title": f", {m.title}" if m.title else "",
                                            "role": role_in_council(m.role)}), Styles.body))
    story.append(article(w.text("article_2", v)))
    story.append(article(w.text("article_3", v)))
    close_content(story)
    story.append(signature_row(Recipients(tuple(w.lines("recipients", v))),
                               Signature((head.director_title,), head.director_name)))
    title = f"Quyết định thành lập {name.lower()} {p.code}"
    return Composed(story, title=title, author=head.issuer, subject=p.title)


def render(file: ProposalFile, head: Letterhead, acceptance: bool = False) -> bytes:
    """The document as PDF bytes (see :func:`compose`)."""
    return render_pdf(compose(file, head, acceptance))

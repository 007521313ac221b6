"""The approval decision (quyết định phê duyệt đề án, ND 30 Mẫu 1.2): articles, "Nơi nhận", the signer's block.

The signer is the one recorded with the decision. When the signer is not the director named in the letterhead,
the block reads "KT. GIÁM ĐỐC" over the signer's own title (a deputy signing for the head, ND 30 Art. 13).
"""

from __future__ import annotations

from desktop_app.domain.enums import Scope
from desktop_app.domain.errors import NotFound
from desktop_app.domain.vietnamese import fold, format_vnd, normalize
from desktop_app.reports import templates
from desktop_app.reports.pdf.common import base_values, words
from desktop_app.reports.pdf.layout import (
    Letterhead,
    Recipients,
    Signature,
    Styles,
    article,
    build_pdf,
    close_content,
    date_line,
    header_block,
    legal_bases,
    number_line,
    signature_row,
    text,
    title_block,
)
from desktop_app.reports.pdf.records import DecisionRecord, ProposalFile


def signer_titles(decision: DecisionRecord, head: Letterhead, deputy_prefix: str = "KT.") -> tuple[str, ...]:
    """The title lines of the signature: the director's title, or "KT. <director's title>" over a deputy's."""
    signer = fold(decision.signer)
    own = normalize(decision.signer_title)
    if not signer or signer == fold(head.director_name) or not own or fold(own) == fold(head.director_title):
        return (head.director_title,)
    return (f"{deputy_prefix} {head.director_title}", own)


def render(file: ProposalFile, head: Letterhead) -> bytes:
    """The decision approving the proposal.

    Raises:
        NotFound: no approval decision is recorded.
    """
    d = file.approval
    p = file.proposal
    if d is None:
        raise NotFound("Đề án chưa có quyết định phê duyệt.")
    w = templates.load("decision")
    lg = file.ledger
    if lg is not None and lg.approved is not None:
        # the approved budget: its support, and what the establishment and other sources carry
        approved, rest = lg.approved.support_vnd, lg.approved.counterpart_vnd + lg.approved.other_vnd
    else:
        approved = d.amount_vnd if d.amount_vnd is not None else (p.approved_support_vnd or p.support_vnd)
        rest = max(p.total_vnd - approved, 0)
    v = {**base_values(file, head), "approved_vnd": format_vnd(approved), "approved_words": words(approved),
         "rest_vnd": format_vnd(rest), "rest_words": words(rest), "signer_name": d.signer}
    on = d.signed_on
    bases = w.lines("bases", v, on) + w.lines("bases_national" if p.scope is Scope.NATIONAL else "bases_local", v, on)
    bases += w.lines("bases_after", v, on)
    story: list[object] = [
        header_block(head, number_line(d.number, w.text("symbol"), head.abbreviation),
                     date_line(head.place_name, on, p.year)),
        *title_block(w.text("title", v), w.text("summary", v)),
        text(w.text("authority", v).upper(), Styles.authority),
        *legal_bases(bases),
        text(w.text("proposer", v), Styles.basis),
        text(w.text("decides", v), Styles.authority),
        article(w.text("article_1", v)),
    ]
    story += [text(line) for line in w.lines("details", v)]
    story += [text(line) for line in w.lines("money", v)]
    story.append(article(w.text("article_2", v)))
    story.append(article(w.text("article_3", v)))
    close_content(story)
    story.append(signature_row(Recipients(tuple(w.lines("recipients", v))),
                               Signature(signer_titles(d, head, w.text("deputy_prefix")), d.signer)))
    return build_pdf(story, title=f"Quyết định phê duyệt {p.code}", author=head.issuer, subject=p.title)

"""The decision approving the settlement (quyết định phê duyệt quyết toán), ND 30 Mẫu 1.2.

Figures from the records: the approved support, the accepted value, the settled support and what is returned
(the settlement record), the amount paid (the liquidation).
"""

from __future__ import annotations

from desktop_app.domain.errors import NotFound
from desktop_app.domain.vietnamese import format_vnd
from desktop_app.reports import templates
from desktop_app.reports.pdf.common import base_values, cited_number, long_date, words
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
from desktop_app.reports.pdf.records import ProposalFile


def compose(file: ProposalFile, head: Letterhead) -> Composed:
    """The settlement decision of the proposal.

    Raises:
        NotFound: no settlement is recorded.
    """
    st = file.settlement
    p = file.proposal
    if st is None:
        raise NotFound("Đề án chưa được quyết toán.")
    w = templates.load("settlement_decision")
    lg = file.ledger
    if lg is not None:  # the ledger's stages: what was approved, accepted (payable), disbursed
        approved, accepted, paid = lg.approved_support_vnd or 0, lg.payable_ceiling_vnd, lg.disbursed_vnd
    else:
        approved = p.approved_support_vnd if p.approved_support_vnd is not None else p.support_vnd
        accepted = file.liquidation.accepted_value_vnd if file.liquidation else (
            file.acceptance.support_vnd if file.acceptance else st.settled_support_vnd)
        paid = file.liquidation.paid_vnd if file.liquidation else 0
    liq = file.liquidation
    v = {**base_values(file, head), "settlement_number": st.number, "settled_on": long_date(st.settled_on),
         "approved_vnd": format_vnd(approved), "approved_words": words(approved), "accepted_vnd": format_vnd(accepted),
         "settled_vnd": format_vnd(st.settled_support_vnd), "settled_words": words(st.settled_support_vnd),
         "paid_vnd": format_vnd(paid), "returned_vnd": format_vnd(st.returned_vnd),
         "returned_words": words(st.returned_vnd), "liquidation_number": cited_number(liq.number) if liq else "",
         "liquidation_date": long_date(liq.signed_on) if liq else "", "note": st.note}
    story: list[object] = [
        header_block(head, number_line(st.number, w.text("symbol"), head.abbreviation),
                     date_line(head.place_name, st.settled_on, p.year)),
        *title_block(w.text("title", v), w.text("summary", v)),
        text(w.text("authority", v).upper(), Styles.authority),
        *legal_bases(w.lines("bases", v, st.settled_on)),
        text(w.text("proposer", v), Styles.basis),
        text(w.text("decides", v), Styles.authority),
        article(w.text("article_1", v)),
    ]
    story += [text(line) for line in w.lines("details", v)]
    story.append(text(w.text("returned" if st.returned_vnd else "nothing_returned", v)))
    if st.note:
        story.append(text(w.text("note", v)))
    story.append(article(w.text("article_2", v)))
    story.append(article(w.text("article_3", v)))
    close_content(story)
    story.append(signature_row(Recipients(tuple(w.lines("recipients", v))),
                               Signature((head.director_title,), head.director_name)))
    return Composed(story, title=f"Quyết định phê duyệt quyết toán {p.code}", author=head.issuer, subject=p.title)


def render(file: ProposalFile, head: Letterhead) -> bytes:
    """The document as PDF bytes (see :func:`compose`)."""
    return render_pdf(compose(file, head))

"""The contract liquidation minutes (biên bản thanh lý hợp đồng, Mẫu 6 TT 36/2013): value, accepted, paid, balance."""

from __future__ import annotations

from desktop_app.domain.errors import NotFound
from desktop_app.domain.vietnamese import format_vnd
from desktop_app.reports import templates
from desktop_app.reports.pdf.common import base_values, long_date, words
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
    signature_grid,
    text,
    title_block,
)
from desktop_app.reports.pdf.records import ProposalFile


def compose(file: ProposalFile, head: Letterhead) -> Composed:
    """The liquidation minutes of the proposal's contract.

    Raises:
        NotFound: no liquidation is recorded.
    """
    liq = file.liquidation
    p = file.proposal
    if liq is None:
        raise NotFound("Đề án chưa có biên bản thanh lý hợp đồng.")
    w = templates.load("liquidation_minutes")
    contract_value = file.contract.value_vnd if file.contract else (p.approved_support_vnd or 0)
    if file.ledger is not None and file.ledger.contracted_vnd is not None:
        contract_value = file.ledger.contracted_vnd
    remaining = abs(liq.remaining_vnd)
    v = {**base_values(file, head), "liquidation_number": liq.number, "signed_on": long_date(liq.signed_on),
         "contract_value_vnd": format_vnd(contract_value), "contract_value_words": words(contract_value),
         "accepted_vnd": format_vnd(liq.accepted_value_vnd), "accepted_words": words(liq.accepted_value_vnd),
         "advanced_vnd": format_vnd(liq.advanced_vnd), "paid_vnd": format_vnd(liq.paid_vnd),
         "paid_words": words(liq.paid_vnd), "remaining_vnd": format_vnd(remaining),
         "remaining_words": words(remaining), "note": liq.note}
    story: list[object] = [
        header_block(head, number_line(liq.number, w.text("symbol"), head.abbreviation),
                     date_line(head.place_name, liq.signed_on, p.year)),
        *title_block(w.text("title", v), w.text("summary", v)),
        *legal_bases(w.lines("bases", v, liq.signed_on)),
        text(w.text("opening", v)),
        text(w.text("party_a", v), Styles.heading),
        *[text(line) for line in w.lines("party_a_people", v)],
        text(w.text("party_b", v), Styles.heading),
        *[text(line) for line in w.lines("party_b_people", v)],
        text(w.text("agree", v)),
        article(w.text("article_1", v)),
        article(w.text("article_2", v)),
        article(w.text("article_3", v)),
    ]
    if liq.remaining_vnd > 0:
        story.append(article(w.text("article_4_pay", v)))
    elif liq.remaining_vnd < 0:
        story.append(article(w.text("article_4_refund", v)))
    else:
        story.append(article(w.text("article_4_none", v)))
    if liq.note:
        story.append(text(w.text("note", v)))
    story.append(article(w.text("article_5", v)))
    close_content(story)
    first = p.beneficiaries[0] if p.beneficiaries else None
    story.extend(signature_grid([Signature(tuple(w.lines("party_b_titles", v)), first.representative if first else ""),
                                 Signature(tuple(w.lines("party_a_titles", v)), head.director_name)]))
    story.extend(Recipients(tuple(w.lines("recipients", v))).flowables())
    return Composed(story, title=f"Biên bản thanh lý hợp đồng {p.code}", author=head.issuer, subject=p.title)


def render(file: ProposalFile, head: Letterhead) -> bytes:
    """The document as PDF bytes (see :func:`compose`)."""
    return render_pdf(compose(file, head))

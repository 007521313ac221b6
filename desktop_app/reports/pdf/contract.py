"""The contract for carrying out the proposal (hợp đồng thực hiện đề án): parties, articles, two signatures.

The figures: the contract's value from its record; the counterpart and other sources from the money ledger's
approved stage (the proposal's total less the contract's value where there is none).
"""

from __future__ import annotations

from desktop_app.domain.errors import NotFound
from desktop_app.domain.vietnamese import fold, format_vnd
from desktop_app.reports import templates
from desktop_app.reports.pdf.common import base_values, long_date, salutation, short_date, words
from desktop_app.reports.pdf.layout import (
    DOTS,
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
    """The contract of the proposal.

    Raises:
        NotFound: no contract is recorded.
    """
    k = file.contract
    p = file.proposal
    if k is None:
        raise NotFound("Đề án chưa có hợp đồng thực hiện.")
    w = templates.load("contract")
    base = base_values(file, head)
    first = p.beneficiaries[0] if p.beneficiaries else None
    if first is not None and fold(str(base["party_b"])) != fold(first.name):
        # Party B is not the beneficiary (another unit carries the proposal out): its details are not in the
        # records, so they are left to fill in rather than taken from the beneficiary.
        first = None
        base.update({"party_b_representative": DOTS * 3, "party_b_title": DOTS * 3, "party_b_salutation":
                     salutation("")})
    value = k.value_vnd
    rest = max(p.total_vnd - value, 0)
    if file.ledger is not None and file.ledger.approved is not None:
        # the approved budget: what the establishment and other sources carry beside the contract's support
        rest = file.ledger.approved.counterpart_vnd + file.ledger.approved.other_vnd
    v = {**base, "contract_value_vnd": format_vnd(value),
         "contract_value_words": words(value), "rest_vnd": format_vnd(rest),
         "contract_start": short_date(k.start_date or p.start_date),
         "contract_end": short_date(k.end_date or p.end_date), "contract_date": long_date(k.signed_on),
         "party_b_address": first.address if first else "", "party_b_tax_code": first.tax_code if first else "",
         "party_b_phone": first.phone if first else "", "org_address": head.address, "org_phone": head.phone}
    story: list[object] = [
        header_block(head, number_line(k.number, w.text("symbol"), head.abbreviation),
                     date_line(head.place_name, k.signed_on, p.year)),
        *title_block(w.text("title", v), w.text("summary", v)),
        *legal_bases(w.lines("bases", v, k.signed_on)),
        text(w.text("opening", v)),
        text(w.text("party_a", v), Styles.heading),
        *[text(line) for line in w.lines("party_a_people", v)],
        text(w.text("party_b", v), Styles.heading),
        *[text(line) for line in w.lines("party_b_people", v)],
        text(w.text("agree", v)),
    ]
    story += [article(w.text(f"article_{n}", v)) for n in range(1, 8) if w.has(f"article_{n}")]
    close_content(story)
    story.extend(signature_grid([
        Signature(tuple(w.lines("party_b_titles", v)), first.representative if first else ""),
        Signature(tuple(w.lines("party_a_titles", v)), head.director_name)]))
    story.extend(Recipients(tuple(w.lines("recipients", v))).flowables())
    return Composed(story, title=f"Hợp đồng thực hiện đề án {p.code}", author=head.issuer, subject=p.title)


def render(file: ProposalFile, head: Letterhead) -> bytes:
    """The document as PDF bytes (see :func:`compose`)."""
    return render_pdf(compose(file, head))

"""The approval decision (quyết định phê duyệt đề án, ND 30 Mẫu 1.2): articles, "Nơi nhận", the signer's block.

The decision prints under the header of the body that issued it, which its number's symbol names (ND 30 Phụ lục
I): "…/QĐ-BCT" (and any ministry decision) the Ministry of Industry and Trade, "…/QĐ-SCT" the Sở Công Thương the
centre belongs to, any other the centre itself. The signer is the one recorded with the decision; a signer who is
not a user may be recorded with a title after a comma ("Nguyễn Văn An, Phó Giám đốc"). When the signer is not
the head of the issuing body, the block reads "KT. GIÁM ĐỐC" over the signer's own title (a deputy signing for
the head, ND 30 Art. 13).
"""

from __future__ import annotations

from dataclasses import replace

from desktop_app.domain.enums import DecisionKind, Scope
from desktop_app.domain.errors import NotFound
from desktop_app.domain.vietnamese import fold, format_vnd, normalize
from desktop_app.reports import templates
from desktop_app.reports.pdf.common import base_values, words
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
from desktop_app.reports.pdf.records import DecisionRecord, ProposalFile

_SO = "Sở Công Thương"


def issuing_body(decision: DecisionRecord, head: Letterhead) -> Letterhead:
    """The letterhead of the body that issued ``decision``: the ministry, the Sở above the centre (from the
    centre's parent body, "Sở Công Thương tỉnh …"), or the centre's own."""
    symbol = fold(normalize(decision.number).rpartition("/")[2])
    if decision.kind == DecisionKind.MINISTRY.value or symbol.endswith("-bct"):
        return replace(head, parent_body="", issuer="Bộ Công Thương", abbreviation="BCT", place_name="Hà Nội",
                       director_name="", director_title="Bộ trưởng")
    if symbol.endswith("-sct"):
        parent = normalize(head.parent_body)
        province = parent[len(_SO):].strip() if fold(parent).startswith(fold(_SO)) else ""
        if province and not fold(province).startswith(("tinh ", "thanh pho ")):
            province = f"tỉnh {province}"  # "Sở Công Thương Ninh Bình" as typed: the Sở of tỉnh Ninh Bình
        return replace(head, parent_body=f"UBND {province}" if province else "", issuer=_SO if province else
                       parent or _SO, abbreviation="SCT", director_name="", director_title="Giám đốc")
    return head


def signer_name_and_title(decision: DecisionRecord) -> tuple[str, str]:
    """The signer's name and own title: the user's title, else the one written after a comma."""
    name, comma, title = normalize(decision.signer).partition(",")
    return normalize(name), normalize(decision.signer_title) or (normalize(title) if comma else "")


def signer_titles(decision: DecisionRecord, head: Letterhead, deputy_prefix: str = "KT.") -> tuple[str, ...]:
    """The title lines of the signature: the director's title, or "KT. <director's title>" over a deputy's."""
    name, own = signer_name_and_title(decision)
    signer = fold(name)
    if not signer or signer == fold(head.director_name) or not own or fold(own) == fold(head.director_title):
        return (head.director_title,)
    return (f"{deputy_prefix} {head.director_title}", own)


def compose(file: ProposalFile, head: Letterhead) -> Composed:
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
    signer, _title = signer_name_and_title(d)
    body = issuing_body(d, head)
    v = {**base_values(file, head), "approved_vnd": format_vnd(approved), "approved_words": words(approved),
         "rest_vnd": format_vnd(rest), "rest_words": words(rest), "signer_name": signer}
    if body is not head:  # the Sở's or the ministry's decision: its authority, its superior, its archive
        v.update({"org_name": body.issuer, "org_name_upper": body.issuer.upper(), "org_abbr": body.abbreviation,
                  "director_title": body.director_title,
                  "parent_body": body.parent_body or ("Bộ trưởng" if body.abbreviation == "BCT" else head.parent_body)})
    on = d.signed_on
    bases = w.lines("bases", v, on) + w.lines("bases_national" if p.scope is Scope.NATIONAL else "bases_local", v, on)
    bases += w.lines("bases_after", v, on)
    story: list[object] = [
        header_block(body, number_line(d.number, w.text("symbol"), body.abbreviation),
                     date_line(body.place_name, on, p.year)),
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
                               Signature(signer_titles(d, body, w.text("deputy_prefix")), signer)))
    return Composed(story, title=f"Quyết định phê duyệt {p.code}", author=head.issuer, subject=p.title)


def render(file: ProposalFile, head: Letterhead) -> bytes:
    """The document as PDF bytes (see :func:`compose`)."""
    return render_pdf(compose(file, head))

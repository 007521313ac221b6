"""What every document of a proposal shares: the template values, amounts, dates, score numbers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from desktop_app.domain.enums import MemberRole
from desktop_app.domain.vietnamese import (
    amount_in_words,
    fold,
    format_date,
    format_document_date,
    format_vnd,
    normalize,
)
from desktop_app.reports import templates
from desktop_app.reports.pdf.layout import DOTS, Letterhead
from desktop_app.reports.pdf.records import ProposalFile


def long_date(d: date | None) -> str:
    """"ngày 05 tháng 01 năm 2026" (ND 30 padding), or dots to fill by hand."""
    return format_document_date("", d) if d else f"ngày {DOTS} tháng {DOTS} năm {DOTS}"


def short_date(d: date | None) -> str:
    return format_date(d) if d else DOTS


def words(dong: int) -> str:
    """The amount in words for use inside a sentence, without "đồng": "một trăm triệu"."""
    value = amount_in_words(dong)
    return value[:1].lower() + value[1:]


def in_words_line(dong: int) -> str:
    """The line under a total: "Bằng chữ: Một trăm triệu đồng."."""
    return f"Bằng chữ: {amount_in_words(dong)} đồng."


def place_text(place: str) -> str:
    """A place as typed, for "tại {place}": drops a leading "tại" the user may have typed."""
    value = normalize(place)
    head, _, rest = value.partition(" ")
    return rest if fold(head) == "tai" and rest else value


def points(value: Decimal | None) -> str:
    """A score as printed: "85", "82,5", "82,25"; dots when unknown."""
    if value is None:
        return DOTS
    text = f"{Decimal(value).quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def role_label(role: MemberRole) -> str:
    return role.label


def cited_number(recorded: str) -> str:
    """A document number as cited in another document: "5/BB-HĐTĐ" → "05/BB-HĐTĐ" (ND 30: numbers below 10 get a
    leading zero); anything else as recorded."""
    value = normalize(recorded)
    head, sep, tail = value.partition("/")
    return f"0{head}{sep}{tail}" if sep and head.isdigit() and len(head) == 1 else value


def restates(recorded: str, sentence: str, result_words: list[str]) -> bool:
    """True when the recorded conclusion only repeats the result the template's sentence already states
    ("Đạt", "Đề án đạt yêu cầu, đề nghị phê duyệt."): every word of it is in the sentence or in
    ``result_words``. The conclusion is then stated once."""
    def words_of(value: str) -> set[str]:
        return {w for w in "".join(ch if ch.isalnum() else " " for ch in fold(value)).split() if w}

    known = words_of(sentence) | set().union(*(words_of(x) for x in result_words)) if result_words else \
        words_of(sentence)
    said = words_of(recorded)
    return bool(said) and said <= known


def salutation(full_name: str) -> str:
    """"Ông" or "Bà" before a person's name, from the middle names the letterhead template lists ("Thị" → Bà);
    the template's "Ông/Bà" when the name does not tell."""
    w = templates.load("letterhead")
    parts = normalize(full_name).split()
    middle = {x.casefold() for x in parts[1:-1]}
    if not parts:
        return w.text("salutation_unknown")
    if middle & {normalize(x).casefold() for x in w.lines("female_middle_names")}:
        return "Bà"
    if middle & {normalize(x).casefold() for x in w.lines("male_middle_names")}:
        return "Ông"
    return w.text("salutation_unknown")


def province_unit(head: Letterhead) -> str:
    """"tỉnh Ninh Bình", "thành phố Hà Nội" (ND 30 Phụ lục II: the generic noun in lower case); dots when unknown."""
    name = normalize(head.province_name)
    if not name:
        return f"tỉnh {DOTS}"
    if fold(name).startswith(("tinh ", "thanh pho ")):
        return name[:1].lower() + name[1:]
    cities = ("ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue")
    return f"thành phố {name}" if fold(name) in cities else f"tỉnh {name}"


def local_regulation(head: Letterhead) -> str:
    """The province's regulation on local khuyến công funds with its number and date: the setting, else the
    letterhead template's text."""
    if head.local_regulation:
        return head.local_regulation
    w = templates.load("letterhead")
    return w.text("local_regulation", {"province_unit": province_unit(head)}) if w.has("local_regulation") else ""


def base_values(file: ProposalFile, head: Letterhead) -> dict[str, object]:
    """The placeholders every document template may use (listed at the top of each template file)."""
    p = file.proposal
    beneficiary = "; ".join(b.name for b in p.beneficiaries)
    values: dict[str, object] = {
        "org_name": head.issuer, "org_name_upper": head.issuer.upper(), "parent_body": head.parent_body,
        "org_abbr": head.abbreviation, "place_name": head.place_name, "director_name": head.director_name,
        "director_title": head.director_title, "director_salutation": salutation(head.director_name),
        "province_unit": province_unit(head), "local_regulation": local_regulation(head),
        "proposal_code": p.code, "proposal_title": p.title, "proposal_year": p.year,
        "scope_label": p.scope.label, "scope_label_lower": p.scope.label[0].lower() + p.scope.label[1:],
        "scope_short": p.scope.short, "form_label": p.form.label, "content_name": p.content_name,
        "sector_name": p.sector_name, "implementing_unit": p.implementing_unit or head.issuer,
        "partner_unit": p.partner_unit, "beneficiary": beneficiary, "location": p.location,
        "start_date": short_date(p.start_date), "end_date": short_date(p.end_date),
        "total_vnd": format_vnd(p.total_vnd), "support_vnd": format_vnd(p.support_vnd),
        "counterpart_vnd": format_vnd(p.counterpart_vnd), "other_vnd": format_vnd(p.other_vnd),
        "total_words": words(p.total_vnd), "support_words": words(p.support_vnd),
    }
    c = file.council
    if c is not None:
        chair = c.member(MemberRole.CHAIR)
        secretary = c.member(MemberRole.SECRETARY)
        values.update({
            "council_decision_number": c.decision_number, "council_decision_date": long_date(c.decision_date)
            if c.decision_date else "", "meeting_date": long_date(c.meeting_date), "place": place_text(c.place) or DOTS,
            "minutes_number": c.minutes_number, "pass_mark": points(c.pass_mark), "average": points(c.average),
            "chair_name": chair.full_name if chair else DOTS, "secretary_name": secretary.full_name if secretary
            else DOTS, "conclusion": c.conclusion,
        })
    else:
        values.update({"council_decision_number": "", "council_decision_date": "", "meeting_date": "", "place": "",
                       "minutes_number": "", "pass_mark": "", "average": "", "chair_name": "", "secretary_name": "",
                       "conclusion": ""})
    d = file.approval
    values.update({"decision_number": d.number if d else (p.approval_number or ""),
                   "decision_date": long_date(d.signed_on if d else p.approved_on)
                   if (d and d.signed_on) or p.approved_on else ""})
    k = file.contract
    party_a = normalize((k.party_a if k else "") or head.issuer)
    party_b = normalize((k.party_b if k else "") or p.implementing_unit)
    if not party_b or fold(party_b) == fold(party_a):
        # The centre implements the proposal itself: the other party is the beneficiary.
        party_b = beneficiary
    values.update({"contract_number": k.number if k else "", "contract_date": long_date(k.signed_on) if k else "",
                   "party_a": party_a, "party_b": party_b})
    first = p.beneficiaries[0] if p.beneficiaries else None
    values.update({"party_b_salutation": salutation(first.representative if first else ""),
                   "party_b_representative": first.representative if first and first.representative else DOTS,
                   "party_b_title": first.representative_title if first and first.representative_title else DOTS})
    a = file.acceptance
    values.update({"acceptance_number": a.minutes_number if a else "",
                   "acceptance_date": long_date(a.held_on) if a else ""})
    # Numbers cited in the text get the leading zero of a one-digit number, as on the documents themselves.
    for key in ("council_decision_number", "minutes_number", "decision_number", "contract_number",
                "acceptance_number"):
        values[key] = cited_number(str(values.get(key) or ""))
    return {k: normalize(v) if isinstance(v, str) else v for k, v in values.items()}

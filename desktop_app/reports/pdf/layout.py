"""The page and the blocks of an administrative document, as Nghị định 30/2020/NĐ-CP Phụ lục I lays them out.

- A4, margins top/bottom 20 mm, left 30 mm, right 15 mm (the Nghị định allows 20–25 / 30–35 / 15–20); landscape
  pages for wide tables (the budget appendix, report tables).
- Page numbers in Arabic numerals, centred in the top margin, from page 2 on; an appendix is numbered on its own.
- The header: a borderless two-column table. Left (ô 2–3): parent body upper case, issuing body upper case bold,
  a short centred rule under it (about 2/5 of the name's length), "Số: …". Right (ô 1, 4): "CỘNG HÒA XÃ HỘI CHỦ
  NGHĨA VIỆT NAM" bold, "Độc lập - Tự do - Hạnh phúc" bold with a rule exactly as long as the line, the italic
  place-and-date line on the same baseline as the number.
- Title upper case bold, summary bold, a short rule; legal bases italic, one per line; body 13 pt justified with a
  1 cm first-line indent and 6 pt between paragraphs; signature blocks with the authority and title upper case
  bold, about 25 mm for the signature, the name bold; "Nơi nhận:" bold italic 12 with the list in 11 pt.

Every text that comes from the database is escaped before it goes into a reportlab Paragraph.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations, pairwise
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from desktop_app.domain.errors import UserError
from desktop_app.domain.records import OrganisationInfo
from desktop_app.domain.vietnamese import format_document_date, normalize
from desktop_app.reports import templates
from desktop_app.reports.pdf.fonts import SERIF, SERIF_BOLD, SERIF_BOLD_ITALIC, SERIF_ITALIC, register_fonts

MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 20 * mm
MARGIN_LEFT = 30 * mm
MARGIN_RIGHT = 15 * mm
PORTRAIT = A4
LANDSCAPE = landscape(A4)
PORTRAIT_WIDTH = PORTRAIT[0] - MARGIN_LEFT - MARGIN_RIGHT
LANDSCAPE_WIDTH = LANDSCAPE[0] - MARGIN_LEFT - MARGIN_RIGHT
SIGNATURE_SPACE = 25 * mm
BODY_SIZE = 13
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DOTS = "…"
# Table cells default to Helvetica in reportlab: naming the document font keeps an unused, non-embedded
# Helvetica out of every PDF (preflight tools flag it).
TABLE_FONT: list[tuple[Any, ...]] = [("FONT", (0, 0), (-1, -1), SERIF, 11)]


def _style(name: str, font: str = SERIF, size: float = BODY_SIZE, align: int = TA_JUSTIFY, leading: float | None = None,
           **kw: Any) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.25, alignment=align, **kw)


class Styles:
    """The paragraph styles of the documents (one place, so every document looks the same)."""

    body = _style("body", firstLineIndent=10 * mm, spaceAfter=6)
    body_flush = _style("body_flush", spaceAfter=6)
    body_left = _style("body_left", align=TA_LEFT, firstLineIndent=10 * mm, spaceAfter=6)  # lines with blanks
    body_compact = _style("body_compact", firstLineIndent=10 * mm, spaceAfter=2, leading=15.5)
    basis = _style("basis", font=SERIF_ITALIC, firstLineIndent=10 * mm, spaceAfter=3)
    heading = _style("heading", font=SERIF_BOLD, firstLineIndent=10 * mm, spaceBefore=4, spaceAfter=4)
    centre = _style("centre", align=TA_CENTER)
    centre_bold = _style("centre_bold", font=SERIF_BOLD, align=TA_CENTER)
    title = _style("title", font=SERIF_BOLD, size=14, align=TA_CENTER, spaceBefore=14)
    summary = _style("summary", font=SERIF_BOLD, size=14, align=TA_CENTER)
    subtitle = _style("subtitle", font=SERIF_ITALIC, align=TA_CENTER)
    appendix_note = _style("appendix_note", font=SERIF_ITALIC, size=13, align=TA_CENTER)
    authority = _style("authority", font=SERIF_BOLD, size=14, align=TA_CENTER, spaceBefore=8, spaceAfter=8)
    header_parent = _style("header_parent", size=12, align=TA_CENTER, leading=14)
    header_issuer = _style("header_issuer", font=SERIF_BOLD, size=12, align=TA_CENTER, leading=14)
    header_number = _style("header_number", size=13, align=TA_CENTER, leading=16)
    header_date = _style("header_date", font=SERIF_ITALIC, size=13, align=TA_CENTER, leading=16)
    sign_title = _style("sign_title", font=SERIF_BOLD, size=13, align=TA_CENTER, leading=16)
    sign_note = _style("sign_note", font=SERIF_ITALIC, size=12, align=TA_CENTER, leading=14)
    sign_name = _style("sign_name", font=SERIF_BOLD, size=13, align=TA_CENTER, leading=16)
    recipients_head = _style("recipients_head", font=SERIF_BOLD_ITALIC, size=12, align=TA_LEFT, leading=14)
    recipients_item = _style("recipients_item", size=11, align=TA_LEFT, leading=13)
    cell = _style("cell", size=11, align=TA_LEFT, leading=13)
    cell_centre = _style("cell_centre", size=11, align=TA_CENTER, leading=13)
    cell_right = _style("cell_right", size=11, align=TA_RIGHT, leading=13)
    cell_head = _style("cell_head", font=SERIF_BOLD, size=11, align=TA_CENTER, leading=13)
    cell_bold = _style("cell_bold", font=SERIF_BOLD, size=11, align=TA_LEFT, leading=13)
    cell_bold_right = _style("cell_bold_right", font=SERIF_BOLD, size=11, align=TA_RIGHT, leading=13)
    cell_bold_centre = _style("cell_bold_centre", font=SERIF_BOLD, size=11, align=TA_CENTER, leading=13)
    unit = _style("unit", font=SERIF_ITALIC, size=12, align=TA_RIGHT)
    appendix = _style("appendix", font=SERIF_BOLD, size=14, align=TA_CENTER)


def text(value: object, style: ParagraphStyle = Styles.body) -> Paragraph:
    """A paragraph of plain text (escaped; line breaks kept)."""
    register_fonts()  # a Paragraph resolves its font when it is made
    return Paragraph(escape(normalize(str(value)) if value is not None else "").replace("\n", "<br/>"), style)


def dotted(value: str, style: ParagraphStyle = Styles.body, width: float = PORTRAIT_WIDTH) -> Paragraph:
    """A line of a form to fill by hand: the trailing "…" of ``value`` become dots up to the end of the line
    (never a second line that a justified paragraph would spread out)."""
    register_fonts()
    head = normalize(value).rstrip("….").rstrip()
    room = width - (style.firstLineIndent or 0) - stringWidth(head + " ", style.fontName, style.fontSize)
    while room < 0:  # a long prefix: the dots fill its last line
        room += width
    count = max(int(room / stringWidth(".", style.fontName, style.fontSize)) - 2, 3)
    left = ParagraphStyle(f"{style.name}_dotted", parent=style, alignment=TA_LEFT)
    return Paragraph(escape(f"{head} {'.' * count}" if head else "." * count), left)


def markup(value: str, style: ParagraphStyle = Styles.body) -> Paragraph:
    """A paragraph of trusted reportlab markup (``<b>``, ``<i>``); interpolate user text with :func:`esc`."""
    return Paragraph(value, style)


def esc(value: object) -> str:
    """Escape user text for :func:`markup`."""
    return escape(str(value) if value is not None else "")


def paragraphs(value: str, style: ParagraphStyle = Styles.body) -> list[Paragraph]:
    """One paragraph per non-empty line of a multi-line text field (what the user typed)."""
    lines = [line.strip() for line in (value or "").splitlines()]
    return [Paragraph(escape(line), style) for line in lines if line]


# ---------------------------------------------------------------------------------------------------------------------
# Letterhead and header
# ---------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Letterhead:
    """What the header and the centre's signature need, from the organisation record."""

    parent_body: str
    issuer: str
    abbreviation: str
    place_name: str
    director_name: str
    director_title: str
    address: str = ""
    phone: str = ""
    email: str = ""
    province_name: str = ""
    local_regulation: str = ""  # from the settings; empty: the letterhead template's text

    @classmethod
    def of(cls, org: OrganisationInfo, local_regulation: str = "") -> Letterhead:
        return cls(normalize(org.parent_body), normalize(org.name), normalize(org.abbreviation) or "TTKC",
                   normalize(org.place_name), normalize(org.director_name), normalize(org.director_title) or "Giám đốc",
                   normalize(org.address), normalize(org.phone), normalize(org.email), normalize(org.province_name),
                   normalize(local_regulation))


def number_line(recorded: str | None, symbol: str, abbreviation: str) -> str:
    """The "Số: …" line (ô 3) from what the record holds.

    A full number ("45/QĐ-SCT") is printed as recorded, with a leading zero on a one-digit number; a bare number
    gets the symbol; an empty one leaves dots to fill by hand: ``"Số: …/BB-TTKC"``.
    """
    value = normalize(recorded or "")
    if not value:
        return f"Số: {DOTS}/{symbol}-{abbreviation}"
    head, sep, tail = value.partition("/")
    if head.isdigit() and len(head) == 1:
        head = "0" + head
    if not sep:
        return f"Số: {head}/{symbol}-{abbreviation}"
    return f"Số: {head}/{tail}"


def date_line(place: str, on: date | None, year: int | None = None) -> str:
    """The italic place-and-date line; an unknown date leaves dots to fill by hand."""
    if on is not None:
        return format_document_date(place, on)
    when = f"ngày {DOTS} tháng {DOTS} năm {year if year else DOTS}"
    return f"{normalize(place)}, {when}" if normalize(place) else when


class CentredLine(Flowable):
    """One line of text centred in its cell, with an optional rule below it.

    ``rule`` is ``None``, ``"full"`` (as long as the text: the motto) or a fraction of the text's length (the short
    rule under the issuing body or the summary).
    """

    def __init__(self, value: str, font: str, size: float, rule: str | float | None = None, gap: float = 2.5,
                 max_width: float | None = None) -> None:
        super().__init__()
        register_fonts()
        self.value, self.font, self.size, self.rule, self.gap = value, font, size, rule, gap
        self.max_width = max_width
        self.text_width = stringWidth(value, font, size)

    def _depth(self) -> float:
        """How far below the baseline the rule goes: under the lowest glyph of the font (the "p" of "phúc", the
        dot of "ạ") plus ``gap``, so the rule never touches the letters."""
        face = getattr(pdfmetrics.getFont(self.font), "face", None)
        lowest = abs(face.bbox[1]) / 1000 if face is not None else 0.3
        return self.size * lowest + self.gap

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = self.size * 1.2 + (self._depth() - self.size * 0.2 + 1 if self.rule is not None else 0)
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        baseline = self.height - self.size
        c.setFont(self.font, self.size)
        c.drawCentredString(self.width / 2, baseline, self.value)
        if self.rule is None:
            return
        length = self.text_width if self.rule == "full" else self.text_width * float(self.rule)
        y = baseline - self._depth()
        c.setLineWidth(0.6)
        c.line((self.width - length) / 2, y, (self.width + length) / 2, y)


class ShortRule(Flowable):
    """A centred rule ``length`` points long (under the issuing body, the summary, the appendix title)."""

    def __init__(self, length: float, space_before: float = 4.5, space_after: float = 3) -> None:
        super().__init__()
        self.length, self.space_before, self.space_after = length, space_before, space_after

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.length = min(self.length, avail_width)
        return avail_width, self.space_before + self.space_after + 0.6

    def draw(self) -> None:
        self.canv.setLineWidth(0.6)
        y = self.space_after
        self.canv.line((self.width - self.length) / 2, y, (self.width + self.length) / 2, y)


def longest_line(value: str, style: ParagraphStyle, width: float) -> float:
    """The width of the longest line of ``value`` wrapped in ``width`` with ``style``."""
    if not value:
        return 0.0
    register_fonts()
    para = Paragraph(escape(value), style)
    para.wrap(width, 10_000)
    widths = []
    for line in para.blPara.lines:
        extra = line[0] if isinstance(line, tuple) else getattr(line, "extraSpace", 0)
        widths.append(width - extra)
    return max(widths, default=0.0)


def _rule_under(value: str, style: ParagraphStyle, width: float, fraction: float = 0.4) -> ShortRule:
    """A rule of ``fraction`` of the longest line of ``value`` (ND 30: 1/3–1/2 of the text above it)."""
    if style in (Styles.header_issuer, Styles.header_parent):
        lines = header_lines(value, style.fontName, style.fontSize, width)
        longest = max((stringWidth(x, style.fontName, style.fontSize) for x in lines), default=0.0)
    else:
        longest = longest_line(value, style, width)
    return ShortRule((longest or width / 3) * fraction)


@dataclass(frozen=True)
class _BreakRules:
    keep: frozenset[tuple[str, str]]
    before: frozenset[str]


def _break_rules() -> _BreakRules:
    """From the letterhead template (a province adds its own): two-syllable words of agency names that a line
    must not split ("CÔNG / NGHIỆP"), and the words a line had better start with ("VÀ TƯ VẤN …")."""
    try:
        w = templates.load("letterhead")
    except UserError:  # no letterhead template (a test folder): break anywhere
        return _BreakRules(frozenset(), frozenset())
    pairs: set[tuple[str, str]] = set()
    for item in w.lines("keep_together") if w.has("keep_together") else []:
        words = normalize(item).casefold().split()
        pairs.update(pairwise(words))
    before = {normalize(x).casefold() for x in (w.lines("break_before") if w.has("break_before") else [])}
    return _BreakRules(frozenset(pairs), frozenset(before))


def header_lines(value: str, font: str, size: float, width: float) -> list[str]:
    """``value`` broken into as few lines as fit ``width``, as even as possible, never inside a compound word.

    ND 30 lets the agency names run over several lines; a clerk refuses "… PHÁT TRIỂN CÔNG / NGHIỆP", so a line
    may only end where the letterhead template allows (between words not listed together). Among the breaks
    that need the fewest lines the one with the shortest longest line wins, a line starting with a word of
    ``break_before`` ("VÀ") counting as a little shorter. Only when no allowed break fits are compounds split.
    """
    register_fonts()
    words = normalize(value).split()
    if not words:
        return []
    if stringWidth(" ".join(words), font, size) <= width:
        return [" ".join(words)]
    rules = _break_rules()
    allowed = [i for i in range(1, len(words)) if (words[i - 1].casefold(), words[i].casefold()) not in rules.keep]
    everywhere = list(range(1, len(words)))
    bonus = size * 1.5

    def best(breaks: list[int]) -> list[str] | None:
        for count in range(1, min(len(breaks), 4) + 1):
            found: tuple[float, list[str]] | None = None
            for cut in combinations(breaks, count):
                bounds = [0, *cut, len(words)]
                lines = [" ".join(words[a:b]) for a, b in pairwise(bounds)]
                widest = max(stringWidth(x, font, size) for x in lines)
                cost = widest - bonus * sum(1 for i in cut if words[i].casefold() in rules.before)
                if widest <= width and (found is None or cost < found[0]):
                    found = (cost, lines)
            if found is not None:
                return found[1]
        return None

    return best(allowed) or best(everywhere) or [" ".join(words)]


def _header_paragraph(value: str, style: ParagraphStyle, width: float) -> Paragraph:
    register_fonts()
    lines = header_lines(value, style.fontName, style.fontSize, width)
    return Paragraph("<br/>".join(escape(x) for x in lines), style)


def header_block(head: Letterhead, number: str | None, dated: str | None, width: float = PORTRAIT_WIDTH,
                 issuer_override: str | None = None) -> Table:
    """The two-column header. ``number`` is the whole "Số: …" line (None: a form without a number);
    ``dated`` the place-and-date line (None: none, as in a Mẫu 1.9 biên bản without a date line)."""
    register_fonts()
    # The right block is as wide as the national name (plus padding); the agency block takes the rest, which
    # leaves room for a one-line "SỞ CÔNG THƯƠNG TỈNH …" (≈ 72 mm at 12 pt) on a portrait page.
    right_width = max(stringWidth(NATIONAL_NAME, SERIF_BOLD, 12) + 3 * mm, width * 0.5 if width > 200 * mm else 0)
    left_width = width - right_width
    issuer = normalize(issuer_override or head.issuer).upper()
    inner = left_width - 4
    left: list[Flowable] = []
    if head.parent_body:
        left.append(_header_paragraph(head.parent_body.upper(), Styles.header_parent, inner))
    left.append(_header_paragraph(issuer, Styles.header_issuer, inner))
    left.append(_rule_under(issuer, Styles.header_issuer, inner, 0.4))
    right: list[Flowable] = [CentredLine(NATIONAL_NAME, SERIF_BOLD, 12, gap=0),
                             CentredLine(MOTTO, SERIF_BOLD, 13, rule="full", gap=1.5)]
    rows: list[list[Any]] = [[left, right]]
    if number is not None or dated is not None:
        rows.append([text(number or "", Styles.header_number), text(dated or "", Styles.header_date)])
    table = Table(rows, colWidths=[left_width, right_width], hAlign="CENTER")
    table.setStyle(TableStyle([
        *TABLE_FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 1), (-1, 1), 4),
    ]))
    table._kc_role = "header"
    return table


def title_block(kind: str, summary: str | Sequence[str] = (), width: float = PORTRAIT_WIDTH,
                summary_style: ParagraphStyle = Styles.summary) -> list[Flowable]:
    """Type name (upper case bold), the summary line(s) (bold; italic for an appendix's "(Kèm theo …)") and the
    short rule under them."""
    items: list[Flowable] = [text(normalize(kind).upper(), Styles.title)]
    lines = [summary] if isinstance(summary, str) else list(summary)
    lines = [normalize(x) for x in lines if normalize(x)]
    for line in lines:
        items.append(text(line, summary_style))
    if lines:
        items.append(_rule_under(lines[-1], summary_style, width, 0.4))
    items.append(Spacer(1, 6))
    return items


def legal_bases(lines: Sequence[str]) -> list[Flowable]:
    """Căn cứ lines in italic: each ends with ";" and the last with "." (ND 30 Phụ lục I)."""
    cleaned = [normalize(x).rstrip(";.,") for x in lines if normalize(x)]
    return [text(line + ("." if i == len(cleaned) - 1 else ";"), Styles.basis) for i, line in enumerate(cleaned)]


def end_mark(paragraph_text: str) -> str:
    """The closing "./." after the last sentence of the content (Phụ lục III models)."""
    value = normalize(paragraph_text).rstrip()
    if value.endswith("./."):
        return value
    return value.rstrip(".") + "./."


def article(value: str, style: ParagraphStyle = Styles.body) -> Paragraph:
    """A paragraph whose leading "Điều 1." is bold (ND 30: articles numbered in bold)."""
    value = normalize(value)
    match = re.match(r"^(Điều \d+\.)\s*(.*)$", value, re.S)
    if not match:
        return text(value, style)
    return Paragraph(f"<b>{escape(match.group(1))}</b> {escape(match.group(2))}", style)


def close_content(story: list[Any], mark: bool = True) -> None:
    """Put "./." after the last body paragraph of ``story`` (in place), as the Phụ lục III models end the content,
    and mark it so that :func:`build_pdf` keeps it with the signatures. A form (score sheet) passes
    ``mark=False``: no "./.", but its last lines still go with the signature."""
    for i in range(len(story) - 1, -1, -1):
        item = story[i]
        if isinstance(item, Paragraph) and item.style.name.startswith("body"):  # body, body_compact_dotted …
            closing = Paragraph(end_mark(item.text.rstrip(";,: ")) if mark else item.text, item.style)
            closing._closes_content = True
            story[i] = closing
            return


# ---------------------------------------------------------------------------------------------------------------------
# Signatures and recipients
# ---------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signature:
    """A signature block: title lines (authority prefix + position, upper case bold), an optional italic note,
    the space for the signature, the signer's name (bold; left blank with dots to fill when unknown)."""

    titles: tuple[str, ...]
    name: str = ""
    note: str = ""
    space: float = SIGNATURE_SPACE  # a member's score sheet needs less room than a signature with a seal

    @property
    def title_lines(self) -> int:
        return sum(1 for t in self.titles if normalize(t))

    def flowables(self, title_lines: int = 0) -> list[Flowable]:
        """The block; ``title_lines`` pads the titles so names in one row share a baseline."""
        items: list[Flowable] = [text(normalize(t).upper(), Styles.sign_title) for t in self.titles if normalize(t)]
        items += [Spacer(1, Styles.sign_title.leading)] * max(title_lines - self.title_lines, 0)
        if self.note:
            items.append(text(self.note, Styles.sign_note))
        items.append(Spacer(1, self.space))
        items.append(text(normalize(self.name) or DOTS * 6, Styles.sign_name))
        return items


@dataclass(frozen=True)
class Recipients:
    """"Nơi nhận:" and its list; the last line is "- Lưu: VT, …."."""

    items: tuple[str, ...] = field(default_factory=tuple)

    def flowables(self) -> list[Flowable]:
        cleaned = [normalize(x).lstrip("- ").rstrip(";.") for x in self.items if normalize(x)]
        out: list[Flowable] = [text("Nơi nhận:", Styles.recipients_head)]
        for i, item in enumerate(cleaned):
            out.append(text(f"- {item}{'.' if i == len(cleaned) - 1 else ';'}", Styles.recipients_item))
        return out


def signature_row(left: Signature | Recipients | None, right: Signature | None,
                  width: float = PORTRAIT_WIDTH) -> Flowable:
    """One row of the signature area: Nơi nhận or a signature at left, a signature at right; kept on one page."""
    lines = max((b.title_lines for b in (left, right) if isinstance(b, Signature)), default=0)
    cells = []
    for block in (left, right):
        if isinstance(block, Signature):
            cells.append(block.flowables(lines))
        else:
            cells.append(block.flowables() if block is not None else [Spacer(1, 1)])
    table = Table([cells], colWidths=[width * 0.45, width * 0.55])
    table._kc_role = "signature"
    table.setStyle(TableStyle([
        *TABLE_FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return KeepTogether([Spacer(1, 8), table])


def signature_grid(blocks: Sequence[Signature], width: float = PORTRAIT_WIDTH) -> list[Flowable]:
    """Several signature blocks two per row (parties of minutes), each row kept on one page."""
    out: list[Flowable] = []
    for i in range(0, len(blocks), 2):
        pair = list(blocks[i:i + 2])
        lines = max(b.title_lines for b in pair)
        cells = [b.flowables(lines) for b in pair] + ([[Spacer(1, 1)]] if len(pair) == 1 else [])
        table = Table([cells], colWidths=[width / 2, width / 2])
        table._kc_role = "signature"
        table.setStyle(TableStyle([*TABLE_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        out.append(KeepTogether([Spacer(1, 8), table]))
    return out


# ---------------------------------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------------------------------


_CELL_PAD = 3  # left and right padding of a grid cell
_TEXT_MIN = 30 * mm  # the narrowest a text column gets when amounts need the room
_SIZES = (11.0, 10.5, 10.0, 9.5, 9.0)
_sized_styles: dict[tuple[str, float], ParagraphStyle] = {}


def _sized(style: ParagraphStyle, size: float) -> ParagraphStyle:
    """``style`` at ``size`` pt (leading scaled alike): a table of large amounts is set a little smaller."""
    if size == style.fontSize:
        return style
    key = (style.name, size)
    if key not in _sized_styles:
        _sized_styles[key] = ParagraphStyle(f"{style.name}_{size}", parent=style, fontSize=size,
                                            leading=style.leading * size / style.fontSize)
    return _sized_styles[key]


def fit_number_columns(widths: Sequence[float], rows: Sequence[Sequence[Any]], number_columns: Sequence[int],
                       bold_rows: Sequence[int] = (), fixed_columns: Sequence[int] = ()) -> tuple[list[float], float]:
    """Column widths and a font size with which no amount of ``number_columns`` wraps inside its cell.

    Each number column gets at least its widest figure (bold in a total row) plus padding; the room is taken
    from the text columns (not ``fixed_columns``), which keep at least ``_TEXT_MIN`` or their longest word.
    When the page is too narrow at 11 pt the table is set at 10.5 … 9 pt; below that the text columns give up
    more room, so a figure up to 999.999.999.999 still sits on one line.
    """
    register_fonts()
    total = sum(widths)
    flex = [c for c in range(len(widths)) if c not in number_columns and c not in fixed_columns]
    result: list[float] = list(widths)
    for size in _SIZES:
        result = list(widths)
        for c in number_columns:
            need = 0.0
            for r, row in enumerate(rows):
                value = row[c] if c < len(row) else None
                if value is None or isinstance(value, Flowable):
                    continue
                font = SERIF_BOLD if r in bold_rows else SERIF
                need = max(need, stringWidth(normalize(str(value)), font, size))
            result[c] = max(result[c], need + 2 * _CELL_PAD + 1)
        excess = sum(result) - total
        if excess <= 0:
            if size == _SIZES[0]:
                return list(widths), size
            return result, size
        floors = {c: max(_TEXT_MIN if size > _SIZES[-1] else 0, _longest_word(rows, c, size) + 2 * _CELL_PAD)
                  for c in flex}
        spare = {c: max(result[c] - floors[c], 0) for c in flex}
        if sum(spare.values()) >= excess or size == _SIZES[-1]:
            give = min(excess, sum(spare.values()))
            for c in flex:
                if sum(spare.values()):
                    result[c] -= give * spare[c] / sum(spare.values())
            return result, size
    return result, _SIZES[-1]


def fits_comfortably(widths: Sequence[float], rows: Sequence[Sequence[Any]], number_columns: Sequence[int],
                     bold_rows: Sequence[int] = (), fixed_columns: Sequence[int] = (), min_size: float = 10.0) -> bool:
    """Whether a table of figures fits its page width at ``min_size`` pt or more with every text column at least
    ``_TEXT_MIN`` wide; if not, a document moves it to a landscape appendix (ND 30 allows it for wide tables)."""
    fitted, size = fit_number_columns(widths, rows, number_columns, bold_rows, fixed_columns)
    flex = [c for c in range(len(widths)) if c not in number_columns and c not in fixed_columns]
    return size >= min_size and all(fitted[c] >= _TEXT_MIN - 0.5 for c in flex)


def _longest_word(rows: Sequence[Sequence[Any]], column: int, size: float) -> float:
    widest = 0.0
    for row in rows:
        value = row[column] if column < len(row) else None
        if value is None or isinstance(value, Flowable):
            continue
        for word in normalize(str(value)).split():
            widest = max(widest, stringWidth(word, SERIF_BOLD, size))
    return widest


def grid_table(header: Sequence[str | Sequence[str]], rows: Sequence[Sequence[Any]], widths: Sequence[float],
               *, right_columns: Sequence[int] = (), centre_columns: Sequence[int] = (), bold_rows: Sequence[int] = (),
               header_rows: int = 1, spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
               extra_header: Sequence[Sequence[str]] = ()) -> Table:
    """A bordered table with a bold header repeated on each page; cells are wrapped Paragraphs.

    ``rows`` hold plain values (escaped here) or ready Flowables. Row indexes in ``bold_rows`` are data-row
    indexes (0 = first data row). ``extra_header`` adds header rows below the first (for two-level headers)
    and ``spans`` are reportlab SPAN commands in table coordinates. The ``right_columns`` hold figures: their
    widths come from the widest figure (:func:`fit_number_columns`), so an amount never breaks across lines.
    """
    widths, size = fit_number_columns(widths, rows, right_columns, bold_rows, centre_columns)
    data: list[list[Any]] = []
    heads: list[list[Any]] = [list(header)] + [list(h) for h in extra_header]
    for head in heads:
        data.append([text(h, _sized(Styles.cell_head, size)) if isinstance(h, str) else h for h in head])
    n_head = 1 + len(extra_header)
    for r, row in enumerate(rows):
        bold = r in bold_rows
        cells = []
        for c, value in enumerate(row):
            if isinstance(value, Flowable):
                cells.append(value)
                continue
            if c in right_columns:
                style = Styles.cell_bold_right if bold else Styles.cell_right
            elif c in centre_columns:
                style = Styles.cell_bold_centre if bold else Styles.cell_centre
            else:
                style = Styles.cell_bold if bold else Styles.cell
            cells.append(text("" if value is None else value, _sized(style, size)))
        data.append(cells)
    table = Table(data, colWidths=list(widths), repeatRows=max(header_rows, n_head), hAlign="CENTER")
    table._kc_role = "grid"
    commands: list[tuple[Any, ...]] = [
        *TABLE_FONT,
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, n_head - 1), "MIDDLE"),
        ("VALIGN", (0, n_head), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    commands += [("SPAN", a, b) for a, b in spans]
    table.setStyle(TableStyle(commands))
    return table


# ---------------------------------------------------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------------------------------------------------


class _Numbering:
    """Page numbers from page 2, restarting in an appendix (whose first page shows none either)."""

    def __init__(self) -> None:
        self.appendix_start: int | None = None

    def main(self, canvas: Any, doc: Any) -> None:
        self._draw(canvas, doc, canvas.getPageNumber())

    def appendix(self, canvas: Any, doc: Any) -> None:
        page = canvas.getPageNumber()
        if self.appendix_start is None:
            self.appendix_start = page
        self._draw(canvas, doc, page - self.appendix_start + 1)

    @staticmethod
    def _draw(canvas: Any, doc: Any, number: int) -> None:
        if number < 2:
            return
        width, height = canvas._pagesize
        canvas.saveState()
        canvas.setFont(SERIF, 13)
        canvas.drawCentredString(MARGIN_LEFT + (width - MARGIN_LEFT - MARGIN_RIGHT) / 2, height - MARGIN_TOP / 2 - 4,
                                 str(number))
        canvas.restoreState()


def _frame(size: tuple[float, float], ident: str) -> Frame:
    return Frame(MARGIN_LEFT, MARGIN_BOTTOM, size[0] - MARGIN_LEFT - MARGIN_RIGHT, size[1] - MARGIN_TOP - MARGIN_BOTTOM,
                 id=ident, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


def build_pdf(story: Sequence[Flowable], *, title: str, author: str = "", subject: str = "",
              landscape_pages: bool = False, appendix: Sequence[Flowable] = (),
              appendix_landscape: bool = True, on_progress: Callable[[int], None] | None = None) -> bytes:
    """Lay ``story`` out on A4 pages (portrait unless ``landscape_pages``) and return the PDF.

    ``appendix`` starts on a new page (landscape by default) and is numbered separately, as ND 30 asks.
    ``on_progress`` is called with each finished page number (for progress and cancel: it may raise).
    """
    register_fonts()
    buffer = io.BytesIO()
    numbering = _Numbering()
    main_size = LANDSCAPE if landscape_pages else PORTRAIT
    appendix_size = LANDSCAPE if appendix_landscape else PORTRAIT
    doc = BaseDocTemplate(buffer, pagesize=main_size, title=title, author=author, subject=subject,
                          creator="khuyencong", leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
                          topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, initialFontName=SERIF)
    templates = [PageTemplate(id="main", frames=[_frame(main_size, "main")], onPage=numbering.main,
                              pagesize=main_size)]
    flow = keep_closing_together(story)
    if appendix:
        templates.append(PageTemplate(id="appendix", frames=[_frame(appendix_size, "appendix")],
                                      onPage=numbering.appendix, pagesize=appendix_size))
        flow += [NextPageTemplate("appendix"), PageBreak(), *appendix]
    doc.addPageTemplates(templates)
    if on_progress is not None:
        doc.afterPage = lambda: on_progress(doc.page)
    doc.build(flow)
    return buffer.getvalue()


def keep_closing_together(story: Sequence[Flowable]) -> list[Flowable]:
    """``story`` with its last body paragraph and everything after it (every row of signatures, "Nơi nhận")
    in one :class:`KeepTogether`: no page holds only signatures, a clerk would not sign such a page.

    When the closing part is taller than a page, reportlab splits it as usual.
    """
    flow = list(story)
    closing = next((i for i, item in enumerate(flow) if getattr(item, "_closes_content", False)), None)
    if closing is None:
        return flow
    group: list[Flowable] = []
    for item in flow[closing:]:
        # A KeepTogether nested in another one cannot measure itself: keep its content instead.
        group += list(item._content) if isinstance(item, KeepTogether) else [item]
    return [*flow[:closing], KeepTogether(group)]


@dataclass(frozen=True)
class Composed:
    """A document before layout: what :func:`render_pdf` sets on pages and the Word writer turns into a .docx."""

    story: Sequence[Flowable]
    title: str
    author: str = ""
    subject: str = ""
    appendix: Sequence[Flowable] = ()
    landscape_pages: bool = False


def render_pdf(doc: Composed) -> bytes:
    """The PDF of a composed document."""
    return build_pdf(doc.story, title=doc.title, author=doc.author, subject=doc.subject,
                     landscape_pages=doc.landscape_pages, appendix=doc.appendix)


def keep_with_next(items: Sequence[Flowable], space: float = 40 * mm) -> list[Flowable]:
    """Start ``items`` on a new page unless ``space`` is left (a heading never ends a page)."""
    return [CondPageBreak(space), *items]

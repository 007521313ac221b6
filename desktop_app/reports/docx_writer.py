"""The Word (.docx) version of a document: the same composed story as the PDF, written with python-docx.

Clerks adjust the wording before they sign, so every document is also given as an editable file with the same
content and layout rules: A4, margins 20/20/30/15 mm, Times New Roman (Liberation Serif has its metrics, so the
lines break alike), the two-column header with the motto rule, the bordered tables with the same column
widths and their header row repeated on each page, the signature blocks, page numbers from page 2 in the top
margin and a landscape appendix numbered on its own.

The story is the list of reportlab flowables that :mod:`desktop_app.reports.pdf` lays out; this module reads it
(paragraph fragments with their fonts, tables with their widths and roles) instead of composing every document
twice, so the PDF and the Word file cannot drift apart.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)

from desktop_app.reports.pdf.layout import (
    LANDSCAPE,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PORTRAIT,
    CentredLine,
    Composed,
    ShortRule,
)

FONT = "Times New Roman"
_ALIGN = {0: WD_ALIGN_PARAGRAPH.LEFT, 1: WD_ALIGN_PARAGRAPH.CENTER, 2: WD_ALIGN_PARAGRAPH.RIGHT,
          4: WD_ALIGN_PARAGRAPH.JUSTIFY}
_VALIGN = {"TOP": WD_CELL_VERTICAL_ALIGNMENT.TOP, "MIDDLE": WD_CELL_VERTICAL_ALIGNMENT.CENTER,
           "BOTTOM": WD_CELL_VERTICAL_ALIGNMENT.BOTTOM}


def _pt(points: float) -> Any:
    return Pt(round(points * 2) / 2)


class _Writer:
    def __init__(self, doc: Composed) -> None:
        self.composed = doc
        self.doc = Document()
        normal = self.doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(13)
        rpr = normal.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
        normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.space_before = Pt(0)
        self.doc.core_properties.title = doc.title
        self.doc.core_properties.author = doc.author
        self.doc.core_properties.subject = doc.subject
        self._keeping = False  # between the last body paragraph and the signatures: keep with the next
        self._setup(self.doc.sections[0], LANDSCAPE if doc.landscape_pages else PORTRAIT)

    # --- page set-up -----------------------------------------------------------------------------------------

    def _setup(self, section: Any, size: tuple[float, float], restart: bool = False) -> None:
        section.orientation = WD_ORIENT.LANDSCAPE if size[0] > size[1] else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = _pt(size[0]), _pt(size[1])
        section.top_margin, section.bottom_margin = _pt(MARGIN_TOP), _pt(MARGIN_BOTTOM)
        section.left_margin, section.right_margin = _pt(MARGIN_LEFT), _pt(MARGIN_RIGHT)
        section.header_distance = Mm(8)
        # Page numbers from page 2, centred in the top margin (ND 30): the first page has its own, empty header.
        section.different_first_page_header_footer = True
        section.header.is_linked_to_previous = False
        section.first_page_header.is_linked_to_previous = False
        header = section.header.paragraphs[0]
        header.text = ""
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _field(header, "PAGE", 13)
        if restart:
            pg = OxmlElement("w:pgNumType")
            pg.set(qn("w:start"), "1")
            section._sectPr.append(pg)
        self.width = size[0] - MARGIN_LEFT - MARGIN_RIGHT

    # --- the story ---------------------------------------------------------------------------------------------

    def write(self) -> bytes:
        self._flow(self.composed.story, None)
        if self.composed.appendix:
            section = self.doc.add_section(WD_SECTION.NEW_PAGE)
            self._setup(section, LANDSCAPE, restart=True)
            self._flow(self.composed.appendix, None)
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    def _flow(self, items: Iterable[Any], cell: _Cell | None, width: float | None = None) -> None:
        width = self.width if width is None else width
        for item in items:
            if isinstance(item, KeepTogether):
                self._flow(item._content, cell, width)
            elif isinstance(item, list | tuple):
                self._flow(item, cell, width)
            elif isinstance(item, Paragraph):
                self._paragraph(item, cell)
            elif isinstance(item, CentredLine):
                self._centred_line(item, cell, width)
            elif isinstance(item, ShortRule):
                self._rule(min(item.length, width), width, cell, item.space_before, item.space_after)
            elif isinstance(item, Table):
                if cell is not None:
                    continue  # tables are never nested in the documents
                self._table(item)
            elif isinstance(item, Spacer):
                self._spacer(item.height, cell)
            elif isinstance(item, PageBreak):
                self._new_paragraph(cell).add_run().add_break(WD_BREAK.PAGE)
            elif isinstance(item, CondPageBreak | NextPageTemplate):
                continue
            elif isinstance(item, Flowable) and item.width == 0 and getattr(item, "height", 0) == 0:
                continue

    def _new_paragraph(self, cell: _Cell | None) -> DocxParagraph:
        if cell is None:
            return self.doc.add_paragraph()
        first = cell.paragraphs[0]
        if not first.runs and not first.text and not getattr(cell, "_kc_used", False):
            cell._kc_used = True  # type: ignore[attr-defined]
            return first
        return cell.add_paragraph()

    def _paragraph(self, para: Paragraph, cell: _Cell | None) -> DocxParagraph:
        style = para.style
        out = self._new_paragraph(cell)
        fmt = out.paragraph_format
        out.alignment = _ALIGN.get(style.alignment, WD_ALIGN_PARAGRAPH.LEFT)
        if style.firstLineIndent:
            fmt.first_line_indent = _pt(style.firstLineIndent)
        fmt.space_before = _pt(style.spaceBefore or 0)
        fmt.space_after = _pt(style.spaceAfter or 0)
        fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        fmt.line_spacing = _pt(style.leading)
        if getattr(para, "_closes_content", False):
            self._keeping = True  # the last lines go with the signatures, as in the PDF
        if self._keeping and cell is None:
            fmt.keep_with_next = True
        for frag in getattr(para, "frags", []):
            if getattr(frag, "lineBreak", False):
                out.add_run().add_break()
                continue
            value = getattr(frag, "text", "")
            if not value:
                continue
            run = out.add_run(value)
            font_name = getattr(frag, "fontName", style.fontName) or ""
            run.bold = "Bold" in font_name or bool(getattr(frag, "bold", 0))
            run.italic = "Italic" in font_name or bool(getattr(frag, "italic", 0))
            run.font.size = _pt(getattr(frag, "fontSize", style.fontSize))
        return out

    def _centred_line(self, line: CentredLine, cell: _Cell | None, width: float) -> None:
        out = self._new_paragraph(cell)
        out.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = out.add_run(line.value)
        run.bold = "Bold" in line.font
        run.italic = "Italic" in line.font
        run.font.size = _pt(line.size)
        if line.rule is not None:
            length = line.text_width if line.rule == "full" else line.text_width * float(line.rule)
            # The rule under the motto: a bottom border between indents, exactly as long as the text.
            _border_under(out, max((width - length) / 2 - 4, 0))

    def _rule(self, length: float, width: float, cell: _Cell | None, before: float, after: float) -> None:
        out = self._new_paragraph(cell)
        fmt = out.paragraph_format
        fmt.space_before = _pt(0)
        fmt.space_after = _pt(after + 2)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = _pt(max(before, 2))
        run = out.add_run("")
        run.font.size = Pt(2)
        _border_under(out, max((width - length) / 2 - 4, 0))

    def _spacer(self, height: float, cell: _Cell | None) -> None:
        if height <= 1:
            return
        out = self._new_paragraph(cell)
        if self._keeping and cell is None:
            out.paragraph_format.keep_with_next = True
        fmt = out.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = _pt(height)
        out.add_run("").font.size = Pt(2)

    def _table(self, table: Table) -> None:
        if getattr(table, "_kc_role", "") != "signature":
            self._keeping = False
        cells: list[list[Any]] = table._cellvalues
        widths: list[float] = list(table._colWidths)
        role = getattr(table, "_kc_role", "")
        grid = role == "grid" or any(cmd[0] in ("GRID", "BOX", "INNERGRID") for cmd in table._linecmds)
        n_rows, n_cols = len(cells), len(widths)
        out = self.doc.add_table(rows=n_rows, cols=n_cols)
        out.alignment = WD_TABLE_ALIGNMENT.CENTER
        out.autofit = False
        if grid:
            out.style = self.doc.styles["Table Grid"]
        _fixed_layout(out)
        for column, width in zip(out.columns, widths, strict=False):
            column.width = _pt(width)  # the grid (read by LibreOffice) as well as each cell (read by Word)
        spans = {tuple(start): tuple(end) for start, end in _spans(table)}
        for r, row in enumerate(cells):
            word_row = out.rows[r]
            if grid and r < table.repeatRows:
                _row_flag(word_row, "w:tblHeader")
            if not grid:
                _row_flag(word_row, "w:cantSplit")  # a signature block is never cut in two
            for c, value in enumerate(row):
                cell = word_row.cells[c]
                cell.width = _pt(widths[c])
                cell.vertical_alignment = _VALIGN["MIDDLE" if grid and r < table.repeatRows else "TOP"]
                self._flow(value if isinstance(value, list | tuple) else [value], cell, widths[c] - 4)
                if not isinstance(value, list | tuple | Flowable) and value not in (None, ""):
                    self._new_paragraph(cell).add_run(str(value))
        for (c0, r0), (c1, r1) in spans.items():
            if (c0, r0) != (c1, r1):
                out.cell(r0, c0).merge(out.cell(r1 if r1 >= 0 else n_rows + r1, c1 if c1 >= 0 else n_cols + c1))


def _spans(table: Table) -> Sequence[tuple[tuple[int, int], tuple[int, int]]]:
    out = []
    for cmd in getattr(table, "_spanCmds", []):
        if cmd[0] == "SPAN":
            out.append((tuple(cmd[1]), tuple(cmd[2])))
    return out


def _row_flag(row: Any, tag: str) -> None:
    props = row._tr.get_or_add_trPr()
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    props.append(flag)


def _fixed_layout(table: Any) -> None:
    props = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    props.append(layout)


def _border_under(paragraph: DocxParagraph, indent: float) -> None:
    fmt = paragraph.paragraph_format
    fmt.left_indent = _pt(indent)
    fmt.right_indent = _pt(indent)
    props = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    props.append(borders)


def _field(paragraph: DocxParagraph, code: str, size: float) -> None:
    """A Word field (PAGE) in ``paragraph``."""
    run = paragraph.add_run()
    run.font.size = _pt(size)
    for kind, text_value in (("begin", None), (None, code), ("separate", None), (None, "2"), ("end", None)):
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text_value == code:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {code} "
            run._r.append(instr)
        else:
            shown = OxmlElement("w:t")
            shown.text = text_value
            run._r.append(shown)


def render_docx(doc: Composed) -> bytes:
    """The Word file of a composed document (the same story as its PDF)."""
    return _Writer(doc).write()

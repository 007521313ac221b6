"""A proposal's dossier: every document of the proposal and its attached PDFs in one PDF (with an index page and
bookmarks), or everything, attachments of any type included, in one zip."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from reportlab.lib.units import mm

from desktop_app.domain.vietnamese import fold
from desktop_app.reports import templates
from desktop_app.reports.pdf.common import base_values
from desktop_app.reports.pdf.layout import (
    PORTRAIT_WIDTH,
    Letterhead,
    Styles,
    build_pdf,
    grid_table,
    header_block,
    text,
    title_block,
)
from desktop_app.reports.pdf.records import ProposalFile


@dataclass(frozen=True)
class Part:
    """One piece of the dossier: a title, a file name for the zip, and its bytes."""

    title: str
    filename: str
    data: bytes
    is_attachment: bool = False


def page_count(data: bytes) -> int | None:
    """Pages of a PDF, or None when it cannot be read (not a PDF, damaged, encrypted)."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return None
        return len(reader.pages)
    except (PyPdfError, ValueError, OSError, KeyError, TypeError):
        return None


def _index(file: ProposalFile, head: Letterhead, entries: Sequence[tuple[str, int]], skipped: Sequence[str]) -> bytes:
    w = templates.load("dossier")
    v = base_values(file, head)
    rows: list[list[object]] = []
    first = 2  # the index itself is page 1
    for i, (title, pages) in enumerate(entries, start=1):
        rows.append([i, title, f"{first}–{first + pages - 1}" if pages > 1 else str(first)])
        first += pages
    widths = [12 * mm, PORTRAIT_WIDTH - 12 * mm - 30 * mm, 30 * mm]
    story: list[object] = [
        header_block(head, None, None),
        *title_block(w.text("title", v), w.text("summary", v)),
        text(w.text("intro", v)),
        grid_table(w.lines("headers", v), rows, widths, centre_columns=(0, 2)),
    ]
    if skipped:
        story.append(text("", Styles.body_flush))
        story.append(text(w.text("unreadable", {**v, "names": "; ".join(skipped)})))
    return build_pdf(story, title=f"Hồ sơ đề án {file.proposal.code}", author=head.issuer,
                     subject=file.proposal.title)


def merge(file: ProposalFile, head: Letterhead, parts: Sequence[Part]) -> bytes:
    """One PDF: the index page, then each document and each readable attached PDF, with a bookmark for each."""
    w = templates.load("dossier")
    readable: list[tuple[Part, int]] = []
    skipped: list[str] = []
    for part in parts:
        pages = page_count(part.data)
        if pages:
            readable.append((part, pages))
        else:
            skipped.append(part.filename)
    titles = [(w.text("attachment", {"name": p.title}) if p.is_attachment else p.title, n) for p, n in readable]
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(_index(file, head, titles, skipped))))
    writer.add_outline_item(title="Mục lục hồ sơ", page_number=0)
    for (part, _), (title, _) in zip(readable, titles, strict=True):
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(part.data)))
        writer.add_outline_item(title=title, page_number=start)
    writer.add_metadata({"/Title": f"Hồ sơ đề án {file.proposal.code}", "/Author": head.issuer})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_parts(parts: Sequence[Part]) -> bytes:
    """A zip of the documents (at the top) and the attachments (in "tep-dinh-kem/"), names made unique."""
    out = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for part in parts:
            name = ("tep-dinh-kem/" if part.is_attachment else "") + part.filename
            base, dot, ext = name.rpartition(".")
            if not dot:
                base, ext = name, ""
            candidate, n = name, 2
            while candidate.casefold() in used:
                candidate = f"{base} ({n}){'.' + ext if ext else ''}"
                n += 1
            used.add(candidate.casefold())
            zf.writestr(candidate, part.data)
    return out.getvalue()


def safe_name(text_value: str) -> str:
    """A file name without diacritics or characters Windows refuses: "Biên bản nghiệm thu" → "bien-ban-nghiem-thu"."""
    folded = fold(text_value)
    cleaned = "".join(ch if ch.isalnum() else "-" for ch in folded)
    while "--" in cleaned:
        cleaned = cleaned.replace("--", "-")
    return cleaned.strip("-") or "van-ban"

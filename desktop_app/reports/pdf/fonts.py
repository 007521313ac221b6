"""The document font: Liberation Serif 2.1.x from ``resources/fonts``, registered once and embedded in every PDF.

Nghị định 30/2020 asks for Times New Roman, which cannot be shipped; Liberation Serif has its metrics (SIL OFL
1.1, see ``resources/fonts/SOURCE.md``). Registered as a family, so ``<b>`` and ``<i>`` work inside Paragraphs.
reportlab embeds a subset of each TrueType font with a Unicode map, so the text can be extracted again.
"""

from __future__ import annotations

import threading

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from desktop_app.domain.errors import UserError
from desktop_app.paths import fonts_dir

SERIF = "LiberationSerif"
SERIF_BOLD = "LiberationSerif-Bold"
SERIF_ITALIC = "LiberationSerif-Italic"
SERIF_BOLD_ITALIC = "LiberationSerif-BoldItalic"

_lock = threading.Lock()
_done = False


def register_fonts() -> None:
    """Register the four styles of Liberation Serif with reportlab (idempotent, thread-safe).

    Raises:
        UserError: a font file is missing from the installation.
    """
    global _done
    with _lock:
        if _done:
            return
        folder = fonts_dir()
        files = {SERIF: "LiberationSerif-Regular", SERIF_BOLD: "LiberationSerif-Bold",
                 SERIF_ITALIC: "LiberationSerif-Italic", SERIF_BOLD_ITALIC: "LiberationSerif-BoldItalic"}
        for name, file in files.items():
            path = folder / f"{file}.ttf"
            if not path.is_file():
                raise UserError(f"Thiếu tệp phông chữ {path.name} trong thư mục {folder}; "
                                "hãy cài đặt lại chương trình.")
            pdfmetrics.registerFont(TTFont(name, str(path)))
        pdfmetrics.registerFontFamily(SERIF, normal=SERIF, bold=SERIF_BOLD, italic=SERIF_ITALIC,
                                      boldItalic=SERIF_BOLD_ITALIC)
        for bold, italic, face in ((0, 0, SERIF), (1, 0, SERIF_BOLD), (0, 1, SERIF_ITALIC),
                                   (1, 1, SERIF_BOLD_ITALIC)):
            addMapping(SERIF, bold, italic, face)
        _done = True

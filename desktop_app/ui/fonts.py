"""Register the fonts shipped in resources/fonts so text renders on a machine with no fonts installed."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from desktop_app.paths import fonts_dir

UI_FAMILY = "Liberation Sans"


def register_fonts(app: QApplication, point_size: int = 10) -> list[str]:
    """Load the shipped Liberation Sans TTFs and make it the application font; returns the families loaded.

    Only the sans faces: the screens draw nothing else, and the serif faces are for the documents, which
    ReportLab and Word lay out with their own copies (loading them into Qt cost start-up time for no window).
    """
    families: list[str] = []
    for path in sorted(fonts_dir().glob("LiberationSans-*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families.extend(QFontDatabase.applicationFontFamilies(font_id))
    if UI_FAMILY in families:
        app.setFont(QFont(UI_FAMILY, point_size))
    return sorted(set(families))

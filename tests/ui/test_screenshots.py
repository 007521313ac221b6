"""``khuyencong screenshots``: every expected PNG is written and shows something (not a blank image)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from desktop_app.demo import fill_new_database
from desktop_app.ui import screenshots


def _distinct_colours(path: Path) -> int:
    image = QImage(str(path))
    assert not image.isNull(), path
    step_x, step_y = max(1, image.width() // 60), max(1, image.height() // 60)
    return len({image.pixel(x, y) for x in range(0, image.width(), step_x) for y in range(0, image.height(), step_y)})


def test_screenshots_of_every_screen(tmp_path: Path) -> None:
    out = tmp_path / "anh"
    said: list[str] = []
    assert screenshots.main(["--out", str(out), "--establishments", "40", "--proposals", "30"], said.append,
                            fill=fill_new_database) == 0
    written = sorted(p.name for p in out.glob("*.png"))
    assert set(screenshots.EXPECTED) <= set(written)
    editor_tabs = [n for n in written if n.startswith(screenshots.EDITOR_PREFIX)]
    assert len(editor_tabs) >= 4
    assert len(written) == len(screenshots.EXPECTED) + len(editor_tabs)
    for name in written:
        image = QImage(str(out / name))
        assert image.width() >= 400 and image.height() >= 200, name
        assert _distinct_colours(out / name) >= 8, f"{name} looks blank"
    main = QImage(str(out / "01-tong-quan.png"))
    assert (main.width(), main.height()) == screenshots.WINDOW_SIZE
    assert said[-1].startswith(f"Đã lưu {len(written)} ảnh vào {out}")

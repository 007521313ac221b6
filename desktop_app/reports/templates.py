"""The wording of each document, one TOML file per document in ``resources/templates``.

A province adjusts a document's wording (titles, legal bases, fixed sentences, recipients) by editing its file,
without touching the layout code. Texts hold placeholders in braces, ``{proposal_title}``, filled by the program;
each file lists the placeholders it may use. In a list of lines (legal bases, recipients) a line with an empty
placeholder is left out, so "Căn cứ Hợp đồng số {contract_number} …" disappears when there is no contract.
Files are re-read when they change, so an edit shows in the next document without restarting the program.
"""

from __future__ import annotations

import string
import threading
import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import UserError
from desktop_app.domain.vietnamese import normalize
from desktop_app.paths import resources_dir

_FORMATTER = string.Formatter()
_cache: dict[Path, tuple[float, dict[str, Any]]] = {}
_lock = threading.Lock()


def templates_dir() -> Path:
    return resources_dir() / "templates"


class Wording:
    """The texts of one document's template file."""

    def __init__(self, name: str, data: Mapping[str, Any]) -> None:
        self.name = name
        self._data = data

    def _raw(self, key: str) -> Any:
        if key not in self._data:
            raise UserError(f"Mẫu văn bản “{self.name}.toml” thiếu mục “{key}”; hãy bổ sung trong thư mục "
                            f"{templates_dir()}.")
        return self._data[key]

    def has(self, key: str) -> bool:
        return key in self._data

    def fill(self, template: str, values: Mapping[str, object]) -> str:
        try:
            return normalize(template.format_map(_Values(values)))
        except KeyError as exc:
            raise UserError(f"Mẫu văn bản “{self.name}.toml” dùng trường không có: {{{exc.args[0]}}}.") from exc
        except (ValueError, IndexError) as exc:
            raise UserError(f"Mẫu văn bản “{self.name}.toml” có dấu ngoặc {{}} sai: {template[:80]}") from exc

    def text(self, key: str, values: Mapping[str, object] | None = None) -> str:
        """The text under ``key`` with its placeholders filled."""
        return self.fill(str(self._raw(key)), values or {})

    def lines(self, key: str, values: Mapping[str, object] | None = None, on: date | None = None) -> list[str]:
        """The list under ``key``, filled; a line with an empty placeholder is left out.

        An item may also be a table ``{ text = "…", from = 2025-08-27, until = … }``: it is printed only for
        documents dated ``on`` within that period (a legal basis that did not exist yet, or no longer applies).
        """
        raw = self._raw(key)
        items = [raw] if isinstance(raw, str | dict) else list(raw)
        out = []
        for item in items:
            if isinstance(item, dict):
                if not _in_period(item, on):
                    continue
                item = item.get("text", "")
            names = [f for _, f, _, _ in _FORMATTER.parse(str(item)) if f]
            if any(not str((values or {}).get(n.split(".")[0].split("[")[0], "") or "").strip() for n in names):
                continue
            filled = self.fill(str(item), values or {})
            if filled:
                out.append(filled)
        return out


def _in_period(item: Mapping[str, Any], on: date | None) -> bool:
    if on is None:
        return True
    start, end = item.get("from"), item.get("until")
    if isinstance(start, date) and on < start:
        return False
    return not (isinstance(end, date) and on > end)


class _Values(dict):
    """format_map values: None prints as nothing."""

    def __init__(self, values: Mapping[str, object]) -> None:
        super().__init__({k: ("" if v is None else v) for k, v in values.items()})

    def __missing__(self, key: str) -> object:
        raise KeyError(key)


def load(name: str) -> Wording:
    """The wording of the document ``name`` (``resources/templates/<name>.toml``).

    Raises:
        UserError: the file is missing or not valid TOML (the message names the file and the line).
    """
    path = templates_dir() / f"{name}.toml"
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError as exc:
        raise UserError(f"Không tìm thấy mẫu văn bản {path}; hãy cài đặt lại chương trình.") from exc
    with _lock:
        cached = _cache.get(path)
        if cached is None or cached[0] != mtime:
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise UserError(f"Mẫu văn bản {path.name} bị lỗi cú pháp: {exc}") from exc
            cached = (mtime, data)
            _cache[path] = cached
    return Wording(name, cached[1])

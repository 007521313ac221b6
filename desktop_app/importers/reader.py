"""Opening an import workbook safely and finding its table: the sheet, the header row under any title block, the
data rows, and the unit its amounts are written in.

Whatever the file is, this module either returns a :class:`SheetTable` or raises :class:`ImportFileError` with one
clear message: not an .xlsx (an old .xls, a CSV, a PDF, a Word or LibreOffice file), password-protected (an
encrypted .xlsx is an OLE compound file, D0 CF 11 E0, holding an ``EncryptionInfo`` stream), corrupt, empty, too
large (over :data:`MAX_FILE_BYTES` or :data:`MAX_DATA_ROWS` rows), or without the required columns.

The workbook is read with openpyxl in read-only mode, streaming rows (``shared/reading/tech-probe.md`` §4: flat
memory; 100,000 rows in about 14 s), with cached formula values (``data_only``).
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from desktop_app.domain.vietnamese import fold, format_vnd
from desktop_app.importers.columns import KINDS, HeaderMatch, columns_for, match_header
from desktop_app.importers.errors import ImportFileError
from desktop_app.importers.values import EPOCH_1900, EPOCH_1904, cell_text, header_multiplier
from desktop_app.progress import NO_PROGRESS, Cancelled, Progress

__all__ = ["MAX_DATA_ROWS", "MAX_FILE_BYTES", "RawRow", "SheetTable", "read_table"]

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_DATA_ROWS = 200_000
MAX_UNCOMPRESSED_BYTES = 2 * 1024 * 1024 * 1024  # a zip bomb is refused before openpyxl inflates it
HEADER_SCAN_ROWS = 30
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_MAGIC = b"PK\x03\x04"
_WHAT = {"establishments": "cơ sở", "proposals": "đề án"}


@dataclass(frozen=True)
class RawRow:
    """A row of the sheet as read: its number in Excel (1-based) and its cell values from column A."""

    number: int
    values: tuple[object, ...]

    def get(self, index: int) -> object:
        return self.values[index] if index < len(self.values) else None


@dataclass
class SheetTable:
    """The table found in a workbook."""

    file_name: str
    sheet: str
    header: HeaderMatch
    rows: list[RawRow]
    default_multiplier: int | None = None
    epoch: date = EPOCH_1900
    notes: list[str] = field(default_factory=list)


def _refuse(message: str) -> ImportFileError:
    return ImportFileError(message)


def _check_bytes(path: Path, name: str) -> None:
    """The file-level checks that need no parsing: existence, size, signature, zip directory."""
    if not path.exists():
        raise _refuse(f"Không tìm thấy tệp “{name}”.")
    if not path.is_file():
        raise _refuse(f"“{name}” là một thư mục, không phải tệp Excel.")
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise _refuse(f"Không mở được tệp “{name}”: {exc.strerror or exc}.") from exc
    if size == 0:
        raise _refuse(f"Tệp “{name}” rỗng (0 byte), không có dữ liệu.")
    if size > MAX_FILE_BYTES:
        raise _refuse(f"Tệp “{name}” quá lớn ({format_vnd(size // (1024 * 1024))} MB); chương trình nhận tệp đến "
                      f"{MAX_FILE_BYTES // (1024 * 1024)} MB. Hãy chia danh sách thành nhiều tệp nhỏ hơn.")
    if head.startswith(_OLE_MAGIC):
        with path.open("rb") as handle:
            blob = handle.read(min(size, 4 * 1024 * 1024))
        if "EncryptionInfo".encode("utf-16-le") in blob or "EncryptedPackage".encode("utf-16-le") in blob:
            raise _refuse(f"Tệp “{name}” được đặt mật khẩu (mã hóa) nên chương trình không đọc được. Hãy mở tệp "
                          "bằng Excel, bỏ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, "
                          "xóa mật khẩu), lưu lại rồi nhập lại.")
        raise _refuse(f"Tệp “{name}” là tệp Excel 97-2003 (.xls). Hãy mở bằng Excel và lưu lại dưới dạng "
                      "“Sổ làm việc Excel (.xlsx)” rồi nhập lại.")
    if not head.startswith(_ZIP_MAGIC):
        raise _refuse(f"Tệp “{name}” không phải là sổ làm việc Excel (.xlsx){_guess_kind(head)}. Hãy mở bằng Excel "
                      "và lưu dưới dạng “Sổ làm việc Excel (.xlsx)”.")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            inflated = sum(i.file_size for i in archive.infolist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise _refuse(f"Tệp “{name}” bị hỏng (không giải nén được), có thể do tải về hoặc sao chép chưa xong. "
                      "Hãy mở thử bằng Excel; nếu Excel sửa được, lưu lại rồi nhập lại.") from exc
    if "xl/workbook.xml" not in names:
        if b"opendocument" in mimetype:
            kind = " (đây là bảng tính LibreOffice/OpenOffice .ods)"
        elif "word/document.xml" in names:
            kind = " (đây là văn bản Word .docx)"
        elif "ppt/presentation.xml" in names:
            kind = " (đây là bản trình chiếu PowerPoint)"
        elif "xl/workbook.bin" in names:
            kind = " (đây là sổ làm việc nhị phân .xlsb)"
        else:
            kind = ""
        raise _refuse(f"Tệp “{name}” không phải là sổ làm việc Excel (.xlsx){kind}. Hãy mở bằng chương trình bảng "
                      "tính và lưu dưới dạng “Sổ làm việc Excel (.xlsx)”.")
    if inflated > MAX_UNCOMPRESSED_BYTES:
        raise _refuse(f"Tệp “{name}” quá lớn khi giải nén (hơn {MAX_UNCOMPRESSED_BYTES // 1024 ** 3} GB); hãy chia "
                      "danh sách thành nhiều tệp nhỏ hơn.")


def _guess_kind(head: bytes) -> str:
    if head.startswith(b"%PDF"):
        return " (đây là tệp PDF)"
    lowered = head[:512].lower()
    if b"<html" in lowered or b"<!doctype html" in lowered or b"<table" in lowered:
        return " (đây là trang HTML, thường do phần mềm khác xuất ra với đuôi .xls)"
    if head.startswith(b"{\\rtf"):
        return " (đây là văn bản RTF)"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return ""
    if "," in text or ";" in text or "\t" in text:
        return " (đây là tệp văn bản/CSV)"
    return " (đây là tệp văn bản)"


def _open_workbook(path: Path, name: str) -> Any:
    import openpyxl  # openpyxl takes ~0.2 s to import: only reading a workbook needs it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, XML errors, ValueError …) on broken files
        raise _refuse(f"Tệp “{name}” bị hỏng hoặc không đúng định dạng .xlsx nên không đọc được "
                      f"({exc.__class__.__name__}). Hãy mở bằng Excel, lưu lại rồi nhập lại.") from exc


def _broken(name: str, exc: BaseException) -> ImportFileError:
    return _refuse(f"Tệp “{name}” bị hỏng ở giữa chừng nên không đọc hết được ({exc.__class__.__name__}). Hãy mở "
                   "bằng Excel, lưu lại rồi nhập lại.")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _trim(values: Sequence[object]) -> tuple[object, ...]:
    end = len(values)
    while end and _blank(values[end - 1]):
        end -= 1
    return tuple(values[:end])


def _read_rows(ws: Any, name: str, limit: int | None = None, start: int = 1) -> list[RawRow]:
    rows: list[RawRow] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for number, values in enumerate(ws.iter_rows(min_row=start, values_only=True), start=start):
                trimmed = _trim(values)
                if trimmed:
                    rows.append(RawRow(number, trimmed))
                if limit is not None and number >= start + limit - 1:
                    break
    except Exception as exc:  # a damaged sheet part fails while streaming
        raise _broken(name, exc) from exc
    return rows


def _missing(kind: str, header: HeaderMatch) -> list[str]:
    fields = header.fields()
    missing = [c.label for c in columns_for(kind) if c.required and c.field not in fields]
    if kind == "establishments" and not fields & {"province", "address"}:
        missing.append("Tỉnh/thành phố (hoặc Địa chỉ)")
    return missing


def _unit_line(rows: list[RawRow], before: int) -> int | None:
    """The unit stated by a "Đơn vị tính: …" line in the title block."""
    for row in rows:
        if row.number >= before:
            break
        for value in row.values:
            text = cell_text(value)
            if "don vi tinh" in fold(text) or re.match(r"\s*dvt\b", fold(text)):
                unit = header_multiplier(text.split(":", 1)[-1])
                if unit is not None:
                    return unit
    return None


def read_table(path: str | Path, kind: str, progress: Progress = NO_PROGRESS) -> SheetTable:
    """Open ``path`` and return the table of ``kind`` in it.

    Args:
        path: the .xlsx file.
        kind: "establishments" or "proposals".
        progress: receives the rows read; cancelling stops the reading (raises ``Cancelled``).

    Returns:
        The sheet's header and its non-empty rows below the header.

    Raises:
        ImportFileError: the file cannot be used; the message says why.
        Cancelled: the user cancelled.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}")
    path = Path(path)
    name = path.name
    _check_bytes(path, name)
    wb = _open_workbook(path, name)
    try:
        return _read(wb, kind, name, progress)
    finally:
        try:
            wb.close()
        except Exception:  # closing a half-broken archive must not hide the real outcome
            pass


def _read(wb: Any, kind: str, name: str, progress: Progress) -> SheetTable:
    specs = columns_for(kind)
    other = "proposals" if kind == "establishments" else "establishments"
    best: tuple[HeaderMatch, Any, list[RawRow], int] | None = None
    usable: list[str] = []  # sheets whose header has every required column
    any_values = False
    looks_like_other = False
    hidden: list[str] = []  # hidden sheets holding such a list: never read without the user seeing them
    try:
        sheets = list(wb.worksheets)
    except Exception as exc:
        raise _broken(name, exc) from exc
    for ws in sheets:
        if not hasattr(ws, "iter_rows"):
            continue
        try:
            stated_rows = int(ws.max_row or 0)
        except Exception:  # no or unreadable dimension
            stated_rows = 0
        try:
            ws.reset_dimensions()  # a bogus dimension (A1:XFD1048576) would pad every row to 16,384 cells
        except Exception:  # only an optimisation
            pass
        top = _read_rows(ws, name, limit=HEADER_SCAN_ROWS)
        header = match_header([(r.number, r.values) for r in top], specs)
        if getattr(ws, "sheet_state", "visible") != "visible":
            if header is not None and not _missing(kind, header):
                hidden.append(str(getattr(ws, "title", "")))
            continue
        any_values = any_values or bool(top)
        if header is not None and not _missing(kind, header):
            usable.append(str(getattr(ws, "title", "")))
        if header is not None and (best is None or header.score > best[0].score):
            best = (header, ws, top, stated_rows)
        theirs = match_header([(r.number, r.values) for r in top], columns_for(other))
        if theirs is not None and theirs.score >= 4 and (header is None or theirs.score > header.score + 2) \
                and not _missing(other, theirs):
            looks_like_other = True
    if hidden and (best is None or _missing(kind, best[0])):
        raise _refuse(f"Danh sách {_WHAT[kind]} của tệp “{name}” nằm ở trang tính đang ẩn “{hidden[0]}”. Trang ẩn "
                      "không được nhập; nếu đúng là danh sách cần nhập, hãy hiện trang đó trong Excel (chuột phải "
                      "vào tên trang → Hiện) rồi nhập lại.")
    if not any_values:
        raise _refuse(f"Tệp “{name}” không có dữ liệu: các trang tính đều trống.")
    expected = ", ".join(c.label for c in specs if c.required)
    # A list of the other kind is refused even when it has our columns too (a proposal list names beneficiaries with
    # "Tên cơ sở" and "Tỉnh/thành phố"): importing its beneficiaries as establishments is not what the user meant.
    if best is None or looks_like_other:
        hint = ""
        if looks_like_other:
            hint = (f" Tệp này có vẻ là danh sách {_WHAT[other]}; hãy chọn “Nhập {_WHAT[other]} từ Excel”.")
        raise _refuse(f"Không tìm thấy dòng tiêu đề của danh sách {_WHAT[kind]} trong tệp “{name}”. Dòng tiêu đề "
                      f"cần có các cột: {expected} (xem tệp mẫu).{hint}")
    header, ws, top, stated_rows = best
    missing = _missing(kind, header)
    if missing:
        raise _refuse(f"Tệp “{name}” thiếu cột bắt buộc: {', '.join(missing)}. Dòng tiêu đề (dòng "
                      f"{header.last_row}) cần có các cột: {expected} (xem tệp mẫu).")
    total_hint = max(0, stated_rows - header.last_row)
    rows: list[RawRow] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            start = header.last_row + 1
            for number, values in enumerate(ws.iter_rows(min_row=start, values_only=True), start=start):
                trimmed = _trim(values)
                if not trimmed:
                    continue
                rows.append(RawRow(number, trimmed))
                if len(rows) > MAX_DATA_ROWS:
                    raise _refuse(f"Tệp “{name}” có hơn {format_vnd(MAX_DATA_ROWS)} dòng dữ liệu; hãy chia danh "
                                  "sách thành nhiều tệp nhỏ hơn.")
                if len(rows) % 1000 == 0:
                    progress.check()
                    progress.set_progress(len(rows), max(total_hint, len(rows)), f"Đang đọc tệp: {len(rows)} dòng")
    except (ImportFileError, Cancelled):
        raise
    except Exception as exc:  # a damaged sheet part fails while streaming
        raise _broken(name, exc) from exc
    if not rows:
        raise _refuse(f"Tệp “{name}” chỉ có dòng tiêu đề, chưa có dòng dữ liệu nào.")
    epoch = EPOCH_1900
    try:
        if getattr(wb, "epoch", None) is not None and wb.epoch.date() == EPOCH_1904:
            epoch = EPOCH_1904
    except Exception:
        epoch = EPOCH_1900
    notes: list[str] = []
    others = [t for t in usable if t != str(getattr(ws, "title", ""))]
    if others:
        title = str(getattr(ws, "title", ""))
        notes.append(f"Tệp có nhiều trang danh sách; chương trình nhập trang “{title}”. Để nhập trang "
                     + ", ".join(f"“{t}”" for t in others) + ", hãy chép trang đó sang một tệp riêng.")
    if header.unknown:
        notes.append("Các cột không dùng đến: " + ", ".join(f"“{u}”" for u in header.unknown) + ".")
    if header.duplicates:
        notes.append("Các cột trùng ý nghĩa với cột đứng trước nên bị bỏ qua: "
                     + ", ".join(f"“{d}”" for d in header.duplicates) + ".")
    return SheetTable(name, str(getattr(ws, "title", "")), header, rows, _unit_line(top, header.first_row), epoch,
                      notes)

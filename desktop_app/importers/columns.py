"""The columns an import understands, and how a header row is recognised.

Columns are matched by header text regardless of case, diacritics, spacing and punctuation, in any order
(:func:`desktop_app.importers.values.header_key`), against the template's label and the other names centres use
for the same column ("MST", "Số điện thoại", "Địa điểm thực hiện" …). A two-row header whose upper cells are merged
over several columns ("Kinh phí (triệu đồng)" over "Tổng", "Khuyến công", "Đối ứng") is read by joining the upper
label to each lower one; the unit in brackets applies to the columns under it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desktop_app.importers.values import cell_text, header_key, header_multiplier

__all__ = ["ESTABLISHMENT_COLUMNS", "KINDS", "PROPOSAL_COLUMNS", "ColumnSpec", "HeaderMatch", "MatchedColumn",
           "columns_for", "match_header"]

KINDS = ("establishments", "proposals")


@dataclass(frozen=True)
class ColumnSpec:
    """A column of an import.

    Attributes:
        field: the name the row parser uses.
        label: the header the template writes (and messages use when the file has no such column).
        aliases: other headers meaning the same column.
        required: the header must be present (a file without it is refused as a whole).
        money: an amount column (its unit is read from the header or a "Đơn vị tính" line).
        help: how to fill it, for the template's instructions sheet.
        choices: the name of the list its drop-down offers in the template, if any.
        width: the template's column width.
    """

    field: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    money: bool = False
    help: str = ""
    choices: str | None = None
    width: int = 18

    def keys(self) -> set[str]:
        return {header_key(self.label), *(header_key(a) for a in self.aliases)}


_PLACE_COLUMNS = (
    ColumnSpec("province", "Tỉnh/thành phố", ("Tỉnh", "Tỉnh/TP", "Tỉnh, thành phố", "Tỉnh/thành", "Thành phố/tỉnh"),
               help="Tên tỉnh, thành phố (34 tỉnh hiện nay, hoặc 63 tỉnh trước 01/7/2025 với danh sách cũ).",
               choices="province", width=18),
    ColumnSpec("district", "Quận/huyện", ("Huyện", "Quận, huyện", "Huyện/thị xã/thành phố", "Huyện/thị xã",
                                          "Quận/huyện/thị xã", "Huyện, thị xã, thành phố"),
               help="Chỉ dùng cho danh sách cũ (trước 01/7/2025); từ 01/7/2025 không còn cấp huyện.", width=16),
    ColumnSpec("commune", "Xã/phường", ("Xã", "Phường/xã", "Xã/phường/thị trấn", "Xã, phường, thị trấn",
                                        "Xã, phường", "Xã/phường/đặc khu", "Phường"),
               help="Tên xã, phường, đặc khu (ghi cả loại: “Xã Nam Ninh”); danh sách cũ ghi xã, phường, thị trấn "
                    "cũ, chương trình tự chuyển sang xã, phường mới.", choices="commune", width=22),
    ColumnSpec("address", "Địa chỉ", ("Địa chỉ cụ thể", "Địa chỉ trụ sở", "Địa chỉ cơ sở", "Số nhà, đường",
                                      "Thôn/xóm", "Thôn, xóm", "Thôn/xóm/tổ dân phố"),
               help="Số nhà, đường, thôn, xóm; có thể ghi đầy đủ “Thôn Đông, Xã Nam Thanh, Huyện Nam Trực, Tỉnh Nam "
                    "Định”.", width=40),
)

ESTABLISHMENT_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("name", "Tên cơ sở", ("Tên cơ sở CNNT", "Tên cơ sở công nghiệp nông thôn", "Tên doanh nghiệp",
                                     "Tên đơn vị", "Tên cơ sở sản xuất", "Cơ sở", "Tên", "Tên cơ sở/doanh nghiệp"),
               required=True, help="Tên đầy đủ của cơ sở (bắt buộc).", width=36),
    ColumnSpec("legal_form", "Loại hình", ("Loại hình cơ sở", "Loại hình doanh nghiệp", "Hình thức tổ chức",
                                           "Loại hình tổ chức"),
               help="Doanh nghiệp nhỏ và vừa, Hợp tác xã, Tổ hợp tác, Hộ kinh doanh hoặc Nghệ nhân (có thể ghi "
                    "tắt: DN, Cty TNHH, HTX, THT, HKD). Để trống thì chương trình suy ra từ tên cơ sở.",
               choices="legal_form", width=22),
    ColumnSpec("tax_code", "Mã số thuế", ("MST", "Mã số doanh nghiệp", "Mã số DN", "Mã số thuế/Mã số doanh nghiệp",
                                          "Mã số thuế (MST)"),
               help="10 chữ số, 10 chữ số kèm 3 số đơn vị phụ thuộc (0123456789-001) hoặc 12 chữ số định danh cá "
                    "nhân. Nhập dạng văn bản để giữ số 0 ở đầu.", width=16),
    ColumnSpec("representative", "Người đại diện", ("Người đại diện theo pháp luật", "Chủ cơ sở", "Đại diện",
                                                    "Họ tên người đại diện", "Họ và tên người đại diện", "Chủ hộ",
                                                    "Người đứng đầu"), width=22),
    ColumnSpec("representative_title", "Chức vụ", ("Chức danh", "Chức vụ người đại diện"), width=14),
    ColumnSpec("phone", "Điện thoại", ("Số điện thoại", "SĐT", "ĐT", "Điện thoại liên hệ", "Số ĐT", "Di động"),
               help="Số di động 10 chữ số hoặc số cố định 11 chữ số; có thể ghi +84.", width=16),
    ColumnSpec("email", "Email", ("E-mail", "Thư điện tử", "Địa chỉ email"), width=22),
    *_PLACE_COLUMNS,
    ColumnSpec("sector", "Ngành nghề", ("Ngành nghề sản xuất", "Ngành nghề kinh doanh", "Lĩnh vực", "Ngành",
                                        "Ngành nghề sản xuất kinh doanh", "Lĩnh vực sản xuất"),
               help="Một ngành trong danh mục (Chế biến nông sản, Dệt may, Cơ khí …).", choices="sector", width=24),
    ColumnSpec("main_products", "Sản phẩm chính", ("Sản phẩm", "Sản phẩm chủ yếu", "Sản phẩm, dịch vụ chính",
                                                   "Mặt hàng chính"), width=24),
    ColumnSpec("workers", "Số lao động", ("Lao động", "Tổng số lao động", "Số LĐ", "Lao động tổng số",
                                          "Lao động (người)", "Tổng lao động", "Số lao động tổng số"),
               help="Số người, nguyên (ví dụ 25).", width=12),
    ColumnSpec("female_workers", "Lao động nữ", ("Số lao động nữ", "LĐ nữ", "Trong đó nữ", "Lao động trong đó nữ",
                                                 "Lao động nữ (người)", "Số lao động trong đó nữ"),
               help="Không lớn hơn số lao động.", width=12),
    ColumnSpec("founded_on", "Ngày thành lập", ("Năm thành lập", "Ngày cấp phép", "Ngày đăng ký", "Ngày cấp ĐKKD",
                                                "Ngày cấp giấy phép", "Thành lập"),
               help="dd/mm/yyyy (ví dụ 05/11/2020); nếu chỉ biết năm, ghi năm.", width=14),
    ColumnSpec("notes", "Ghi chú", ("Ghi chu", "Chú thích"), width=24),
)

PROPOSAL_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("code", "Mã đề án", ("Mã", "Số hiệu đề án", "Mã ĐA", "Mã số đề án"),
               help="Để trống thì chương trình tự đánh mã (KCQG-2026-0001 …). Mã đã có thì dòng được coi là trùng.",
               width=16),
    ColumnSpec("title", "Tên đề án", ("Tên đề án/nhiệm vụ", "Đề án", "Tên nhiệm vụ", "Tên đề án khuyến công",
                                      "Nội dung đề án"),
               required=True, help="Bắt buộc.", width=44),
    ColumnSpec("year", "Năm", ("Năm kế hoạch", "Năm thực hiện", "Kế hoạch năm"), required=True,
               help="Năm kế hoạch, 4 chữ số.", width=8),
    ColumnSpec("scope", "Nguồn kinh phí", ("Nguồn vốn", "Chương trình", "Nguồn", "Cấp", "KCQG/KCĐP"),
               required=True, help="KCQG (khuyến công quốc gia) hoặc KCĐP (khuyến công địa phương).",
               choices="scope", width=14),
    ColumnSpec("content", "Nội dung", ("Nội dung hoạt động", "Nội dung hỗ trợ", "Nội dung khuyến công",
                                       "Nội dung hoạt động khuyến công", "Nội dung hỗ trợ khuyến công"),
               required=True, help="Một nội dung theo Điều 4 Nghị định 45/2012/NĐ-CP, ghi đúng tên trong danh mục "
                                   "(ví dụ “Ứng dụng máy móc thiết bị tiên tiến”) hoặc mã (ND45-4.3.d).",
               choices="content", width=36),
    ColumnSpec("form", "Hình thức", ("Hình thức đề án", "Loại đề án"),
               help="Đề án đơn lẻ (mặc định), Đề án nhóm hoặc Đề án điểm.", choices="form", width=14),
    ColumnSpec("implementing_unit", "Đơn vị thực hiện", ("Đơn vị chủ trì", "Đơn vị thực hiện đề án"), width=24),
    ColumnSpec("tax_code", "Mã số thuế", ("MST", "Mã số thuế cơ sở", "Mã số thuế cơ sở thụ hưởng",
                                          "Mã số doanh nghiệp"),
               help="Mã số thuế của cơ sở thụ hưởng; chương trình tìm cơ sở theo mã này trước.", width=16),
    ColumnSpec("establishment", "Tên cơ sở", ("Cơ sở thụ hưởng", "Đơn vị thụ hưởng", "Tên cơ sở thụ hưởng",
                                              "Cơ sở", "Tên đơn vị thụ hưởng", "Tên doanh nghiệp"),
               help="Cơ sở thụ hưởng: tìm theo mã số thuế, rồi theo tên và địa bàn; chưa có thì được tạo mới.",
               width=30),
    ColumnSpec("legal_form", "Loại hình", ("Loại hình cơ sở",),
               help="Loại hình của cơ sở thụ hưởng (chỉ dùng khi phải tạo cơ sở mới).", choices="legal_form",
               width=18),
    *(c for c in _PLACE_COLUMNS),
    ColumnSpec("sector", "Ngành nghề", ("Lĩnh vực", "Ngành"), choices="sector", width=22),
    ColumnSpec("start_date", "Ngày bắt đầu", ("Thời gian bắt đầu", "Từ ngày", "Bắt đầu", "Thời gian thực hiện từ"),
               help="dd/mm/yyyy.", width=14),
    ColumnSpec("end_date", "Ngày kết thúc", ("Thời gian kết thúc", "Đến ngày", "Kết thúc", "Thời gian hoàn thành"),
               help="dd/mm/yyyy, không trước ngày bắt đầu.", width=14),
    ColumnSpec("total", "Tổng kinh phí (đồng)", ("Tổng kinh phí", "Kinh phí tổng", "Kinh phí tổng số", "Tổng dự toán",
                                                 "Tổng kinh phí thực hiện", "Tổng vốn", "Kinh phí tổng cộng",
                                                 "Tổng số", "Tổng", "Tổng cộng"),
               required=True, money=True, help="Bằng khuyến công + đối ứng + khác. Ghi “(triệu đồng)” trong tiêu đề "
                                               "nếu nhập theo triệu đồng.", width=18),
    ColumnSpec("support", "Kinh phí khuyến công (đồng)", ("Kinh phí khuyến công", "Khuyến công", "Kinh phí KC",
                                                          "KC", "Kinh phí khuyến công hỗ trợ", "Khuyến công hỗ trợ",
                                                          "Ngân sách khuyến công", "Kinh phí hỗ trợ", "Hỗ trợ",
                                                          "Kinh phí KCQG", "Kinh phí KCĐP", "Ngân sách nhà nước",
                                                          "Kinh phí khuyến công quốc gia",
                                                          "Kinh phí khuyến công địa phương"),
               required=True, money=True, help="Số tiền khuyến công hỗ trợ.", width=18),
    ColumnSpec("counterpart", "Kinh phí đối ứng (đồng)", ("Kinh phí đối ứng", "Đối ứng", "Vốn đối ứng",
                                                          "Cơ sở đối ứng", "Kinh phí cơ sở đối ứng",
                                                          "Đối ứng của cơ sở", "Vốn của cơ sở"),
               money=True, help="Phần cơ sở đối ứng; để trống là 0.", width=18),
    ColumnSpec("other", "Kinh phí khác (đồng)", ("Kinh phí khác", "Nguồn khác", "Khác", "Vốn khác",
                                                 "Kinh phí nguồn khác", "Huy động khác"),
               money=True, help="Nguồn khác; để trống là 0.", width=16),
    ColumnSpec("status", "Trạng thái", ("Tình trạng", "Tình trạng thực hiện", "Trạng thái đề án"),
               help="Trạng thái hiện tại (Dự thảo, Đã phê duyệt, Đang thực hiện, Đã nghiệm thu, Đã quyết toán …); "
                    "để trống là Dự thảo. Đề án đã quyết toán được nhập thẳng ở trạng thái đó.",
               choices="status", width=16),
)

# Headers that are known but not imported (so they are not reported as unknown).
_IGNORED = {header_key(t) for t in ("STT", "TT", "Số TT", "Số thứ tự", "No", "Dòng gốc", "Dòng trong tệp gốc",
                                    "Lý do bị loại", "Lý do")}


def columns_for(kind: str) -> tuple[ColumnSpec, ...]:
    """The columns of ``kind`` ("establishments" or "proposals")."""
    return ESTABLISHMENT_COLUMNS if kind == "establishments" else PROPOSAL_COLUMNS


@dataclass(frozen=True)
class MatchedColumn:
    """A column found in the file: its position (0-based), the header as written, and its unit."""

    spec: ColumnSpec
    index: int
    label: str
    multiplier: int | None


@dataclass(frozen=True)
class HeaderMatch:
    """The header found in a sheet: its last row (1-based), its columns and the labels of every column."""

    first_row: int
    last_row: int
    columns: tuple[MatchedColumn, ...]
    labels: tuple[str, ...]
    unknown: tuple[str, ...]
    duplicates: tuple[str, ...]

    @property
    def score(self) -> int:
        return len(self.columns)

    def fields(self) -> set[str]:
        return {c.spec.field for c in self.columns}


def _index(specs: Sequence[ColumnSpec]) -> dict[str, ColumnSpec]:
    index: dict[str, ColumnSpec] = {}
    for spec in specs:
        for key in spec.keys():
            index.setdefault(key, spec)
    return index


def _labels_single(row: Sequence[object]) -> list[str]:
    return [cell_text(v) for v in row]


def _labels_double(upper: Sequence[object], lower: Sequence[object]) -> list[str]:
    """Join a two-row header: an upper cell merged over several columns labels each lower cell under it."""
    width = max(len(upper), len(lower))
    top = [cell_text(upper[i]) if i < len(upper) else "" for i in range(width)]
    bottom = [cell_text(lower[i]) if i < len(lower) else "" for i in range(width)]
    labels: list[str] = []
    carried = ""
    for t, b in zip(top, bottom, strict=True):
        if t:
            carried = t if b else ""
        elif not b:
            carried = ""
        parent = t or carried
        labels.append(f"{parent} – {b}" if b and parent else b or parent)
    return labels


def _match(labels: list[str], specs: Sequence[ColumnSpec], index: dict[str, ColumnSpec],
           children: list[str] | None = None) -> tuple[list[MatchedColumn], list[str], list[str]]:
    found: list[MatchedColumn] = []
    seen: set[str] = set()
    unknown: list[str] = []
    duplicates: list[str] = []
    for i, label in enumerate(labels):
        if not label:
            continue
        key = header_key(label)
        spec = index.get(key)
        if spec is None and children is not None and i < len(children) and children[i]:
            spec = index.get(header_key(children[i]))  # "Kinh phí" / "Tổng kinh phí (đồng)"
            if spec is not None:
                label = children[i]
        if spec is None:
            if key and key not in _IGNORED:
                unknown.append(label)
            continue
        if spec.field in seen:
            duplicates.append(label)
            continue
        seen.add(spec.field)
        found.append(MatchedColumn(spec, i, label, header_multiplier(label) if spec.money else None))
    return found, unknown, duplicates


def match_header(rows: Sequence[tuple[int, Sequence[object]]], specs: Sequence[ColumnSpec]) -> HeaderMatch | None:
    """Find the header among the first rows of a sheet (below any title block).

    Every row, and every pair of consecutive rows (a two-row header under merged cells), is scored by how many
    known columns it names; the best wins, if it names at least two.

    Args:
        rows: (row number, cell values) of the first rows of the sheet.
        specs: the columns of the import.

    Returns:
        The header, or None when no row names two known columns.
    """
    index = _index(specs)
    best: HeaderMatch | None = None
    best_single = False
    for i, (number, values) in enumerate(rows):
        candidates: list[tuple[int, int, list[str], list[str] | None]] = [
            (number, number, _labels_single(values), None)]
        if i + 1 < len(rows) and rows[i + 1][0] == number + 1:
            lower = rows[i + 1][1]
            candidates.append((number, number + 1, _labels_double(values, lower), _labels_single(lower)))
        for first, last, labels, children in candidates:
            found, unknown, duplicates = _match(labels, specs, index, children)
            if len(found) < 2:
                continue
            labels = list(labels)
            for m in found:
                labels[m.index] = m.label
            match = HeaderMatch(first, last, tuple(found), tuple(labels), tuple(unknown), tuple(duplicates))
            single = first == last
            # A title row above a one-row header makes a "pair" that scores as well as the header alone; the single
            # row wins ties so labels stay as written.
            if best is None or match.score > best.score or (match.score == best.score and single
                                                              and not best_single):
                best, best_single = match, single
    return best

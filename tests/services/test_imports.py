"""The import use cases on both databases: the sample workbooks, duplicates, only-valid vs nothing, cancel and
failure roll back everything, permissions, proposals in any state with their history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from factories import Actors, make_establishment, make_proposal
from sqlalchemy import func, select

from desktop_app.domain.enums import Action, LegalForm, Scope, Status
from desktop_app.domain.errors import PermissionDenied
from desktop_app.importers.errors import ImportFileError
from desktop_app.services import imports as imports_module
from desktop_app.services.context import Services
from desktop_app.services.dto import EstablishmentFilter, ProposalFilter
from desktop_app.services.imports import BUDGET_ITEM, ImportPreview
from desktop_app.services.progress import Cancelled, Progress
from desktop_app.store.models import AuditEntry, Establishment, Proposal, StatusChange

REPO = Path(__file__).resolve().parents[2]


def sample(name: str) -> Path:
    """A sample workbook: the copy in tests/data/samples, else ../shared/samples beside the repository."""
    for folder in (REPO / "tests" / "data" / "samples", REPO.parent / "shared" / "samples"):
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(name)


EST_HEADER = ["Tên cơ sở", "Loại hình", "Mã số thuế", "Điện thoại", "Tỉnh/thành phố", "Xã/phường", "Địa chỉ",
              "Số lao động"]
PROP_HEADER = ["Mã đề án", "Tên đề án", "Năm", "Nguồn kinh phí", "Nội dung", "Mã số thuế", "Tên cơ sở",
               "Tỉnh/thành phố", "Địa chỉ", "Tổng kinh phí (đồng)", "Kinh phí khuyến công (đồng)",
               "Kinh phí đối ứng (đồng)", "Trạng thái"]


def workbook(tmp_path: Path, header: Sequence[str], rows: Sequence[Sequence[object]], name: str = "nhap.xlsx") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH NHẬP THỬ"])
    ws.append([])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    path = tmp_path / name
    wb.save(path)
    return path


def count(services: Services, model: type) -> int:
    with services.db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


# --- the samples -----------------------------------------------------------------------------------------------------


def test_sample_establishments_import(services: Services, people: Actors) -> None:
    result = services.imports.run(people.staff, "establishments", sample("danh-sach-co-so-2019.xlsx"))
    assert (result.written, result.created, result.rejected, result.skipped) == (True, 30, 0, 0)
    assert result.message == "Đã nhập 30 cơ sở mới."
    assert result.preview.skipped == 2  # the "Tổng cộng" row and the signature line
    assert services.establishments.count(people.staff, EstablishmentFilter()) == 30
    rows = services.establishments.search(people.staff, EstablishmentFilter(text="Bui Ngoc Quy")).rows
    detail = services.establishments.get(people.staff, rows[0].id)
    data = detail.data
    assert (data.legal_form, data.tax_code, data.phone) == (LegalForm.HOUSEHOLD, "0117468142-001", "02287381245")
    assert (data.province_code, data.commune_code, data.legacy_ward_code) == ("37", "13807", "13807")
    assert data.address_as_recorded == "Xã Tân Minh, Huyện Ý Yên, Tỉnh Nam Định"
    assert (data.sector_code, data.workers, data.female_workers, data.founded_on) == (
        "VAT_LIEU_XAY_DUNG", 1709, 0, date(2005, 9, 16))
    assert detail.province_name == "Ninh Bình"
    # The two "Doanh nghiệp nhỏ và vừa Yên Phong" rows are in different old provinces: two establishments.
    yen_phong = services.establishments.search(people.staff, EstablishmentFilter(text="Yen Phong")).rows
    assert sorted(r.commune_name for r in yen_phong) == ["Xã Yên Từ", "Xã Ý Yên"]
    with services.db.reading() as s:
        entries = [(e.entity_id, e.username, e.new_value) for e in s.scalars(
            select(AuditEntry).where(AuditEntry.action == Action.IMPORT.value).order_by(AuditEntry.id))]
    per_row = [e for e in entries if e[0] is not None]
    summary = [e for e in entries if e[0] is None]
    assert len(per_row) == 30 and all(e[1] == "canbo" for e in per_row)
    assert per_row[0][2] == "Nhập từ Excel: tệp “danh-sach-co-so-2019.xlsx”, dòng 7"
    assert len(summary) == 1 and "tạo 30" in (summary[0][2] or "")


def test_sample_proposals_import_settled_with_history(services: Services, people: Actors) -> None:
    result = services.imports.run(people.staff, "proposals", sample("de-an-kcqg-2018-2020.xlsx"))
    assert (result.created, result.rejected, result.establishments_created) == (18, 0, 18)
    page = services.proposals.search(people.staff, ProposalFilter(status=Status.SETTLED))
    assert page.total == 18
    d = services.proposals.get_by_code(people.staff, "KCQG-2019-01")
    assert d.imported and d.status is Status.SETTLED and d.data.scope is Scope.NATIONAL
    assert (d.total_vnd, d.support_vnd, d.counterpart_vnd, d.other_vnd) == (2460000000, 300000000, 2160000000, 0)
    assert d.approved_support_vnd == 300000000
    assert [(x.item, x.quantity, x.unit_price_vnd) for x in d.lines] == [(BUDGET_ITEM, 1, 2460000000)]
    assert d.data.content_code == "ND45-4.3.d" and d.data.location_as_recorded.startswith("Xã Bộc Nhiêu")
    assert (d.province_name, d.commune_name, d.data.legacy_ward_code) == ("Thái Nguyên", "Xã Trung Hội", "05596")
    assert [(b.name, b.tax_code) for b in d.beneficiaries] == [("Cơ sở thủ công mỹ nghệ Khánh", "0584061519")]
    history = services.proposals.history(people.staff, d.id)
    status = [h for h in history if h.kind == "status"]
    assert len(status) == 1 and "Nhập từ Excel" in status[0].text and "Đã quyết toán" in status[0].text
    with services.db.reading() as s:
        change = s.execute(select(StatusChange.action, StatusChange.from_status, StatusChange.to_status)
                           .where(StatusChange.proposal_id == d.id)).one()
    assert tuple(change) == ("import", None, "settled")
    # amounts typed as "1,930,000,000", "2,140,000,000 đ", numbers and "1.440.000.000" all came in exactly
    assert services.proposals.get_by_code(people.staff, "KCQG-2018-03").total_vnd == 2140000000
    assert services.proposals.get_by_code(people.staff, "KCQG-2020-02").total_vnd == 1930000000


def test_importing_the_samples_twice_skips_duplicates(services: Services, people: Actors) -> None:
    path = sample("danh-sach-co-so-2019.xlsx")
    services.imports.run(people.staff, "establishments", path)
    again = services.imports.run(people.staff, "establishments", path)
    assert (again.created, again.skipped, again.rejected) == (0, 30, 0)
    assert again.all_imported  # duplicates skipped by choice are not rejections
    assert "Trùng mã số thuế" in again.outcomes[0].text
    assert count(services, Establishment) == 30
    proposals = sample("de-an-kcqg-2018-2020.xlsx")
    services.imports.run(people.staff, "proposals", proposals)
    second = services.imports.run(people.staff, "proposals", proposals)
    assert (second.created, second.skipped) == (0, 18)


def test_kept_workbooks_title_block_two_row_header_and_trieu(services: Services, people: Actors) -> None:
    data = REPO / "tests" / "data"
    establishments = services.imports.preview(people.staff, "establishments", data / "co-so-tieu-de-hai-dong.xlsx")
    assert (establishments.header_row, establishments.ok, establishments.errors, establishments.skipped) == (7, 3, 1, 4)
    bad = next(r for r in establishments.rows if r.status == "error")
    assert (bad.row, bad.columns) == (12, "Lao động – Nữ")
    assert bad.errors[0].reason == "Lao động nữ (55) nhiều hơn Lao động – Tổng số (40)."
    result = services.imports.run(people.staff, "establishments", establishments, only_valid=True)
    assert (result.created, result.rejected, result.needs_review) == (3, 1, 1)
    split = services.establishments.search(people.staff, EstablishmentFilter(text="Gia Tan")).rows[0]
    detail = services.establishments.get(people.staff, split.id)
    assert detail.data.address_needs_review and detail.data.legacy_ward_code == "14503"
    assert detail.commune_name == "Xã Gia Vân" and detail.data.street == "Thôn Đông"

    proposals = services.imports.preview(people.staff, "proposals", data / "de-an-trieu-dong.xlsx")
    assert (proposals.ok, proposals.errors) == (2, 2)
    done = services.imports.run(people.staff, "proposals", proposals, only_valid=True)
    assert (done.created, done.rejected, done.establishments_created) == (2, 2, 0)  # HTX dệt may Nam Thanh exists
    first = services.proposals.get_by_code(people.staff, "KCDP-2024-01")
    assert (first.total_vnd, first.support_vnd, first.counterpart_vnd) == (1500000000, 450500000, 1049500000)
    assert first.status is Status.SETTLED and first.data.scope is Scope.LOCAL
    assert first.beneficiaries[0].name == "HTX dệt may Nam Thanh"
    training = services.proposals.get(people.staff, done.outcomes[1].record_id or 0)
    assert (training.code, training.status, training.beneficiaries) == ("KCDP-2025-0001", Status.IN_PROGRESS, [])


# --- duplicates ------------------------------------------------------------------------------------------------------


def test_duplicates_skip_update_or_add(services: Services, people: Actors, tmp_path: Path) -> None:
    eid = make_establishment(services, people.staff, name="HTX Yên Phúc", tax_code="0100233488",
                             province_code="37", commune_code=None, phone="0912345678")
    rows = [["HTX Yen Phuc (mới)", "HTX", "0100233488", "0987654321", "Nam Định", "Xã Yên Phúc", "", 47]]
    path = workbook(tmp_path, EST_HEADER, rows)
    preview = services.imports.preview(people.staff, "establishments", path)
    assert preview.duplicates == 1 and preview.rows[0].duplicate is not None
    assert preview.rows[0].duplicate.existing_id == eid
    assert preview.rows[0].reason.startswith("Trùng mã số thuế với “HTX Yên Phúc” đã có")

    skipped = services.imports.run(people.staff, "establishments", preview, on_duplicate="skip")
    assert (skipped.created, skipped.updated, skipped.skipped) == (0, 0, 1)
    updated = services.imports.run(people.staff, "establishments", preview, on_duplicate="update")
    assert (updated.created, updated.updated) == (0, 1) and updated.outcomes[0].record_id == eid
    detail = services.establishments.get(people.staff, eid)
    assert (detail.data.phone, detail.data.workers, detail.data.name) == ("0987654321", 47, "HTX Yen Phuc (mới)")
    assert detail.data.representative == "Nguyễn Văn Hưng"  # a column the file lacks keeps its value
    assert detail.version == 2
    with services.db.reading() as s:
        changes = {tuple(r) for r in s.execute(select(AuditEntry.field, AuditEntry.old_value,
                                                      AuditEntry.new_value).where(
            AuditEntry.action == "import_update", AuditEntry.entity_id == eid))}
    assert ("phone", "0912345678", "0987654321") in changes
    # "Add anyway" may not give a second establishment in use the same tax code (the database refuses it too).
    added = services.imports.run(people.staff, "establishments", preview, on_duplicate="add")
    assert (added.written, added.created, added.rejected) == (False, 0, 1)
    assert "mỗi mã số thuế chỉ thuộc một cơ sở" in added.outcomes[0].text
    assert count(services, Establishment) == 1


def test_duplicates_within_the_file(services: Services, people: Actors, tmp_path: Path) -> None:
    rows = [["HTX Yên Phúc", "HTX", "", "", "Nam Định", "Xã Yên Phúc", "", 10],
            ["HTX YEN PHUC", "HTX", "", "0912345678", "Nam Định", "Xã Yên Phúc", "", 12],  # same folded name, commune
            ["HTX Yên Phúc", "HTX", "", "", "Ninh Bình", "Xã Yên Phong", "Xã Yên Phong, Huyện Yên Mô", 5]]
    path = workbook(tmp_path, EST_HEADER, rows)
    preview = services.imports.preview(people.staff, "establishments", path)
    assert [r.status for r in preview.rows] == ["ok", "duplicate", "ok"]
    assert preview.rows[1].reason.startswith("Trùng tên và xã/phường với dòng 4 của tệp.")
    result = services.imports.run(people.staff, "establishments", preview, on_duplicate="update")
    assert (result.created, result.updated) == (2, 1)
    merged = services.establishments.get(people.staff, result.outcomes[0].record_id or 0)
    assert (merged.data.workers, merged.data.phone) == (12, "0912345678")
    assert result.outcomes[1].record_id == result.outcomes[0].record_id


# --- bad rows: only valid, or nothing --------------------------------------------------------------------------------


def _mixed(tmp_path: Path) -> Path:
    return workbook(tmp_path, EST_HEADER, [
        ["HTX Nam Dương", "HTX", "", "", "Nam Định", "Xã Nam Dương", "", 20],
        ["Cơ sở lỗi", "Trang trại", "12345", "", "Nam Định", "", "", "mười"],
        ["Cty TNHH Văn Lý", "Cty TNHH", "", "", "Hà Nam", "Xã Văn Lý", "", 8],
    ])


def test_bad_rows_mean_nothing_is_imported_unless_only_valid(services: Services, people: Actors,
                                                             tmp_path: Path) -> None:
    path = _mixed(tmp_path)
    preview = services.imports.preview(people.staff, "establishments", path)
    assert (preview.ok, preview.errors) == (2, 1)
    bad = preview.rows[1]
    assert bad.row == 5
    assert {(p.column, p.reason) for p in bad.errors} == {
        ("Loại hình", "“Trang trại” không phải là loại hình cơ sở; hãy ghi một trong: Doanh nghiệp nhỏ và vừa, "
                      "Hợp tác xã, Tổ hợp tác, Hộ kinh doanh, Nghệ nhân."),
        ("Mã số thuế", "Mã số thuế “12345” không đúng định dạng: cần 10 chữ số, 10 chữ số kèm 3 chữ số đơn vị phụ "
                       "thuộc (dạng 0123456789-001) hoặc 12 chữ số định danh cá nhân."),
        ("Số lao động", "“mười” không phải là số lao động."),
    }
    nothing = services.imports.run(people.staff, "establishments", preview, only_valid=False)
    assert not nothing.written and nothing.created == 0 and nothing.rejected == 1
    assert "chưa nhập dòng nào" in nothing.message
    assert count(services, Establishment) == 0
    valid = services.imports.run(people.staff, "establishments", preview, only_valid=True)
    assert (valid.written, valid.created, valid.rejected) == (True, 2, 1)
    assert not valid.all_imported
    assert count(services, Establishment) == 2

    out = tmp_path / "loai.xlsx"
    assert services.imports.write_rejected(valid, out) == 1
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[1]] == ["Dòng trong tệp gốc", *EST_HEADER, "Lý do bị loại"]
    assert ws["A2"].value == 5 and ws["B2"].value == "Cơ sở lỗi"
    assert "Loại hình: “Trang trại” không phải là loại hình cơ sở" in ws["J2"].value


# --- one transaction: cancel or failure leaves nothing ---------------------------------------------------------------


class CancelAfter(Progress):
    def __init__(self, checks: int) -> None:
        self.left = checks

    def is_cancelled(self) -> bool:
        self.left -= 1
        return self.left < 0


def _many(tmp_path: Path, n: int) -> Path:
    return workbook(tmp_path, EST_HEADER, [[f"Cơ sở số {i}", "Hộ kinh doanh", "", "", "Ninh Bình", "Xã Nam Ninh",
                                            "", i] for i in range(1, n + 1)])


def test_cancel_rolls_back_everything(services: Services, people: Actors, tmp_path: Path) -> None:
    make_establishment(services, people.staff)
    preview = services.imports.preview(people.staff, "establishments", _many(tmp_path, 2500))
    with pytest.raises(Cancelled):
        services.imports.run(people.staff, "establishments", preview, progress=CancelAfter(2))
    assert count(services, Establishment) == 1
    with services.db.reading() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "import")) == 0


def test_a_failure_in_the_middle_rolls_back_everything(services: Services, people: Actors, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    preview = services.imports.preview(people.staff, "establishments", _many(tmp_path, 1500))
    calls = []

    def failing(*args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 2:  # after the first batch of 1,000 was inserted
            raise RuntimeError("disk full")

    monkeypatch.setattr(imports_module.ImportService, "_audit_created", staticmethod(failing))
    with pytest.raises(RuntimeError):
        services.imports.run(people.staff, "establishments", preview)
    assert count(services, Establishment) == 0


def test_preview_writes_nothing_and_can_be_cancelled(services: Services, people: Actors, tmp_path: Path) -> None:
    path = _many(tmp_path, 1200)
    preview = services.imports.preview(people.staff, "establishments", path)
    assert isinstance(preview, ImportPreview) and preview.ok == 1200
    assert count(services, Establishment) == 0
    with pytest.raises(Cancelled):
        services.imports.preview(people.staff, "establishments", path, CancelAfter(0))


# --- permissions and bad files ---------------------------------------------------------------------------------------


def test_roles(services: Services, people: Actors, tmp_path: Path) -> None:
    path = _mixed(tmp_path)
    with pytest.raises(PermissionDenied):
        services.imports.preview(people.appraisers[0], "establishments", path)
    with pytest.raises(PermissionDenied) as info:
        services.imports.run(people.admin, "proposals", sample("de-an-kcqg-2018-2020.xlsx"))
    assert "nhập danh sách đề án từ Excel" in info.value.message
    assert services.imports.preview(people.admin, "establishments", path).ok == 2
    assert services.imports.preview(people.manager, "proposals", sample("de-an-kcqg-2018-2020.xlsx")).ok == 18


def test_unreadable_file(services: Services, people: Actors, tmp_path: Path) -> None:
    path = tmp_path / "khong-phai.xlsx"
    path.write_text("a,b,c\n", encoding="utf-8")
    with pytest.raises(ImportFileError) as info:
        services.imports.run(people.staff, "establishments", path)
    assert "không phải là sổ làm việc Excel" in info.value.message


# --- proposals -------------------------------------------------------------------------------------------------------


def test_proposal_beneficiaries_found_by_tax_code_or_name_and_place(services: Services, people: Actors,
                                                                    tmp_path: Path) -> None:
    by_tax = make_establishment(services, people.staff, name="HTX Dệt Nam Thanh", tax_code="0100233488")
    by_name = make_establishment(services, people.staff, name="Cơ sở mộc Tâm", province_code="37",
                                 commune_code="14005")
    rows = [
        ["", "Đề án máy dệt", 2024, "KCĐP", "Ứng dụng máy móc thiết bị tiên tiến", "0100233488", "Tên khác",
         "Ninh Bình", "", 600000000, 250000000, 350000000, "Đã phê duyệt"],
        ["", "Đề án máy mộc", 2024, "KCĐP", "Ứng dụng máy móc thiết bị tiên tiến", "", "CƠ SỞ MỘC TÂM",
         "Ninh Bình", "Xã Nam Ninh", 400000000, 200000000, 200000000, "Dự thảo"],
        ["", "Đề án cơ sở mới", 2024, "KCĐP", "Ứng dụng máy móc thiết bị tiên tiến", "", "HTX Mới Lập",
         "Nam Định", "Xã Nam Thanh, Huyện Nam Trực", 400000000, 200000000, 200000000, ""],
        ["", "Đề án cơ sở mới lần 2", 2025, "KCĐP", "Ứng dụng máy móc thiết bị tiên tiến", "", "HTX Mới Lập",
         "Nam Định", "Xã Nam Thanh, Huyện Nam Trực", 400000000, 200000000, 200000000, ""],
    ]
    preview = services.imports.preview(people.staff, "proposals", workbook(tmp_path, PROP_HEADER, rows))
    assert preview.ok == 4
    assert "Mã số thuế 0100233488 là của cơ sở “HTX Dệt Nam Thanh”" in preview.rows[0].reason
    assert "Sẽ tạo cơ sở thụ hưởng mới “HTX Mới Lập”" in preview.rows[2].reason
    assert "tạo mới ở dòng 6" in preview.rows[3].reason
    result = services.imports.run(people.staff, "proposals", preview)
    assert (result.created, result.establishments_created) == (4, 1)
    details = [services.proposals.get(people.staff, o.record_id or 0) for o in result.outcomes]
    assert [d.beneficiaries[0].establishment_id for d in details[:2]] == [by_tax, by_name]
    assert details[2].beneficiaries[0].establishment_id == details[3].beneficiaries[0].establishment_id
    assert [d.code for d in details] == ["KCDP-2024-0001", "KCDP-2024-0002", "KCDP-2024-0003", "KCDP-2025-0001"]
    assert [d.status for d in details] == [Status.APPROVED, Status.DRAFT, Status.DRAFT, Status.DRAFT]
    assert details[0].approved_support_vnd == 250000000 and details[1].approved_support_vnd is None
    new = services.establishments.get(people.staff, details[2].beneficiaries[0].establishment_id)
    assert (new.data.legal_form, new.data.commune_code, new.data.legacy_ward_code) == (
        LegalForm.COOPERATIVE, "14005", "14005")


def test_proposal_code_duplicates(services: Services, people: Actors, tmp_path: Path) -> None:
    ours = make_proposal(services, people.staff, code="KCDP-2026-0099")
    first = workbook(tmp_path, PROP_HEADER, [
        ["KCQG-2019-01", "Đề án cũ", 2019, "KCQG", "Ứng dụng máy móc thiết bị tiên tiến", "", "HTX A", "Nam Định",
         "", 600000000, 300000000, 300000000, "Đã quyết toán"]], name="lan1.xlsx")
    services.imports.run(people.staff, "proposals", first)
    second = workbook(tmp_path, PROP_HEADER, [
        ["KCQG-2019-01", "Đề án cũ (sửa)", 2019, "KCQG", "Ứng dụng máy móc thiết bị tiên tiến", "", "HTX A",
         "Nam Định", "", 700000000, 300000000, 400000000, "Đã quyết toán"],
        ["KCDP-2026-0099", "Ghi đè đề án lập trong chương trình", 2026, "KCĐP", "Ứng dụng máy móc thiết bị tiên tiến",
         "", "HTX A", "Nam Định", "", 700000000, 300000000, 400000000, ""]], name="lan2.xlsx")
    preview = services.imports.preview(people.staff, "proposals", second)
    assert preview.duplicates == 2
    refused = services.imports.run(people.staff, "proposals", preview, on_duplicate="update")
    assert not refused.written and refused.rejected == 1  # all or nothing: the refused row stops the whole import
    assert services.proposals.get_by_code(people.staff, "KCQG-2019-01").title == "Đề án cũ"
    updated = services.imports.run(people.staff, "proposals", preview, on_duplicate="update", only_valid=True)
    assert (updated.updated, updated.rejected) == (1, 1)
    assert "lập trong chương trình" in updated.outcomes[1].text
    d = services.proposals.get_by_code(people.staff, "KCQG-2019-01")
    assert (d.title, d.total_vnd, d.counterpart_vnd) == ("Đề án cũ (sửa)", 700000000, 400000000)
    assert len(d.lines) == 1
    assert services.proposals.get(people.staff, ours.id).title == ours.title
    added = services.imports.run(people.staff, "proposals", preview, on_duplicate="add")
    assert added.created == 2
    codes = sorted(services.proposals.get(people.staff, o.record_id or 0).code for o in added.outcomes)
    assert codes == ["KCDP-2026-0001", "KCQG-2019-0001"]


def test_proposals_without_codes_are_recognised_on_a_second_import(services: Services, people: Actors,
                                                                  tmp_path: Path) -> None:
    path = workbook(tmp_path, PROP_HEADER, [
        ["", "Đào tạo nghề mây tre đan", 2024, "KCĐP", "Đào tạo nghề, truyền nghề", "", "", "Ninh Bình", "",
         100000000, 100000000, 0, "Đã quyết toán"],
        ["", "ĐÀO TẠO NGHỀ MÂY TRE ĐAN", 2024, "KCĐP", "Đào tạo nghề, truyền nghề", "", "", "Ninh Bình", "",
         100000000, 100000000, 0, "Đã quyết toán"]])
    preview = services.imports.preview(people.staff, "proposals", path)
    assert [r.status for r in preview.rows] == ["ok", "duplicate"]
    assert preview.rows[1].reason.startswith("Trùng tên đề án, năm và nguồn kinh phí với dòng 4 của tệp.")
    first = services.imports.run(people.staff, "proposals", preview)
    assert (first.created, first.skipped) == (1, 1)
    second = services.imports.run(people.staff, "proposals", path)
    assert (second.created, second.skipped) == (0, 2)
    assert second.outcomes[0].text.startswith("Trùng tên đề án, năm và nguồn kinh phí với đề án “Đào tạo nghề mây "
                                              "tre đan” đã có (mã KCDP-2024-0001)")
    assert count(services, Proposal) == 1


def test_proposal_total_must_add_up(services: Services, people: Actors, tmp_path: Path) -> None:
    path = workbook(tmp_path, PROP_HEADER, [
        ["KCQG-2019-05", "Đề án lệch", 2019, "KCQG", "Ứng dụng máy móc thiết bị tiên tiến", "", "HTX A", "Nam Định",
         "", "600.000.000", "300.000.000", "200.000.000", "Đã quyết toán"]])
    preview = services.imports.preview(people.staff, "proposals", path)
    problem = preview.rows[0].errors[0]
    assert (problem.row, problem.column) == (4, "Tổng kinh phí (đồng)")
    assert "600.000.000 đồng không bằng" in problem.reason and "= 500.000.000 đồng (thừa 100.000.000 đồng)" in \
        problem.reason
    assert count(services, Proposal) == 0


def test_template_written_by_the_service(services: Services, tmp_path: Path) -> None:
    path = services.imports.write_template("proposals", tmp_path / "mau.xlsx")
    wb = openpyxl.load_workbook(path)
    lists = wb["Danh mục"]
    columns = {lists.cell(1, c).value: [lists.cell(r, c).value for r in range(2, lists.max_row + 1)
                                        if lists.cell(r, c).value] for c in range(1, lists.max_column + 1)}
    assert len(columns["Danh sách tỉnh, thành phố"]) == 34
    assert len(columns["Danh sách xã, phường, đặc khu"]) == 3321
    assert columns["Danh sách nguồn kinh phí"] == ["KCQG", "KCĐP"]
    assert "Ứng dụng máy móc thiết bị tiên tiến" in columns["Danh sách nội dung khuyến công"]
    assert "Đã quyết toán" in columns["Danh sách trạng thái"]

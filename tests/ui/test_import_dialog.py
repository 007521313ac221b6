"""The import screen driven like a clerk would: choose the sample workbooks, read the preview, import, save the
rejected rows, download the template."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from factories import Actors
from pytestqt.qtbot import QtBot

from desktop_app.services.context import Services
from desktop_app.services.dto import EstablishmentFilter, ProposalFilter
from desktop_app.ui import msgbox, tasks
from desktop_app.ui.importers import dialog as dialog_module
from desktop_app.ui.importers.dialog import ImportDialog, PreviewTableModel

REPO = Path(__file__).resolve().parents[2]
SHOTS = Path("/tmp/import-dialog")


def sample(name: str) -> Path:
    for folder in (REPO / "tests" / "data" / "samples", REPO.parent / "shared" / "samples"):
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(name)


@pytest.fixture(autouse=True)
def _synchronous() -> Iterator[None]:
    tasks.set_synchronous(True)
    yield
    tasks.set_synchronous(False)


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(msgbox, "information", lambda _p, text, title="": seen.append(("info", text)))
    monkeypatch.setattr(msgbox, "warning", lambda _p, text, title="": seen.append(("warning", text)))
    monkeypatch.setattr(msgbox, "confirm", lambda _p, text, title="": seen.append(("confirm", text)) or True)
    return seen


def _open(qtbot: QtBot, services: Services, actor: object, kind: str) -> ImportDialog:
    dialog = ImportDialog(services, actor, kind, None)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.resize(1200, 760)
    dialog.show()
    return dialog


def _texts(dialog: ImportDialog, column: int) -> list[str]:
    model = dialog.model
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def test_establishment_sample_through_the_dialog(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors,
                                                 messages: list[tuple[str, str]],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = _open(qtbot, sqlite_services, sqlite_people.staff, "establishments")
    assert dialog.windowTitle() == "Nhập danh sách cơ sở từ Excel"
    assert not dialog.import_button.isEnabled()
    path = str(sample("danh-sach-co-so-2019.xlsx"))
    monkeypatch.setattr(dialog_module.QFileDialog, "getOpenFileName", lambda *a, **k: (path, ""))
    qtbot.mouseClick(dialog.choose_button, dialog_module.Qt.MouseButton.LeftButton)
    assert dialog.preview is not None
    assert dialog.summary_label.text().startswith("Tệp “danh-sach-co-so-2019.xlsx” (trang “Danh sách”, tiêu đề ở "
                                                  "dòng 6): 30 dòng cơ sở; 30 hợp lệ, 0 lỗi, 0 trùng")
    assert dialog.model.rowCount() == 32
    assert _texts(dialog, PreviewTableModel.COL_ROW)[:3] == ["7", "8", "9"]
    assert _texts(dialog, PreviewTableModel.COL_STATUS)[-2:] == ["Bỏ qua", "Bỏ qua"]
    assert "Theo địa giới hiện nay: Xã Tân Minh, tỉnh Ninh Bình." in _texts(dialog, PreviewTableModel.COL_REASON)[0]
    dialog.filter_combo.setCurrentIndex(3)  # rows with warnings
    assert _texts(dialog, PreviewTableModel.COL_ROW) == ["34"]
    assert _texts(dialog, PreviewTableModel.COL_COLUMNS) == ["Điện thoại"]
    dialog.table.selectRow(0)
    assert dialog.detail_label.text().startswith("Dòng 34 — Hợp lệ: Cảnh báo — Điện thoại:")
    dialog.filter_combo.setCurrentIndex(0)
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "preview-co-so.png"))

    qtbot.mouseClick(dialog.import_button, dialog_module.Qt.MouseButton.LeftButton)
    assert messages[0][0] == "confirm" and messages[0][1].startswith("Nhập 30 dòng cơ sở hợp lệ?")
    assert dialog.import_result is not None and dialog.import_result.created == 30
    assert dialog.result_label.text() == "Đã nhập 30 cơ sở mới."
    assert _texts(dialog, PreviewTableModel.COL_OUTCOME)[:2] == ["Đã tạo mới", "Đã tạo mới"]
    assert not dialog.import_button.isEnabled()  # no second import of the same preview
    dialog.grab().save(str(SHOTS / "result-co-so.png"))
    assert sqlite_services.establishments.count(sqlite_people.staff, EstablishmentFilter()) == 30


def test_proposal_sample_through_the_dialog(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors,
                                            messages: list[tuple[str, str]]) -> None:
    dialog = _open(qtbot, sqlite_services, sqlite_people.manager, "proposals")
    finished = []
    dialog.import_finished.connect(finished.append)
    dialog.load_file(str(sample("de-an-kcqg-2018-2020.xlsx")))
    assert dialog.preview is not None and dialog.preview.ok == 18
    reasons = _texts(dialog, PreviewTableModel.COL_REASON)
    assert reasons[0].startswith("Sẽ tạo cơ sở thụ hưởng mới “Cơ sở thủ công mỹ nghệ Khánh”")
    assert "Nhập ở trạng thái “Đã quyết toán”." in reasons[0]
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "preview-de-an.png"))
    dialog.confirm_import()
    assert len(finished) == 1 and finished[0].created == 18
    assert dialog.result_label.text() == "Đã nhập 18 đề án mới; tạo 18 cơ sở thụ hưởng mới."
    assert sqlite_services.proposals.search(sqlite_people.manager, ProposalFilter()).total == 18


def _bad_workbook(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Tên cơ sở", "Loại hình", "Tỉnh/thành phố", "Số lao động"])
    ws.append(["HTX Nam Dương", "HTX", "Nam Định", 20])
    ws.append(["Cơ sở lỗi", "Trang trại", "Nam Định", "mười"])
    path = tmp_path / "co-loi.xlsx"
    wb.save(path)
    return path


def test_bad_rows_only_valid_and_rejected_workbook(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors,
                                                   messages: list[tuple[str, str]], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = _open(qtbot, sqlite_services, sqlite_people.staff, "establishments")
    dialog.load_file(str(_bad_workbook(tmp_path)))
    assert dialog.filter_combo.currentText() == "Dòng lỗi"  # the errors are shown first
    assert _texts(dialog, PreviewTableModel.COL_ROW) == ["3"]
    assert _texts(dialog, PreviewTableModel.COL_COLUMNS) == ["Loại hình, Số lao động"]
    assert dialog.rejected_button.isEnabled()

    dialog.all_or_nothing.setChecked(True)
    dialog.confirm_import()
    assert messages[-1][0] == "warning" and "Có 1 dòng lỗi" in messages[-1][1]
    assert dialog.import_result is None

    dialog.only_valid.setChecked(True)
    dialog.confirm_import()
    assert dialog.import_result is not None and (dialog.import_result.created, dialog.import_result.rejected) == (1, 1)
    target = tmp_path / "loai"
    monkeypatch.setattr(dialog_module.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(dialog.rejected_button, dialog_module.Qt.MouseButton.LeftButton)
    saved = tmp_path / "loai.xlsx"
    ws = openpyxl.load_workbook(saved).active
    assert ws["A2"].value == 3 and ws["B2"].value == "Cơ sở lỗi"
    assert "Loại hình: “Trang trại” không phải là loại hình cơ sở" in ws["F2"].value
    assert messages[-1] == ("info", f"Đã lưu 1 dòng bị loại (kèm cột “Lý do bị loại”) vào tệp:\n{saved}")


def test_unreadable_file_is_explained(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors,
                                      messages: list[tuple[str, str]], tmp_path: Path) -> None:
    dialog = _open(qtbot, sqlite_services, sqlite_people.staff, "establishments")
    path = tmp_path / "ds.xlsx"
    path.write_text("Tên cơ sở;Loại hình\n", encoding="utf-8")
    dialog.load_file(str(path))
    assert dialog.preview is None and not dialog.import_button.isEnabled()
    assert "không phải là sổ làm việc Excel" in dialog.summary_label.text()
    assert messages[-1][0] == "warning" and "không phải là sổ làm việc Excel" in messages[-1][1]


def test_role_refusal_comes_from_the_service(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors,
                                             messages: list[tuple[str, str]]) -> None:
    dialog = _open(qtbot, sqlite_services, sqlite_people.appraisers[0], "proposals")
    dialog.load_file(str(sample("de-an-kcqg-2018-2020.xlsx")))
    assert dialog.preview is None
    assert "không được nhập danh sách đề án từ Excel" in messages[-1][1]


def test_cancelled_import_writes_nothing(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors,
                                         messages: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = _open(qtbot, sqlite_services, sqlite_people.staff, "establishments")
    dialog.load_file(str(sample("danh-sach-co-so-2019.xlsx")))

    class Cancelling(tasks._Reporter):  # the user presses "Hủy" as soon as the import starts
        def is_cancelled(self) -> bool:
            return True

    monkeypatch.setattr(tasks, "_Reporter", Cancelling)
    dialog.confirm_import()
    assert dialog.result_label.text() == "Đã hủy nhập; không có dữ liệu nào được ghi."
    assert dialog.import_result is None and dialog.import_button.isEnabled()
    assert sqlite_services.establishments.count(sqlite_people.staff, EstablishmentFilter()) == 0


def test_template_button(qtbot: QtBot, sqlite_services: Services, sqlite_people: Actors,
                         messages: list[tuple[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = _open(qtbot, sqlite_services, sqlite_people.staff, "proposals")
    target = tmp_path / "mau-de-an.xlsx"
    monkeypatch.setattr(dialog_module.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(dialog.template_button, dialog_module.Qt.MouseButton.LeftButton)
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == ["Đề án", "Hướng dẫn", "Danh mục"]
    assert messages[-1][0] == "info" and str(target) in messages[-1][1]

"""The "Báo cáo" screen: choose a report and its parameters, preview it as PDF, print it, save it as Excel or PDF.

Every report is written by ``services.reports`` (the widget only gathers parameters and shows results): the preview
renders the PDF variant into a temporary file off the GUI thread and shows it in a ``QPdfView``; "Lưu Excel…" and
"Lưu PDF…" write the chosen file in the background with progress and cancel; "In…" (Ctrl+P) makes the PDF the same
way and hands it to the program's printing (``ui.printing``: the printer, the page range and the copies).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.enums import LegalForm, Scope, Stage, Status
from desktop_app.domain.vietnamese import format_vnd
from desktop_app.progress import Progress
from desktop_app.services.auth import Actor
from desktop_app.services.context import Services
from desktop_app.services.dto import EstablishmentFilter, ProposalFilter, ReportResult
from desktop_app.ui import msgbox, settings
from desktop_app.ui.errors import show_error
from desktop_app.ui.page import Page
from desktop_app.ui.printing import print_with_dialog
from desktop_app.ui.style import CENTER_ALIGN, HINT_TEXT, colour_style
from desktop_app.ui.tasks import run_in_background
from desktop_app.ui.widgets import CodeCombo, EnumCombo

GROUPINGS = [("year", "Năm"), ("province", "Tỉnh, thành phố"), ("commune", "Xã, phường"),
             ("sector", "Ngành nghề"), ("content", "Nội dung hoạt động"), ("scope", "Nguồn kinh phí")]
# The approved stage first: it is the figure a funding summary usually reports.
STAGES = [(s.value, f"{s.label} — {s.words}") for s in (Stage.APPROVED, Stage.REQUESTED, Stage.CONTRACTED,
                                                        Stage.DISBURSED, Stage.ACCEPTED, Stage.SETTLED)]


@dataclass(frozen=True)
class ReportKind:
    key: str
    title: str
    file_stem: str
    fields: frozenset[str]


REPORTS = (
    ReportKind("funding", "Tổng hợp kinh phí khuyến công", "tong-hop-kinh-phi",
               frozenset({"years", "scope", "grouping", "as_recorded", "stage"})),
    ReportKind("proposals", "Danh sách đề án", "danh-sach-de-an",
               frozenset({"years", "scope", "status", "content", "province", "text"})),
    ReportKind("establishments", "Danh sách cơ sở công nghiệp nông thôn", "danh-sach-co-so",
               frozenset({"province", "commune", "sector", "legal_form", "text", "archived"})),
    ReportKind("progress", "Tiến độ thực hiện và giải ngân", "tien-do-giai-ngan", frozenset({"years", "scope"})),
    ReportKind("registration", "Biểu tổng hợp đăng ký kế hoạch khuyến công quốc gia", "dang-ky-kcqg",
               frozenset({"plan_year"})),
)


def _year_box(value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(2000, 2100)
    box.setValue(value)
    box.setGroupSeparatorShown(False)
    return box


class ReportsPage(Page):
    """Báo cáo: parameters at left, the PDF preview at right."""

    title = "Báo cáo"
    toolbar_actions = frozenset({"save", "print"})

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(services, actor, parent)
        self._preview_dir: tempfile.TemporaryDirectory[str] | None = None
        self.last_result: ReportResult | None = None
        this_year = date.today().year

        self.report = QComboBox()
        for kind in REPORTS:
            self.report.addItem(kind.title, kind.key)
        self.report.currentIndexChanged.connect(self._on_report_changed)

        self.from_year = _year_box(this_year)
        self.to_year = _year_box(this_year)
        years = QWidget()
        row = QHBoxLayout(years)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.from_year)
        row.addWidget(QLabel("đến"))
        row.addWidget(self.to_year)
        self.plan_year = _year_box(this_year + 1)
        self.scope = EnumCombo(Scope, empty_label="Cả hai nguồn")
        self.group_1 = QComboBox()
        self.group_2 = QComboBox()
        self.group_2.addItem("(Không)", None)
        for key, label in GROUPINGS:
            self.group_1.addItem(label, key)
            self.group_2.addItem(label, key)
        self.as_recorded = QCheckBox("như lúc ghi nhận (trước 1/7/2025)")
        self.as_recorded.setToolTip("Đề án ghi nhận trước cải cách năm 2025 được nhóm theo tỉnh, xã cũ (63 tỉnh) "
                                    "thay vì tỉnh, xã hiện nay.")
        self.stage = QComboBox()
        for key, label in STAGES:
            self.stage.addItem(label, key)
        self.status = EnumCombo(Status, empty_label="Tất cả")
        self.content = CodeCombo(empty_label="Tất cả")
        self.province = CodeCombo(empty_label="Tất cả")
        self.commune = CodeCombo(empty_label="Tất cả")
        self.province.code_changed.connect(self._on_province_changed)
        self.sector = CodeCombo(empty_label="Tất cả")
        self.legal_form = EnumCombo(LegalForm, empty_label="Tất cả")
        self.text = QLineEdit()
        self.text.setPlaceholderText("Tên, mã… (không cần dấu)")
        self.archived = QCheckBox("Gồm cả cơ sở đã lưu trữ")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._rows: dict[str, QWidget] = {}

        def add(key: str, label: str, widget: QWidget) -> None:
            form.addRow(label, widget)
            self._rows[key] = widget

        add("years", "Từ năm:", years)
        add("plan_year", "Năm kế hoạch:", self.plan_year)
        add("scope", "Nguồn kinh phí:", self.scope)
        add("grouping", "Nhóm theo:", self.group_1)
        add("grouping_2", "Rồi theo:", self.group_2)
        add("as_recorded", "Địa giới tỉnh, xã:", self.as_recorded)
        add("stage", "Số liệu cộng:", self.stage)
        add("status", "Trạng thái:", self.status)
        add("content", "Nội dung:", self.content)
        add("province", "Tỉnh, thành phố:", self.province)
        add("commune", "Xã, phường:", self.commune)
        add("sector", "Ngành nghề:", self.sector)
        add("legal_form", "Loại hình:", self.legal_form)
        add("text", "Tìm theo:", self.text)
        add("archived", "", self.archived)
        self._form = form

        params = QGroupBox("Tham số")
        params.setLayout(form)
        params.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.preview_button = QPushButton("Xem trước")
        self.preview_button.setToolTip("Lập bản PDF và hiện ở khung bên phải")
        self.preview_button.clicked.connect(self.preview)
        self.print_button = QPushButton("In…")
        self.print_button.setToolTip("In báo cáo đang chọn với các tham số này: chọn máy in, trang và số bản (Ctrl+P)")
        self.print_button.clicked.connect(self.print_report)
        self.excel_button = QPushButton("Lưu Excel…")
        self.excel_button.clicked.connect(lambda: self.save_as(".xlsx"))
        self.pdf_button = QPushButton("Lưu PDF…")
        self.pdf_button.clicked.connect(lambda: self.save_as(".pdf"))
        buttons = QHBoxLayout()
        for b in (self.preview_button, self.print_button, self.excel_button, self.pdf_button):
            buttons.addWidget(b)
        self.status_label = QLabel("Chọn báo cáo và tham số, rồi bấm “Xem trước”, “In…” hoặc lưu.")
        self.status_label.setWordWrap(True)
        self.status_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        heading = QLabel("Báo cáo:")
        heading.setStyleSheet("font-weight: bold;")
        left_layout.addWidget(heading)
        left_layout.addWidget(self.report)
        left_layout.addWidget(params)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.status_label)
        left_layout.addStretch(1)
        left.setMinimumWidth(340)

        self.pdf_document = QPdfDocument(self)
        self.pdf_view = QPdfView()
        self.pdf_view.setDocument(self.pdf_document)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.preview_hint = QLabel("Bản xem trước sẽ hiện ở đây.")
        self.preview_hint.setAlignment(CENTER_ALIGN)
        self.preview_hint.setStyleSheet(colour_style(HINT_TEXT))
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.preview_hint)
        right_layout.addWidget(self.pdf_view, 1)
        self.pdf_view.hide()

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("reports_splitter")
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([380, 820])
        settings.remember_splitter(splitter, "reports_splitter")
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._load_lists()
        self._on_report_changed()

    # --- parameters ----------------------------------------------------------------------------------------------

    def _load_lists(self) -> None:
        ref = self.services.reference
        self.content.set_items(ref.contents())
        self.province.set_items(ref.provinces())
        self.sector.set_items(ref.sectors())

    def _on_province_changed(self, code: str | None) -> None:
        self.commune.set_items(self.services.reference.communes(code) if code else [], keep_code=False)

    def kind(self) -> ReportKind:
        key = self.report.currentData()
        return next(k for k in REPORTS if k.key == key)

    def set_report(self, key: str) -> None:
        self.report.setCurrentIndex(self.report.findData(key))

    def _on_report_changed(self, _index: int = 0) -> None:
        fields = set(self.kind().fields)
        if "grouping" in fields:
            fields |= {"grouping_2"}
        for key, widget in self._rows.items():
            self._form.setRowVisible(widget, key in fields)

    def _grouping(self) -> list[str]:
        first, second = self.group_1.currentData(), self.group_2.currentData()
        return [first] + ([second] if second else [])

    def _job(self, path: Path) -> Callable[[Progress], ReportResult]:
        """The report with the shown parameters, as a function run off the GUI thread."""
        kind = self.kind().key
        reports, actor = self.services.reports, self.actor
        from_year, to_year = self.from_year.value(), self.to_year.value()
        scope = self.scope.value()
        if kind == "funding":
            by, as_recorded, stage = self._grouping(), self.as_recorded.isChecked(), self.stage.currentData()
            return lambda p: reports.funding(actor, from_year, to_year, scope, by, as_recorded, path, p, stage)
        if kind == "proposals":
            f = ProposalFilter(text=self.text.text(), scope=scope, status=self.status.value(),
                               content_code=self.content.code(), province_code=self.province.code())
            return lambda p: reports.proposals(actor, f, path, p, year_from=from_year, year_to=to_year)
        if kind == "establishments":
            ef = EstablishmentFilter(text=self.text.text(), province_code=self.province.code(),
                                     commune_code=self.commune.code(), sector_code=self.sector.code(),
                                     legal_form=self.legal_form.value(), include_archived=self.archived.isChecked())
            return lambda p: reports.establishments(actor, ef, path, p)
        if kind == "progress":
            return lambda p: reports.progress_report(actor, from_year, to_year, scope, path, p)
        plan_year = self.plan_year.value()
        return lambda p: reports.registration(actor, plan_year, path, p)

    def suggested_name(self, suffix: str) -> str:
        kind = self.kind()
        if "plan_year" in kind.fields:
            return f"{kind.file_stem}-{self.plan_year.value()}{suffix}"
        if "years" in kind.fields:
            years = f"{self.from_year.value()}" if self.from_year.value() == self.to_year.value() else \
                f"{self.from_year.value()}-{self.to_year.value()}"
            return f"{kind.file_stem}-{years}{suffix}"
        return f"{kind.file_stem}-{date.today():%Y%m%d}{suffix}"

    # --- actions -------------------------------------------------------------------------------------------------

    def _busy(self, busy: bool, text: str = "") -> None:
        for b in (self.preview_button, self.print_button, self.excel_button, self.pdf_button, self.report):
            b.setEnabled(not busy)
        if text:
            self.status_label.setText(text)

    def _failed(self, exc: BaseException, tb: str) -> None:
        self._busy(False, "Chưa lập được báo cáo.")
        show_error(self, exc, tb)

    def preview(self) -> None:
        """Render the PDF variant into a temporary file and show it."""
        if self._preview_dir is not None:
            self.pdf_document.close()
            self._preview_dir.cleanup()
        self._preview_dir = tempfile.TemporaryDirectory(prefix="khuyencong-xem-truoc-")
        path = Path(self._preview_dir.name) / self.suggested_name(".pdf")
        job = self._job(path)
        self._busy(True, "Đang lập bản xem trước…")

        def done(result: ReportResult) -> None:
            self._busy(False)
            self.last_result = result
            self.pdf_document.load(str(path))
            self.preview_hint.hide()
            self.pdf_view.show()
            self.status_label.setText(f"Bản xem trước: {format_vnd(result.rows)} dòng, "
                                      f"{self.pdf_document.pageCount()} trang.")

        run_in_background(self, job, done, self._failed, title="Đang lập báo cáo")

    def ask_save_path(self, suffix: str) -> str:
        """Ask where to save (tests replace this)."""
        folder = settings.get(settings.EXPORT_FOLDER) or str(Path.home())
        suggested = str(Path(folder) / self.suggested_name(suffix))
        kind = "Bảng tính Excel (*.xlsx)" if suffix == ".xlsx" else "Tài liệu PDF (*.pdf)"
        path, _ = QFileDialog.getSaveFileName(self, f"Lưu {self.kind().title.lower()}", suggested, kind)
        if path and not path.lower().endswith(suffix):
            path += suffix
        return path

    def save_as(self, suffix: str) -> None:
        """Write the report to a file chosen by the user, in the background with progress and cancel."""
        path = self.ask_save_path(suffix)
        if not path:
            return
        settings.put(settings.EXPORT_FOLDER, str(Path(path).parent))
        job = self._job(Path(path))
        self._busy(True, "Đang lưu báo cáo…")

        def done(result: ReportResult) -> None:
            self._busy(False, f"Đã lưu {result.path} ({format_vnd(result.rows)} dòng).")
            self.last_result = result
            msgbox.information(self, f"Đã lưu báo cáo ({format_vnd(result.rows)} dòng) vào tệp:\n{result.path}")

        run_in_background(self, job, done, self._failed, title="Đang lưu báo cáo")

    def print_report(self) -> None:
        """Make the chosen report's PDF in the background, then print it through the print dialog."""
        work = tempfile.TemporaryDirectory(prefix="khuyencong-in-")
        path = Path(work.name) / self.suggested_name(".pdf")
        job = self._job(path)
        title = self.kind().title
        self._busy(True, "Đang lập báo cáo để in…")

        def done(result: ReportResult) -> None:
            self._busy(False)
            self.last_result = result
            try:
                data = path.read_bytes()
            finally:
                work.cleanup()
            pages = print_with_dialog(self, data, title)
            self.status_label.setText(f"Đã gửi {pages} trang “{title}” tới máy in." if pages else
                                      "Đã hủy in.")

        def failed(exc: BaseException, tb: str) -> None:
            work.cleanup()
            self._failed(exc, tb)

        run_in_background(self, job, done, failed, title="Đang lập báo cáo để in")

    # --- main window actions ---------------------------------------------------------------------------------

    def print_current(self) -> None:
        """Ctrl+P: print the chosen report."""
        self.print_report()

    def save(self) -> None:
        self.save_as(".xlsx")

    def closeEvent(self, event: object) -> None:
        self.pdf_document.close()
        if self._preview_dir is not None:
            self._preview_dir.cleanup()
        super().closeEvent(event)  # type: ignore[arg-type]

"""Vietnamese for the texts Qt itself shows (context menus, standard buttons, file dialogs).

The PySide6 wheels carry no ``qtbase_vi.qm``, so a small translator answers the handful of Qt's own strings a
user meets in this program; everything else falls back to Qt's English.

An unknown text must come back as its source, not as "": Qt takes an empty string as the translation, which
drops the modifier names from every shortcut ("Ctrl+S" shown as "S"), empties "%1" patterns ("QString::arg:
Argument missing") and the file dialog's labels and date formats.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

_EDITING = {
    "&Undo": "&Hoàn tác", "&Redo": "&Làm lại", "Cu&t": "Cắ&t", "&Copy": "&Sao chép",
    "Copy &Link Location": "Sao chép địa chỉ liên &kết", "&Paste": "&Dán", "Delete": "Xóa",
    "Select All": "Chọn tất cả",
}
_BUTTONS = {
    "OK": "Đồng ý", "&OK": "Đồng ý", "Cancel": "Hủy", "&Cancel": "Hủy", "Save": "Lưu", "&Save": "Lưu",
    "Close": "Đóng", "&Close": "Đóng", "Apply": "Áp dụng", "Reset": "Đặt lại", "Help": "Trợ giúp",
    "&Yes": "&Có", "&No": "&Không", "Yes to &All": "Có cho &tất cả", "N&o to All": "Không cho tất cả",
    "Open": "Mở", "&Open": "&Mở", "Discard": "Không lưu", "Don't Save": "Không lưu", "Retry": "Thử lại",
    "Ignore": "Bỏ qua", "Abort": "Dừng", "Restore Defaults": "Khôi phục mặc định",
    "Show Details...": "Xem chi tiết…", "Hide Details...": "Ẩn chi tiết…",
}
_FILE_DIALOG = {
    "Look in:": "Thư mục:", "File name:": "Tên tệp:", "Files of type:": "Kiểu tệp:", "&Open": "&Mở",
    "&Save": "&Lưu", "&Choose": "&Chọn", "Open": "Mở", "Save As": "Lưu thành", "Directory:": "Thư mục:",
    "File &name:": "&Tên tệp:", "Files of &type:": "&Kiểu tệp:", "&Look in:": "&Thư mục:",
    "Back": "Quay lại", "Forward": "Tiến", "Parent Directory": "Thư mục cha",
    "Create New Folder": "Tạo thư mục mới", "New Folder": "Thư mục mới", "List View": "Dạng danh sách",
    "Detail View": "Dạng chi tiết", "Name": "Tên", "Size": "Kích thước", "Type": "Kiểu",
    "Date Modified": "Ngày sửa", "All Files (*)": "Mọi tệp (*)", "My Computer": "Máy tính",
    "%1 already exists.\nDo you want to replace it?": "%1 đã có.\nBạn có muốn thay thế không?",
}
_SPIN = {"&Step up": "&Tăng", "Step &down": "&Giảm", "&Select All": "Chọn &tất cả"}

TABLE: dict[str, dict[str, str]] = {
    "QLineEdit": _EDITING, "QWidgetTextControl": _EDITING, "QPlainTextEdit": _EDITING, "QTextControl": _EDITING,
    "QPlatformTheme": _BUTTONS, "QDialogButtonBox": _BUTTONS, "QMessageBox": _BUTTONS, "QProgressDialog": _BUTTONS,
    "QFileDialog": _FILE_DIALOG, "QFileSystemModel": _FILE_DIALOG, "QAbstractSpinBox": _SPIN,
}


class QtVietnameseTranslator(QTranslator):
    """Answers Qt's own strings from :data:`TABLE`; an unknown string is answered with itself (Qt's English)."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        return TABLE.get(context, {}).get(source, source)

    def isEmpty(self) -> bool:
        return False


def install(app: QCoreApplication) -> QtVietnameseTranslator:
    translator = QtVietnameseTranslator(app)
    app.installTranslator(translator)
    return translator

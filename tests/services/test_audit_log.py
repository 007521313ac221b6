"""Reading the audit log (filters, export) and changing one's own password."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from factories import PASSWORD, make_proposal
from openpyxl import load_workbook

from desktop_app.domain.errors import PermissionDenied, ValidationError
from desktop_app.services.audit_log import AuditFilter


def test_filters_by_user_record_action_and_date_and_exports(services, people, tmp_path) -> None:
    d = make_proposal(services, people.staff)
    services.proposals.submit(people.staff, d.id, d.version)
    other = make_proposal(services, people.manager)
    with pytest.raises(PermissionDenied):
        services.audit_log.entries(people.staff, AuditFilter())
    everything = services.audit_log.entries(people.admin, AuditFilter())
    assert everything.total >= 3 and everything.rows[0].at >= everything.rows[-1].at  # newest first

    submitted = services.audit_log.entries(people.manager, AuditFilter(username="canbo", action="submit"))
    assert [(r.record, r.action_text, r.field, r.old_value, r.new_value) for r in submitted.rows] == [
        (d.code, "Nộp đề án", "status", "draft", "submitted")]
    by_record = services.audit_log.entries(people.manager, AuditFilter(record=other.code.lower()))
    assert by_record.total >= 1 and {r.record for r in by_record.rows} == {other.code}
    assert {r.username for r in by_record.rows} == {"lanhdao"}
    today = date.today()
    assert services.audit_log.entries(people.admin, AuditFilter(date_from=today - timedelta(days=1),
                                                                date_to=today + timedelta(days=1))).total == \
        everything.total
    assert services.audit_log.entries(people.admin, AuditFilter(date_to=today - timedelta(days=2))).total == 0
    with pytest.raises(ValidationError) as err:
        services.audit_log.entries(people.admin, AuditFilter(date_from=today, date_to=today - timedelta(days=1)))
    assert err.value.field == "date_from"
    choices = services.audit_log.choices(people.admin)
    assert "canbo" in choices.usernames and ("proposal", "Đề án") in choices.entities
    assert ("submit", "Nộp đề án") in choices.actions

    out = tmp_path / "nhat-ky.xlsx"
    assert services.audit_log.export_xlsx(people.admin, AuditFilter(username="canbo", action="submit"), out) == 1
    sheet = load_workbook(out).active
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert any("NHẬT KÝ THAY ĐỔI DỮ LIỆU" in str(v) for row in values for v in row)
    assert any("Người dùng: canbo; Thao tác: Nộp đề án" in str(v) for row in values for v in row)
    header = next(row for row in values if row and row[0] == "Thời điểm")
    assert header == ["Thời điểm", "Người dùng", "Thao tác", "Loại bản ghi", "Bản ghi", "Trường", "Giá trị cũ",
                      "Giá trị mới"]
    assert ["canbo", "Nộp đề án", "Đề án", d.code, "Trạng thái", "Dự thảo", "Chờ thẩm định"] in [
        row[1:] for row in values]


def test_everyone_changes_his_own_password_after_proving_the_current_one(services, people) -> None:
    appraiser = people.appraisers[0]
    with pytest.raises(ValidationError) as err:
        services.account.change_own_password(appraiser, "sai-mat-khau", "matkhaumoi1", "matkhaumoi1")
    assert err.value.field == "current"
    with pytest.raises(ValidationError) as err:
        services.account.change_own_password(appraiser, PASSWORD, "matkhaumoi1", "matkhaumoi2")
    assert err.value.field == "repeated"
    with pytest.raises(ValidationError) as err:
        services.account.change_own_password(appraiser, PASSWORD, "ngan", "ngan")
    assert err.value.field == "new" and "ít nhất 8" in err.value.message
    services.account.change_own_password(appraiser, PASSWORD, "matkhaumoi1", "matkhaumoi1")
    assert services.auth.login(appraiser.username, "matkhaumoi1").id == appraiser.id
    entry = services.audit_log.entries(people.admin, AuditFilter(username=appraiser.username)).rows[0]
    assert (entry.action_text, entry.entity_text) == ("Đặt mật khẩu", "Người dùng")
    assert "matkhaumoi1" not in f"{entry.old_value}{entry.new_value}"

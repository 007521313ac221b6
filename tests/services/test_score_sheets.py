"""Score sheets: a submitted sheet cannot be emptied or changed; its member may reopen it until the council
concludes (audited); an incomplete sheet never counts in the average."""

from __future__ import annotations

from decimal import Decimal

import pytest
from factories import Actors, advance_to, make_proposal, score_all
from sqlalchemy import select

from desktop_app.domain.enums import Status
from desktop_app.domain.errors import PermissionDenied, WorkflowError
from desktop_app.services.context import Services
from desktop_app.store.models import AuditEntry, ScoreSheet


def _sheet(services: Services, actor, pid: int, manager=None):  # type: ignore[no-untyped-def]
    """The council as a manager sees it (the average; an appraiser sees none until it concludes) and the
    member's own sheet as he sees it."""
    own = services.appraisal.council(actor, pid)
    council = services.appraisal.council(manager, pid) if manager else own
    assert council is not None and own is not None
    return council, next(x for x in own.sheets if x.user_id == actor.id)


def test_a_submitted_sheet_cannot_be_emptied_and_reopening_is_audited(services: Services, people: Actors) -> None:
    d = make_proposal(services, people.staff)
    advance_to(services, people, d.id, Status.APPRAISING)
    score_all(services, people, (12, 12, 16, 16, 12, 8, 4))  # 80 points each
    chair = people.appraisers[0]
    council, sheet = _sheet(services, chair, d.id, people.manager)
    assert council.average == Decimal(80)
    with pytest.raises(WorkflowError, match="Phiếu đã nộp nên không sửa được"):
        services.appraisal.save_scores(chair, sheet.id, sheet.version, {}, "", submit=False)
    with pytest.raises(WorkflowError, match="Phiếu đã nộp"):
        services.appraisal.save_scores(chair, sheet.id, sheet.version, {c.id: "0" for c in council.criteria},
                                       "", submit=True)
    # another member may not reopen it
    with pytest.raises(PermissionDenied):
        services.appraisal.reopen_sheet(people.appraisers[1], sheet.id, sheet.version)
    reopened = services.appraisal.reopen_sheet(chair, sheet.id, sheet.version, "Chấm nhầm tiêu chí 6")
    assert not reopened.submitted and reopened.points == sheet.points
    council, _ = _sheet(services, chair, d.id, people.manager)
    assert council.counted == 2 and council.pending == 1 and council.average == Decimal(80)
    with services.db.reading() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "reopen_scores",
                                                  AuditEntry.field == "submitted_at"))
        assert entry is not None and entry.username == chair.username and entry.old_value and entry.new_value is None

    # emptied and saved as a draft, the reopened sheet still does not count: it is incomplete
    services.appraisal.save_scores(chair, sheet.id, reopened.version, {}, "", submit=False)
    council, sheet = _sheet(services, chair, d.id, people.manager)
    assert council.average == Decimal(80) and council.counted == 2
    points = dict(zip((c.id for c in council.criteria), ("10", "10", "10", "10", "10", "10", "5"), strict=True))
    services.appraisal.save_scores(chair, sheet.id, sheet.version, points, "Chấm lại", submit=True)
    council, _ = _sheet(services, chair, d.id, people.manager)
    assert council.counted == 3 and council.average == Decimal(75)  # (80 + 80 + 65) / 3

    services.appraisal.conclude(people.manager, d.id, services.proposals.get(people.staff, d.id).version, "05/BB")
    _, sheet = _sheet(services, chair, d.id, people.manager)
    with pytest.raises(WorkflowError, match="Hội đồng đã kết luận"):
        services.appraisal.reopen_sheet(chair, sheet.id, sheet.version)


def test_a_submitted_but_incomplete_sheet_is_never_a_zero(services: Services, people: Actors) -> None:
    d = make_proposal(services, people.staff)
    advance_to(services, people, d.id, Status.APPRAISING)
    score_all(services, people, (12, 12, 16, 16, 12, 8, 4))
    chair = people.appraisers[0]
    _, sheet = _sheet(services, chair, d.id, people.manager)
    # an old database may hold a sheet submitted with no scores: it is pending, not a zero in the average
    with services.db.transaction() as s:
        row = s.get(ScoreSheet, sheet.id)
        assert row is not None
        row.scores.clear()
    council, _ = _sheet(services, chair, d.id, people.manager)
    assert council.average == Decimal(80) and council.counted == 2 and council.pending == 1


def test_why_not_score_answers_without_writing(services: Services, people: Actors) -> None:
    from desktop_app.domain.enums import Action, Record

    d = make_proposal(services, people.staff)
    advance_to(services, people, d.id, Status.APPRAISING)
    chair, other = people.appraisers[0], people.appraisers[1]
    _, sheet = _sheet(services, chair, d.id)
    ps = services.proposals
    with services.db.reading() as s:
        audited = s.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
    assert ps.why_not(chair, Record.SCORE, d.id, sheet.id) is None
    assert ps.why_not(chair, Record.SCORE, d.id) is None  # his own sheet
    assert ps.why_not(other, Record.SCORE, d.id, sheet.id) == "Chỉ thành viên được phân công mới chấm phiếu này."
    assert ps.why_not(people.manager, Record.SCORE, d.id, sheet.id) == (
        "Vai trò “Lãnh đạo” không được chấm điểm; chỉ Thành viên hội đồng được làm việc này.")
    assert "không được “Phê duyệt”" not in (ps.why_not(people.manager, Action.APPROVE, d.id) or "")
    assert ps.why_not(people.manager, Action.APPROVE, d.id) == (
        "Không thể “Phê duyệt” khi đề án ở trạng thái “Đang thẩm định”.")
    assert ps.why_not(people.staff, Record.EDIT, d.id) == (
        "Chỉ sửa được đề án ở trạng thái “Dự thảo” (hiện: Đang thẩm định).")
    with services.db.reading() as s:
        assert s.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) == audited
    score_all(services, people)
    _, sheet = _sheet(services, chair, d.id)
    assert "Phiếu đã nộp" in (ps.why_not(chair, Record.SCORE, d.id, sheet.id) or "")
    services.appraisal.conclude(people.manager, d.id, ps.get(people.staff, d.id).version, "05/BB")
    assert ps.why_not(chair, Record.SCORE, d.id, sheet.id) == "Hội đồng đã kết luận; không sửa được phiếu chấm điểm."
    options = {o.action: o for o in ps.allowed_actions(people.manager, d.id)}
    assert options[Record.SCORE].refusal and not options[Record.SCORE].step
    assert options[Action.APPROVE].step

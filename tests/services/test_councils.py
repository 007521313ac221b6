"""The councils list: filters, the state of each council, and an appraiser sees only his own councils with what is
left for him to do."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from factories import advance_to, make_proposal

from desktop_app.domain.enums import CouncilKind, MemberRole, Status
from desktop_app.services.councils import CouncilFilter
from desktop_app.services.dto import AcceptanceLineInput, MemberInput


def test_councils_with_state_filters_and_the_appraisers_own(services, people) -> None:
    a1, a2, a3 = people.appraisers
    accepted = make_proposal(services, people.staff, title="Đề án đã nghiệm thu")
    d = advance_to(services, people, accepted.id, Status.AWAITING_ACCEPTANCE)
    services.implementation.record_acceptance(
        people.staff, d.id, held_on=date(2026, 11, 20), place="Tại cơ sở", passed=True, conclusion="Đạt",
        minutes_number="15/BB-NT", lines=[AcceptanceLineInput(x.id or 0, x.budget.support_vnd,
                                                              x.budget.counterpart_vnd, x.budget.other_vnd)
                                          for x in d.lines],
        members=[MemberInput(a3.full_name, MemberRole.CHAIR, "Chuyên gia", a3.id),
                 MemberInput("Trần Thị Kế", MemberRole.SECRETARY, "Kế toán")])
    scoring = make_proposal(services, people.staff, title="Đề án đang chấm điểm")
    scoring = services.proposals.submit(people.staff, scoring.id, scoring.version)
    members = [MemberInput(a1.full_name, MemberRole.CHAIR, "Chuyên gia", a1.id),
               MemberInput(a2.full_name, MemberRole.SECRETARY, "Chuyên gia", a2.id),
               MemberInput("Nguyễn Văn Ngoài", MemberRole.MEMBER, "Chuyên gia")]
    services.appraisal.open_council(people.staff, scoring.id, scoring.version, decision_number="20/QĐ-TTKC",
                                    decision_date=date(2026, 5, 2), meeting_date=date(2026, 5, 12), place="Trung tâm",
                                    members=members)
    task = services.appraisal.my_tasks(a1)[0]
    council = services.appraisal.council(a1, task.proposal_id)
    assert council is not None
    services.appraisal.save_scores(a1, task.sheet_id, 1, {council.criteria[0].id: Decimal(10)})
    task2 = services.appraisal.my_tasks(a2)[0]
    sheet2 = next(x for x in council.sheets if x.id == task2.sheet_id)
    services.appraisal.save_scores(a2, sheet2.id, sheet2.version,
                                   {c.id: c.max_points for c in council.criteria}, submit=True)

    everything = services.councils.councils(people.staff)
    assert everything.total == 3 and not everything.only_mine
    by_kind = {(r.proposal_code, r.kind): r for r in everything.rows}
    working = by_kind[(scoring.code, CouncilKind.APPRAISAL)]
    assert working.state == "Đang chấm điểm: 1/3 phiếu đã nộp" and not working.concluded
    assert working.members[2] == "Nguyễn Văn Ngoài (Ủy viên)" and working.my_task == ""
    assert working.meeting_date == date(2026, 5, 12) and working.decision_number == "20/QĐ-TTKC"
    done = by_kind[(accepted.code, CouncilKind.APPRAISAL)]
    assert done.concluded and done.state == "Đã kết luận: đạt (85 điểm)"
    acceptance = by_kind[(accepted.code, CouncilKind.ACCEPTANCE)]
    assert acceptance.state == "Đạt, chờ lãnh đạo ký duyệt" and not acceptance.concluded
    assert acceptance.members == ("Ông Văn Ân (Chủ tịch)", "Trần Thị Kế (Thư ký)")

    assert [r.kind for r in services.councils.councils(people.staff, CouncilFilter(
        kind=CouncilKind.ACCEPTANCE)).rows] == [CouncilKind.ACCEPTANCE]
    assert [r.proposal_code for r in services.councils.councils(people.staff, CouncilFilter(
        kind=CouncilKind.APPRAISAL, concluded=False)).rows] == [scoring.code]
    assert [r.proposal_code for r in services.councils.councils(people.manager, CouncilFilter(
        text="dang cham")).rows] == [scoring.code]
    assert services.councils.councils(people.staff, CouncilFilter(year=2025)).total == 0

    # An appraiser sees only his councils, whatever he asks for, each with what is left for him.
    mine = services.councils.councils(a1, CouncilFilter())
    assert mine.only_mine
    tasks = {(r.proposal_code, r.kind): r.my_task for r in mine.rows}
    assert tasks[(scoring.code, CouncilKind.APPRAISAL)] == "Đang chấm dở: nộp phiếu chấm điểm"
    assert [r.my_task_open for r in mine.rows if r.proposal_code == scoring.code] == [True]
    assert not any(r.my_task_open for r in services.councils.councils(a2).rows)
    assert tasks[(accepted.code, CouncilKind.APPRAISAL)] == "Không còn việc (hội đồng đã kết luận)"
    assert {r.my_task for r in services.councils.councils(a2).rows if r.proposal_code == scoring.code} == {
        "Đã nộp phiếu, chờ hội đồng kết luận"}
    third = {(r.proposal_code, r.kind): r.my_task for r in services.councils.councils(a3).rows}
    assert third == {(accepted.code, CouncilKind.APPRAISAL): "Không còn việc (hội đồng đã kết luận)",
                     (accepted.code, CouncilKind.ACCEPTANCE): "Dự họp nghiệm thu (không có phiếu chấm)"}
    version = services.proposals.get(people.staff, d.id).version
    services.implementation.sign_off_acceptance(people.manager, d.id, version)
    signed = services.councils.councils(people.staff, CouncilFilter(kind=CouncilKind.ACCEPTANCE)).rows[0]
    assert signed.state == "Đã ký duyệt nghiệm thu" and signed.concluded

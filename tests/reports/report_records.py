"""Records for rendering documents without a database: a settled proposal's whole file, and the letterhead
(imported by the tests of this folder and by its conftest)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from desktop_app.domain.enums import CouncilKind, MemberRole, ProposalForm, Scope, Status
from desktop_app.reports.pdf.records import (
    AcceptanceLineRecord,
    AcceptanceRecord,
    BeneficiaryRecord,
    ContractRecord,
    CouncilRecord,
    CriterionRecord,
    DecisionRecord,
    LiquidationRecord,
    MemberRecord,
    ProposalFile,
    ProposalRecord,
)
from desktop_app.services.dto import BudgetLineView, OrganisationInfo, TargetView

ORGANISATION = OrganisationInfo(
    name="Trung tâm Khuyến công và Tư vấn phát triển công nghiệp", parent_body="Sở Công Thương tỉnh Ninh Bình",
    abbreviation="TTKC", province_code="37", province_name="Ninh Bình", place_name="Ninh Bình",
    director_name="Trần Văn Giám", director_title="Giám đốc", address="", phone="", email="", version=1)

CRITERIA = [("Sự phù hợp với chính sách, nội dung hoạt động khuyến công", 15), ("Mục tiêu và sự cần thiết", 15),
            ("Tính khả thi; hiệu quả kinh tế, xã hội, môi trường", 20), ("Tính hợp lý của dự toán", 20),
            ("Năng lực của các đơn vị", 15), ("Khả năng nhân rộng", 10), ("Tính đầy đủ của hồ sơ", 5)]


def build_file(lines: int = 3, long_text: bool = False) -> ProposalFile:
    """A settled local proposal with a council, a deputy-signed decision, contract, acceptance and liquidation."""
    items = [("Máy dệt thổ cẩm tự động khổ rộng 1,6 m, điều khiển PLC", "máy", Decimal(2), 390_000_000,
              190_000_000, 590_000_000, 0),
             ("Lắp đặt, chạy thử, chuyển giao công nghệ", "gói", Decimal(1), 20_000_000, 10_000_000, 10_000_000, 0),
             ("Tập huấn vận hành cho người lao động", "lớp", Decimal("1.5"), 10_000_000, 0, 5_000_000, 10_000_000)]
    items = (items * ((lines + 2) // 3))[:lines]
    budget = tuple(BudgetLineView(i, i, *x) for i, x in enumerate(items, start=1))
    support = sum(x.support_vnd for x in budget)
    counterpart = sum(x.counterpart_vnd for x in budget)
    other = sum(x.other_vnd for x in budget)
    body = ("Cơ sở đang sử dụng máy dệt thủ công, năng suất thấp, chất lượng không đồng đều. " * 12
            if long_text else "Máy móc cũ, năng suất thấp.\nSản phẩm chưa đáp ứng yêu cầu xuất khẩu.")
    p = ProposalRecord(
        1, "KCĐP-2026-0001", "Hỗ trợ ứng dụng máy dệt thổ cẩm tự động tại Hợp tác xã Dệt thổ cẩm Ngọc Lâm", 2026,
        Scope.LOCAL, ProposalForm.SINGLE, Status.SETTLED, "Ứng dụng máy móc thiết bị tiên tiến",
        "Khoản 3 Điều 4 Nghị định 45/2012/NĐ-CP", "Dệt may", "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp",
        "Phòng Kinh tế xã Gia Viễn", "xóm Chùa, xã Gia Viễn, tỉnh Ninh Bình", date(2026, 3, 1), date(2026, 11, 30),
        body, "Nâng cao năng suất, chất lượng sản phẩm; tạo việc làm cho 10 lao động.",
        "Hai máy dệt tự động, công suất 200 m/ngày.", body, "Trung tâm phối hợp với cơ sở tổ chức thực hiện.",
        "Doanh thu tăng 30%; sản phẩm đạt chuẩn xuất khẩu.",
        (BeneficiaryRecord("Hợp tác xã Dệt thổ cẩm Ngọc Lâm", "0100233488", "xóm Chùa, xã Gia Viễn, tỉnh Ninh Bình",
                           "Hà Văn Lâm", "Giám đốc", "0912345678", "Hợp tác xã"),),
        budget, (TargetView("machines", "Máy móc, dây chuyền được lắp đặt", "máy/dây chuyền", 2, 2),
                 TargetView("jobs", "Việc làm mới", "người", 10, 12)),
        support + counterpart + other, support, counterpart, other, support, date(2026, 6, 1), "45/QĐ-SCT",
        date(2026, 3, 15))
    criteria = tuple(CriterionRecord(i, i, n, Decimal(m)) for i, (n, m) in enumerate(CRITERIA, start=1))
    points = {i: Decimal(v) for i, v in zip(range(1, 8), (13, 13, 17, 17, 13, 8, 4), strict=True)}
    members = (
        MemberRecord(11, 5, "Đỗ Quốc Hưng", "Phó Giám đốc Sở Công Thương", MemberRole.CHAIR, False, "", True, points,
                     Decimal(85), "Đạt yêu cầu"),
        MemberRecord(12, 6, "Vũ Thị Yến", "Chuyên viên", MemberRole.SECRETARY, False, "", True, points, Decimal(85)),
        MemberRecord(13, 7, "Ông Văn Ân", "Chuyên gia", MemberRole.MEMBER, True, "Người thân của chủ cơ sở", False),
    )
    council = CouncilRecord(CouncilKind.APPRAISAL, "12/QĐ-TTKC", date(2026, 4, 1), date(2026, 4, 10),
                            "Phòng họp Trung tâm", Decimal(70), criteria, members, Decimal("82.5"), True, True,
                            date(2026, 4, 10), "Đề nghị phê duyệt.", "5/BB-HĐTĐ")
    approval = DecisionRecord("approval", "45/QĐ-SCT", date(2026, 6, 1), "Phạm Văn Lãnh", "Phó Giám đốc", support,
                              "")
    contract = ContractRecord("07/HĐ-TTKC", date(2026, 6, 10), ORGANISATION.name, "Hợp tác xã Dệt thổ cẩm Ngọc Lâm",
                              support, date(2026, 6, 10), date(2026, 11, 30))
    acceptance = AcceptanceRecord(
        date(2026, 11, 20), "Tại xưởng của hợp tác xã", True, "Máy vận hành ổn định.", "15/BB-NT",
        tuple(AcceptanceLineRecord(x.item, x.unit, x.quantity, x.total_vnd, x.support_vnd, x.support_vnd,
                                   x.counterpart_vnd, x.other_vnd) for x in budget), members, True, "Phạm Văn Lãnh")
    liquidation = LiquidationRecord("20/BB-TL", date(2026, 12, 1), support, support - 20_000_000, 20_000_000, "",
                                    140_000_000)
    return ProposalFile(p, council, approval, contract, acceptance, liquidation)

"""The approval decision prints under the body that issued it, as its number's symbol says: the centre, the Sở
above it, or the ministry; the signature block agrees with the header."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

from desktop_app.domain.enums import DecisionKind
from desktop_app.reports.pdf import decision
from desktop_app.reports.pdf.layout import Letterhead
from desktop_app.reports.pdf.records import ProposalFile


def _text(file: ProposalFile, head: Letterhead, number: str, signer: str, title: str = "",
          kind: DecisionKind = DecisionKind.APPROVAL) -> str:
    assert file.approval is not None
    signed = replace(file, approval=replace(file.approval, number=number, signer=signer, signer_title=title,
                                            kind=kind.value))
    data = decision.render(signed, head)
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages)


def test_the_centres_own_decision(proposal_file: ProposalFile, letterhead: Letterhead) -> None:
    text = _text(proposal_file, letterhead, "12/QĐ-TTKC", "Phạm Văn Lãnh", "Phó Giám đốc")
    assert text.startswith("SỞ CÔNG THƯƠNG TỈNH NINH BÌNH TRUNG TÂM KHUYẾN CÔNG")
    assert "Số: 12/QĐ-TTKC Ninh Bình, ngày 01 tháng 6 năm 2026" in text
    assert "GIÁM ĐỐC TRUNG TÂM KHUYẾN CÔNG" in text
    assert text.endswith("KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC Phạm Văn Lãnh")


def test_a_so_decision_signed_for_the_so(proposal_file: ProposalFile, letterhead: Letterhead) -> None:
    # the signer is no user of the program: the title is recorded after the name
    text = _text(proposal_file, letterhead, "07/QĐ-SCT", "Nguyễn Văn An, Phó Giám đốc")
    assert text.startswith("UBND TỈNH NINH BÌNH SỞ CÔNG THƯƠNG CỘNG HÒA")
    assert "TRUNG TÂM KHUYẾN CÔNG VÀ TƯ VẤN" not in text.split("QUYẾT ĐỊNH")[0]
    assert "Số: 07/QĐ-SCT Ninh Bình, ngày 01 tháng 6 năm 2026" in text
    assert "GIÁM ĐỐC SỞ CÔNG THƯƠNG Căn cứ" in text
    assert "- UBND tỉnh Ninh Bình (để báo cáo); - Lưu: VT, SCT." in text
    assert text.endswith("KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC Nguyễn Văn An")
    assert "Nguyễn Văn An, Phó Giám đốc" not in text

    # a parent body typed without "tỉnh" still names the province's People's Committee
    text = _text(proposal_file, replace(letterhead, parent_body="Sở Công Thương Ninh Bình"), "07/QĐ-SCT",
                 "Nguyễn Văn An, Phó Giám đốc")
    assert text.startswith("UBND TỈNH NINH BÌNH SỞ CÔNG THƯƠNG CỘNG HÒA")

    # the Sở's director signs in person: no "KT."
    text = _text(proposal_file, letterhead, "08/QĐ-SCT", "Lê Thị Hoa, Giám đốc")
    assert text.endswith("GIÁM ĐỐC Lê Thị Hoa") and "KT." not in text


@pytest.mark.parametrize("kind", [DecisionKind.MINISTRY, DecisionKind.APPROVAL])
def test_a_ministry_decision(proposal_file: ProposalFile, letterhead: Letterhead, kind: DecisionKind) -> None:
    text = _text(proposal_file, letterhead, "1234/QĐ-BCT", "Trương Thanh Hoài, Thứ trưởng", kind=kind)
    assert text.startswith("BỘ CÔNG THƯƠNG CỘNG HÒA")
    assert "Số: 1234/QĐ-BCT Hà Nội, ngày 01 tháng 6 năm 2026" in text
    assert "BỘ TRƯỞNG BỘ CÔNG THƯƠNG Căn cứ" in text
    assert "- Bộ trưởng (để báo cáo); - Lưu: VT, BCT." in text
    assert text.endswith("KT. BỘ TRƯỞNG THỨ TRƯỞNG Trương Thanh Hoài")

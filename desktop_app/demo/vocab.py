"""Word lists for the demo data generator: Vietnamese names of people, establishments, villages,
products and machines per sector, and the proposal templates per activity content.

Plain data only; the generator decides how to combine them. Every text is Vietnamese with its diacritics, in NFC,
without leading, trailing or doubled spaces (the generator composes search and sort keys from the parts).
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.domain.enums import LegalForm, Outcome

# --- people ---------------------------------------------------------------------------------------------------------

#: Family names with their rough share of the population (per mille), commonest first.
FAMILY_NAMES: tuple[tuple[str, int], ...] = (
    ("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 70), ("Hoàng", 30), ("Huỳnh", 21), ("Phan", 45),
    ("Vũ", 25), ("Võ", 15), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13), ("Ngô", 13), ("Dương", 10),
    ("Lý", 5), ("Đinh", 8), ("Trịnh", 6), ("Mai", 5), ("Đào", 5), ("Lương", 4), ("Cao", 4), ("Tạ", 3),
    ("Lâm", 4), ("Hà", 4), ("Tô", 3), ("Chu", 3), ("Quách", 2), ("Vương", 2), ("Triệu", 2), ("Lò", 2),
    ("Hứa", 1), ("Thân", 1), ("Kiều", 1), ("Ông", 1),
)

MALE_MIDDLE = ("Văn", "Văn", "Văn", "Đức", "Minh", "Quốc", "Hữu", "Thanh", "Công", "Ngọc", "Xuân", "Đình", "Trọng",
               "Quang", "Mạnh", "Tiến", "Bá", "Viết")
FEMALE_MIDDLE = ("Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Kim", "Thùy", "Bích", "Hồng", "Mỹ",
                 "Phương", "Diệu", "Hải")
MALE_GIVEN = ("An", "Anh", "Bình", "Cường", "Chiến", "Dũng", "Đạt", "Đông", "Giang", "Hải", "Hiếu", "Hòa", "Hùng",
              "Hưng", "Huy", "Khánh", "Khoa", "Lâm", "Long", "Lực", "Minh", "Nam", "Nghĩa", "Phong", "Phúc",
              "Quân", "Quang", "Sơn", "Tài", "Tâm", "Thắng", "Thành", "Thịnh", "Toàn", "Trung", "Tuấn", "Tùng",
              "Việt", "Vinh", "Vũ")
FEMALE_GIVEN = ("Anh", "Bích", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng",
                "Huế", "Hương", "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngọc", "Nhung",
                "Oanh", "Phượng", "Quỳnh", "Tâm", "Thảo", "Thu", "Thủy", "Trang", "Uyên", "Vân", "Xuân", "Yến")

#: Titles of the representative per legal form.
REPRESENTATIVE_TITLES: dict[LegalForm, tuple[str, ...]] = {
    LegalForm.SME: ("Giám đốc", "Giám đốc", "Tổng Giám đốc", "Chủ doanh nghiệp", "Phó Giám đốc"),
    LegalForm.COOPERATIVE: ("Giám đốc", "Chủ tịch Hội đồng quản trị"),
    LegalForm.COOPERATIVE_GROUP: ("Tổ trưởng",),
    LegalForm.HOUSEHOLD: ("Chủ hộ kinh doanh", "Chủ cơ sở"),
    LegalForm.ARTISAN: ("Nghệ nhân", "Chủ cơ sở"),
}

#: Share (per mille) of each legal form among rural industrial establishments.
LEGAL_FORM_WEIGHTS: tuple[tuple[LegalForm, int], ...] = (
    (LegalForm.HOUSEHOLD, 420), (LegalForm.SME, 300), (LegalForm.COOPERATIVE, 150),
    (LegalForm.COOPERATIVE_GROUP, 90), (LegalForm.ARTISAN, 40),
)

#: How each legal form names itself: the leading words of the name.
SME_PREFIXES = ("Công ty TNHH", "Công ty TNHH", "Công ty TNHH MTV", "Công ty Cổ phần", "Công ty Cổ phần",
                "Doanh nghiệp tư nhân", "Công ty TNHH Sản xuất và Thương mại")
COOPERATIVE_PREFIXES = ("Hợp tác xã", "Hợp tác xã", "Hợp tác xã Dịch vụ nông nghiệp và")
ARTISAN_PREFIXES = ("Nghệ nhân", "Nghệ nhân", "Nghệ nhân ưu tú", "Nghệ nhân nhân dân")

#: Trade names (tên riêng) of enterprises and cooperatives.
TRADE_NAMES = (
    "Phú Thịnh", "Minh Long", "Hưng Thịnh", "Thành Đạt", "An Phát", "Tân Tiến", "Hoàng Gia", "Đại Phát", "Phúc An",
    "Việt Hưng", "Quang Minh", "Bảo Long", "Thiên Phú", "Kim Ngân", "Hòa Bình", "Nam Việt", "Đức Thành", "Sơn Hà",
    "Trường Sơn", "Hồng Phát", "Tiến Thành", "Phát Đạt", "Mai Anh", "Gia Bảo", "Ngọc Lan", "Thắng Lợi", "Hải Âu",
    "Đông Á", "Tân Phong", "Vạn Xuân", "Thuận Phát", "Lộc Phát", "Vĩnh Phúc", "Hợp Nhất", "Bình Minh", "Ánh Dương",
    "Sao Việt", "Hương Quê", "Làng Nghề", "Đất Việt", "Phương Nam", "Bắc Hà", "Đồng Tâm", "Hiệp Lực", "Thống Nhất",
    "Tiên Phong", "Trung Kiên", "Xuân Mai", "Hoa Sen", "Trúc Xanh", "Tre Việt", "Lúa Vàng", "Quê Hương", "Thái Bình",
    "An Khang", "Phú Quý", "Tài Lộc", "Vĩnh Hưng", "Tràng An", "Hồng Hà", "Cửu Long", "Tây Nguyên", "Sông Đà",
    "Kinh Bắc", "Thăng Long", "Hạ Long", "Lam Sơn", "Hoành Sơn", "Ngọc Sơn", "Phú Hưng", "Đại Dương", "Hoàn Mỹ",
)

#: Village names (the part after "Thôn", "Xóm", "Ấp", "Bản" …).
VILLAGE_NAMES = (
    "Đông", "Đoài", "Thượng", "Hạ", "Trung", "Nam", "Bắc", "Phú Mỹ", "An Lạc", "Tân Lập", "Bình An", "Hòa Bình",
    "Tân Thành", "Phú Lộc", "Đồng Tâm", "Quyết Tiến", "Thắng Lợi", "Tiền Phong", "Đoàn Kết", "Hợp Thành", "Phú Xuân",
    "Yên Thái", "Vĩnh Lộc", "Tân Hòa", "Mỹ Hưng", "Long Thạnh", "Phước Thạnh", "Bình Đông", "Nà Hang", "Khuổi Luông",
    "Bản Lác", "Pác Bó", "Na Sầm", "Làng Chuông", "Bát Tràng", "Vạn Phúc", "Phù Lãng", "Đình Bảng", "Kim Bồng",
    "Thanh Hà", "Phước Kiều", "Mỹ Đồng", "Hải Triều", "Cẩm Hà", "Ninh Hiệp", "Đa Sỹ", "Chuông Văn", "Xuân Lai",
)
STREET_NAMES = ("Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hai Bà Trưng", "Quang Trung", "Lý Thường Kiệt",
                "Hùng Vương", "Nguyễn Du", "Phan Bội Châu", "Lê Duẩn", "Trần Phú", "Ngô Quyền", "Điện Biên Phủ",
                "Nguyễn Huệ", "Lê Hồng Phong", "Võ Thị Sáu", "Hoàng Hoa Thám", "Tôn Đức Thắng", "Bà Triệu")

#: Province codes whose villages are usually called "Ấp" (south) or "Bản" (northern mountains); others "Thôn"/"Xóm".
SOUTHERN_PROVINCES = frozenset({"75", "79", "80", "82", "86", "91", "92", "96"})
MOUNTAIN_PROVINCES = frozenset({"04", "08", "11", "12", "14", "15", "19", "20"})
HIGHLAND_PROVINCES = frozenset({"52", "66", "68"})

EMAIL_DOMAINS = ("gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com")


# --- sectors --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectorWords:
    """What an establishment of a sector is called, makes, and buys."""

    craft: str  # as in "Hợp tác xã Mây tre đan …", capitalised
    products: tuple[str, ...]  # as in "Sản xuất …", capitalised
    machines: tuple[tuple[str, str, int, int], ...]  # (item, unit, min price, max price) in đồng


_M = 1_000_000

SECTOR_WORDS: dict[str, SectorWords] = {
    "CHE_BIEN_NONG_SAN": SectorWords("Chế biến nông sản", (
        "Gạo sạch đóng túi", "Tinh bột sắn", "Chè xanh sấy khô", "Cà phê rang xay", "Hạt điều rang muối", "Miến dong"),
        (("Máy sấy nông sản", "máy", 120 * _M, 450 * _M), ("Dây chuyền xay xát gạo", "dây chuyền", 400 * _M, 900 * _M),
         ("Máy đóng gói tự động", "máy", 90 * _M, 300 * _M), ("Máy sao chè", "máy", 60 * _M, 180 * _M))),
    "CHE_BIEN_LAM_SAN": SectorWords("Chế biến lâm sản", ("Ván ép", "Gỗ xẻ sấy", "Tinh dầu quế", "Viên nén mùn cưa"),
        (("Máy bóc gỗ", "máy", 150 * _M, 400 * _M), ("Lò sấy gỗ", "lò", 200 * _M, 600 * _M),
         ("Máy ép viên nén", "máy", 250 * _M, 700 * _M), ("Nồi chưng cất tinh dầu", "hệ thống", 120 * _M, 350 * _M))),
    "CHE_BIEN_THUY_SAN": SectorWords("Chế biến thủy sản", ("Nước mắm truyền thống", "Cá khô", "Tôm khô", "Chả cá"),
        (("Máy sấy hải sản", "máy", 150 * _M, 450 * _M), ("Kho cấp đông", "hệ thống", 300 * _M, 800 * _M),
         ("Máy hút chân không", "máy", 40 * _M, 120 * _M))),
    "CHE_BIEN_THUC_PHAM": SectorWords("Chế biến thực phẩm", (
        "Bánh đa nem", "Bún khô", "Giò chả", "Nem chua", "Bánh chưng", "Mật ong", "Bánh đậu xanh"),
        (("Máy tráng bánh", "máy", 80 * _M, 250 * _M), ("Máy ép bún", "máy", 60 * _M, 180 * _M),
         ("Tủ hấp công nghiệp", "tủ", 40 * _M, 120 * _M), ("Máy xay giò chả", "máy", 50 * _M, 150 * _M))),
    "THUC_AN_CHAN_NUOI": SectorWords("Thức ăn chăn nuôi", ("Thức ăn hỗn hợp cho gia súc", "Cám viên"),
        (("Máy ép cám viên", "máy", 150 * _M, 450 * _M), ("Máy trộn thức ăn", "máy", 60 * _M, 200 * _M))),
    "DET_MAY": SectorWords("May mặc", ("Quần áo may sẵn", "Đồng phục bảo hộ lao động", "Áo sơ mi"),
        (("Máy may công nghiệp", "máy", 12 * _M, 35 * _M), ("Máy vắt sổ", "máy", 15 * _M, 40 * _M),
         ("Máy cắt vải tự động", "máy", 300 * _M, 800 * _M))),
    "DA_GIAY": SectorWords("Da giày", ("Giày da", "Túi xách da", "Dép da"),
        (("Máy may giày", "máy", 40 * _M, 120 * _M), ("Máy ép đế giày", "máy", 120 * _M, 350 * _M))),
    "DO_GO": SectorWords("Đồ gỗ nội thất", ("Bàn ghế gỗ", "Tủ bếp", "Giường tủ gỗ"),
        (("Máy CNC chế biến gỗ", "máy", 350 * _M, 900 * _M), ("Máy chà nhám thùng", "máy", 120 * _M, 350 * _M),
         ("Hệ thống phun sơn PU", "hệ thống", 150 * _M, 400 * _M))),
    "NHUA_CAO_SU": SectorWords("Nhựa", ("Ống nhựa PVC", "Bao bì nhựa", "Sản phẩm cao su"),
        (("Máy ép nhựa", "máy", 300 * _M, 900 * _M), ("Máy thổi màng", "máy", 200 * _M, 600 * _M))),
    "GIAY_BAO_BI": SectorWords("Bao bì", ("Thùng carton", "Túi giấy", "Giấy vàng mã"),
        (("Máy in offset", "máy", 400 * _M, 950 * _M), ("Máy bế hộp", "máy", 150 * _M, 450 * _M),
         ("Máy dán thùng carton", "máy", 80 * _M, 250 * _M))),
    "HANG_TIEU_DUNG": SectorWords("Hàng tiêu dùng", ("Chổi đót", "Hương nhang", "Đồ gia dụng bằng nhôm"),
        (("Máy se hương", "máy", 30 * _M, 90 * _M), ("Máy đóng gói", "máy", 80 * _M, 250 * _M))),
    "HOA_CHAT_NONG_NGHIEP": SectorWords("Phân bón", ("Phân vi sinh", "Phân hữu cơ"),
        (("Dây chuyền sản xuất phân vi sinh", "dây chuyền", 500 * _M, 950 * _M),
         ("Máy ép viên phân bón", "máy", 150 * _M, 400 * _M))),
    "VAT_LIEU_XAY_DUNG": SectorWords("Vật liệu xây dựng", ("Đá ốp lát", "Ngói màu", "Cát nghiền"),
        (("Máy cắt đá", "máy", 150 * _M, 450 * _M), ("Máy ép ngói", "máy", 200 * _M, 500 * _M))),
    "VLXD_KHONG_NUNG": SectorWords("Gạch không nung", ("Gạch không nung", "Gạch block"),
        (("Máy ép gạch không nung", "máy", 350 * _M, 900 * _M), ("Máy trộn bê tông", "máy", 60 * _M, 200 * _M))),
    "CO_KHI": SectorWords("Cơ khí", ("Khung nhà thép", "Cửa sắt", "Chi tiết máy"),
        (("Máy tiện CNC", "máy", 400 * _M, 950 * _M), ("Máy hàn tự động", "máy", 80 * _M, 250 * _M),
         ("Máy chấn tôn", "máy", 250 * _M, 700 * _M))),
    "CO_KHI_NONG_NGHIEP": SectorWords("Cơ khí nông nghiệp", ("Máy tuốt lúa", "Máy cày mini", "Nông cụ cầm tay"),
        (("Máy tiện vạn năng", "máy", 150 * _M, 450 * _M), ("Máy phay", "máy", 200 * _M, 500 * _M),
         ("Máy hàn", "máy", 20 * _M, 80 * _M))),
    "DIEN_DIEN_TU": SectorWords("Điện - điện tử", ("Dây cáp điện", "Thiết bị điện dân dụng"),
        (("Máy bọc dây cáp", "máy", 300 * _M, 800 * _M), ("Máy dập", "máy", 120 * _M, 350 * _M))),
    "DIEN_TU_TIN_HOC": SectorWords("Điện tử", ("Bo mạch điện tử", "Linh kiện điện tử"),
        (("Máy hàn linh kiện SMT", "máy", 400 * _M, 950 * _M), ("Máy kiểm tra bo mạch", "máy", 150 * _M, 400 * _M))),
    "SUA_CHUA_MAY_MOC": SectorWords("Cơ khí sửa chữa", ("Phụ tùng máy nông nghiệp", "Dịch vụ sửa chữa máy"),
        (("Máy tiện", "máy", 100 * _M, 300 * _M), ("Máy mài", "máy", 30 * _M, 90 * _M),
         ("Cầu nâng", "bộ", 60 * _M, 180 * _M))),
    "CONG_NGHIEP_HO_TRO": SectorWords("Công nghiệp hỗ trợ", ("Linh kiện nhựa kỹ thuật", "Chi tiết cơ khí chính xác"),
        (("Máy phay CNC", "máy", 500 * _M, 950 * _M), ("Máy ép nhựa kỹ thuật", "máy", 350 * _M, 900 * _M))),
    "THU_CONG_MY_NGHE": SectorWords("Thủ công mỹ nghệ", ("Đồ thủ công mỹ nghệ", "Nón lá", "Tranh gạo"),
        (("Máy cắt khắc laser", "máy", 120 * _M, 350 * _M), ("Lò sấy", "lò", 50 * _M, 150 * _M))),
    "MAY_TRE_DAN": SectorWords("Mây tre đan", ("Giỏ mây", "Khay tre", "Đèn mây tre", "Bàn ghế mây"),
        (("Máy chẻ nan tre", "máy", 40 * _M, 120 * _M), ("Máy vót nan", "máy", 30 * _M, 90 * _M),
         ("Lò sấy tre", "lò", 80 * _M, 250 * _M))),
    "GOM_SU": SectorWords("Gốm sứ", ("Bình gốm", "Bát đĩa sứ", "Gốm mỹ nghệ"),
        (("Lò nung gas", "lò", 250 * _M, 700 * _M), ("Máy vuốt gốm", "máy", 40 * _M, 120 * _M),
         ("Máy nhào đất", "máy", 60 * _M, 180 * _M))),
    "SON_MAI": SectorWords("Sơn mài", ("Tranh sơn mài", "Hộp sơn mài"),
        (("Máy mài bóng", "máy", 40 * _M, 120 * _M), ("Buồng sấy sơn", "buồng", 80 * _M, 250 * _M))),
    "DO_GO_MY_NGHE": SectorWords("Đồ gỗ mỹ nghệ", ("Tượng gỗ", "Bàn ghế gỗ chạm", "Sập gụ"),
        (("Máy đục CNC", "máy", 300 * _M, 800 * _M), ("Máy chạm khắc gỗ", "máy", 150 * _M, 450 * _M))),
    "DET_THO_CAM": SectorWords("Dệt thổ cẩm", ("Khăn thổ cẩm", "Túi thổ cẩm", "Vải thổ cẩm"),
        (("Khung dệt cải tiến", "bộ", 15 * _M, 45 * _M), ("Máy dệt", "máy", 80 * _M, 250 * _M))),
    "THEU_REN": SectorWords("Thêu ren", ("Khăn trải bàn thêu", "Tranh thêu tay", "Áo dài thêu"),
        (("Máy thêu vi tính", "máy", 200 * _M, 600 * _M),)),
    "CHAM_KHAC": SectorWords("Chạm khắc", ("Tượng đá", "Đồ đá mỹ nghệ", "Con giống bằng đá"),
        (("Máy cắt đá CNC", "máy", 400 * _M, 950 * _M), ("Máy khắc", "máy", 100 * _M, 300 * _M))),
    "KHOANG_SAN": SectorWords("Khai thác khoáng sản", ("Đá xây dựng", "Cát sỏi"),
        (("Máy nghiền đá", "máy", 400 * _M, 950 * _M), ("Băng tải", "hệ thống", 100 * _M, 300 * _M))),
    "SAN_XUAT_SACH_HON": SectorWords("Công nghệ xanh", ("Sản phẩm tiết kiệm năng lượng", "Than sinh học"),
        (("Lò hơi tiết kiệm năng lượng", "lò", 300 * _M, 800 * _M),
         ("Hệ thống thu hồi nhiệt", "hệ thống", 200 * _M, 600 * _M))),
    "XU_LY_O_NHIEM": SectorWords("Môi trường", ("Dịch vụ xử lý nước thải", "Dịch vụ thu gom chất thải"),
        (("Hệ thống xử lý nước thải", "hệ thống", 400 * _M, 950 * _M),
         ("Hệ thống lọc bụi", "hệ thống", 200 * _M, 600 * _M))),
}

FALLBACK_SECTOR = SectorWords("Sản xuất", ("Sản phẩm công nghiệp nông thôn",),
                              (("Máy móc thiết bị sản xuất", "máy", 100 * _M, 400 * _M),))


# --- proposals ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContentPlan:
    """How a demo proposal of one activity content looks.

    ``title`` may use {product} (lower case), {craft} (lower case), {name} (first beneficiary), {commune},
    {province} and {year}. ``kind`` picks the budget lines; ``cost`` is the range of the total cost in đồng;
    ``support`` the range of the support share in percent when no support rule caps it; ``weight`` how common it is
    (per mille); ``group`` whether a group proposal (several beneficiaries) makes sense.
    """

    title: str
    kind: str
    cost: tuple[int, int]
    support: tuple[int, int]
    weight: int
    group: bool = False
    outcomes: tuple[Outcome, ...] = (Outcome.JOBS,)


_MACHINE_OUTCOMES = (Outcome.MACHINES, Outcome.PRODUCTION_VALUE, Outcome.JOBS, Outcome.AVERAGE_INCOME)
_TRAINING_OUTCOMES = (Outcome.TRAINED, Outcome.JOBS)
_MARKET_OUTCOMES = (Outcome.PRODUCTION_VALUE, Outcome.JOBS)

CONTENT_PLANS: dict[str, ContentPlan] = {
    "ND45-4.1": ContentPlan("Đào tạo nghề {craft} cho lao động nông thôn tại {commune}", "training",
                            (80 * _M, 300 * _M), (70, 100), 140, True, _TRAINING_OUTCOMES),
    "ND45-4.2.a": ContentPlan("Tập huấn nâng cao năng lực quản lý cho cơ sở công nghiệp nông thôn tỉnh {province}",
                              "training", (60 * _M, 200 * _M), (80, 100), 25, True, _TRAINING_OUTCOMES),
    "ND45-4.2.b": ContentPlan("Hội thảo nâng cao nhận thức áp dụng sản xuất sạch hơn tại tỉnh {province}", "event",
                              (50 * _M, 150 * _M), (90, 100), 10, True),
    "ND45-4.2.c": ContentPlan("Tham quan, học tập kinh nghiệm phát triển nghề {craft} trong nước", "trip",
                              (80 * _M, 250 * _M), (70, 100), 10, True),
    "ND45-4.2.d": ContentPlan("Khảo sát, học tập kinh nghiệm ở nước ngoài về sản xuất {product}", "trip",
                              (300 * _M, 900 * _M), (60, 100), 6, True),
    "ND45-4.2.e": ContentPlan("Hỗ trợ khởi sự, thành lập doanh nghiệp sản xuất công nghiệp nông thôn tại {commune}",
                              "consulting", (40 * _M, 120 * _M), (70, 100), 6, True),
    "ND45-4.2.f": ContentPlan("Hội thảo xúc tiến thương mại sản phẩm {product} năm {year}", "event",
                              (80 * _M, 250 * _M), (80, 100), 8, True, _MARKET_OUTCOMES),
    "ND45-4.2.g": ContentPlan("Hỗ trợ quảng bá, bán hàng trực tuyến sản phẩm {product} của {name}", "ecommerce",
                              (40 * _M, 150 * _M), (50, 70), 14, True, _MARKET_OUTCOMES),
    "ND45-4.2.h": ContentPlan("Khai thác thông tin thị trường xuất khẩu sản phẩm {product}", "consulting",
                              (50 * _M, 150 * _M), (60, 100), 4, True, _MARKET_OUTCOMES),
    "ND45-4.3.a": ContentPlan("Xây dựng mô hình trình diễn kỹ thuật sản xuất {product} tại {name}", "model",
                              (800 * _M, 4000 * _M), (20, 30), 70, False, _MACHINE_OUTCOMES),
    "ND45-4.3.b": ContentPlan("Mô hình cơ sở công nghiệp nông thôn hoạt động hiệu quả cần nhân rộng: {name}", "model",
                              (200 * _M, 800 * _M), (20, 30), 12, False, _MACHINE_OUTCOMES),
    "ND45-4.3.c": ContentPlan("Mô hình thí điểm áp dụng sản xuất sạch hơn tại {name}", "model",
                              (400 * _M, 2000 * _M), (20, 30), 14, False, _MACHINE_OUTCOMES),
    "ND45-4.3.d": ContentPlan("Hỗ trợ ứng dụng máy móc thiết bị tiên tiến vào sản xuất {product} tại {name}",
                              "machine", (150 * _M, 1200 * _M), (30, 50), 250, True, _MACHINE_OUTCOMES),
    "ND45-4.3.e": ContentPlan("Hỗ trợ đầu tư dây chuyền công nghệ sản xuất {product} tại {name}", "machine",
                              (600 * _M, 2500 * _M), (30, 50), 50, False, _MACHINE_OUTCOMES),
    "ND45-4.3.f": ContentPlan("Chuyển giao công nghệ sản xuất {product} cho {name}", "machine",
                              (200 * _M, 900 * _M), (30, 50), 15, False, _MACHINE_OUTCOMES),
    "ND45-4.3.g": ContentPlan("Tư vấn, đánh giá sản xuất sạch hơn tại {name}", "consulting",
                              (60 * _M, 200 * _M), (50, 70), 12, False, _MARKET_OUTCOMES),
    "ND45-4.4.b": ContentPlan("Tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu tỉnh {province} năm {year}",
                              "event", (150 * _M, 400 * _M), (90, 100), 6, True),
    "ND45-4.4.c": ContentPlan("Tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp khu vực năm {year}",
                              "event", (150 * _M, 300 * _M), (80, 100), 3, True),
    "ND45-4.4.d": ContentPlan("Tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp quốc gia năm {year}",
                              "event", (300 * _M, 600 * _M), (80, 100), 2, True),
    "ND45-4.4.e": ContentPlan("Tổ chức hội chợ hàng công nghiệp nông thôn tiêu biểu tỉnh {province} năm {year}",
                              "fair", (500 * _M, 2000 * _M), (60, 100), 12, True, _MARKET_OUTCOMES),
    "ND45-4.4.f": ContentPlan("Hỗ trợ cơ sở công nghiệp nông thôn tham gia hội chợ, triển lãm trong nước năm {year}",
                              "fair", (150 * _M, 600 * _M), (60, 80), 40, True, _MARKET_OUTCOMES),
    "ND45-4.4.g": ContentPlan("Hỗ trợ cơ sở công nghiệp nông thôn tham gia hội chợ, triển lãm ở nước ngoài năm {year}",
                              "fair", (600 * _M, 2500 * _M), (60, 100), 15, True, _MARKET_OUTCOMES),
    "ND45-4.4.h": ContentPlan("Hỗ trợ xây dựng, đăng ký nhãn hiệu {product} cho {name}", "trademark",
                              (30 * _M, 120 * _M), (50, 70), 80, True, (Outcome.TRADEMARKS, Outcome.PRODUCTION_VALUE)),
    "ND45-4.4.i": ContentPlan("Hỗ trợ xây dựng phòng trưng bày giới thiệu sản phẩm tại {name}", "showroom",
                              (100 * _M, 500 * _M), (30, 50), 25, False, _MARKET_OUTCOMES),
    "ND45-4.4.j": ContentPlan("Nâng cấp phòng trưng bày sản phẩm công nghiệp nông thôn tiêu biểu tỉnh {province}",
                              "showroom", (300 * _M, 900 * _M), (50, 100), 5, True, _MARKET_OUTCOMES),
    "ND45-4.4.k": ContentPlan("Hỗ trợ cơ sở công nghiệp nông thôn tham gia sàn giao dịch thương mại điện tử năm {year}",
                              "ecommerce", (80 * _M, 300 * _M), (50, 80), 8, True, _MARKET_OUTCOMES),
    "ND45-4.5.a": ContentPlan("Tư vấn lập dự án đầu tư, marketing cho {name}", "consulting",
                              (40 * _M, 150 * _M), (50, 70), 12, True, _MARKET_OUTCOMES),
    "ND45-4.5.b": ContentPlan("Tư vấn quản lý sản xuất, tài chính, kế toán cho {name}", "consulting",
                              (40 * _M, 120 * _M), (50, 70), 8, True, _MARKET_OUTCOMES),
    "ND45-4.5.c": ContentPlan("Tư vấn liên doanh, liên kết trong sản xuất {product} cho {name}", "consulting",
                              (40 * _M, 120 * _M), (50, 70), 5, True, _MARKET_OUTCOMES),
    "ND45-4.5.d": ContentPlan("Tư vấn thiết kế mẫu mã, bao bì sản phẩm {product} cho {name}", "consulting",
                              (40 * _M, 150 * _M), (50, 70), 15, True, _MARKET_OUTCOMES),
    "ND45-4.5.e": ContentPlan("Tư vấn ứng dụng công nghệ, thiết bị mới trong sản xuất {product} cho {name}",
                              "consulting", (50 * _M, 150 * _M), (50, 70), 8, True, _MARKET_OUTCOMES),
    "ND45-4.5.f": ContentPlan("Tư vấn tiếp cận chính sách ưu đãi cho cơ sở công nghiệp nông thôn tỉnh {province}",
                              "consulting", (40 * _M, 120 * _M), (70, 100), 4, True, _MARKET_OUTCOMES),
    "ND45-4.6.a": ContentPlan("Xây dựng chương trình truyền hình về hoạt động khuyến công tỉnh {province} năm {year}",
                              "media", (100 * _M, 400 * _M), (100, 100), 10, True),
    "ND45-4.6.b": ContentPlan("Xuất bản bản tin khuyến công tỉnh {province} năm {year}", "media",
                              (50 * _M, 200 * _M), (100, 100), 6, True),
    "ND45-4.6.c": ContentPlan("Cập nhật cơ sở dữ liệu, trang thông tin điện tử khuyến công tỉnh {province}", "media",
                              (50 * _M, 200 * _M), (100, 100), 4, True),
    "ND45-4.6.d": ContentPlan("In tờ gấp tuyên truyền chính sách khuyến công năm {year}", "media",
                              (30 * _M, 100 * _M), (100, 100), 4, True),
    "ND45-4.7.a": ContentPlan("Hỗ trợ thành lập hội nghề {craft} tỉnh {province}", "consulting",
                              (60 * _M, 200 * _M), (30, 50), 3, True),
    "ND45-4.7.b": ContentPlan("Xây dựng cụm liên kết doanh nghiệp ngành {craft} tỉnh {province}", "consulting",
                              (100 * _M, 400 * _M), (30, 50), 3, True, _MARKET_OUTCOMES),
    "ND45-4.7.c": ContentPlan("Lập quy hoạch chi tiết cụm công nghiệp {commune}", "planning",
                              (400 * _M, 1200 * _M), (40, 50), 4, True),
    "ND45-4.7.d": ContentPlan("Hỗ trợ đầu tư xây dựng hạ tầng cụm công nghiệp {commune}", "infrastructure",
                              (5000 * _M, 20000 * _M), (30, 60), 8, True, (Outcome.JOBS, Outcome.PRODUCTION_VALUE)),
    "ND45-4.7.g": ContentPlan("Sửa chữa, nâng cấp hệ thống xử lý nước thải cụm công nghiệp {commune}", "machine",
                              (1000 * _M, 5000 * _M), (20, 30), 4, True),
    "ND45-4.7.h": ContentPlan("Hỗ trợ xử lý ô nhiễm môi trường tại {name}", "machine",
                              (300 * _M, 1200 * _M), (20, 30), 6, False),
    "ND45-4.8.b": ContentPlan("Trao đổi kinh nghiệm về khuyến công, sản xuất sạch hơn với nước ngoài năm {year}",
                              "trip", (200 * _M, 600 * _M), (80, 100), 2, True),
    "ND45-4.9.a": ContentPlan("Tập huấn nghiệp vụ cho cán bộ làm công tác khuyến công năm {year}", "training",
                              (60 * _M, 200 * _M), (100, 100), 6, True, (Outcome.TRAINED,)),
    "ND45-4.9.b": ContentPlan("Hội nghị tổng kết công tác khuyến công tỉnh {province} năm {year}", "event",
                              (50 * _M, 150 * _M), (100, 100), 4, True),
    "ND45-4.9.e": ContentPlan("Kiểm tra, giám sát thực hiện đề án khuyến công năm {year}", "event",
                              (30 * _M, 100 * _M), (100, 100), 3, True),
}

#: Budget line templates per kind: (item, unit, min quantity, max quantity, min price, max price, weight of cost).
BUDGET_ITEMS: dict[str, tuple[tuple[str, str, int, int, int, int], ...]] = {
    "training": (
        ("Thù lao giảng viên", "buổi", 20, 60, 400_000, 800_000),
        ("Tài liệu học tập", "bộ", 25, 35, 50_000, 150_000),
        ("Nguyên vật liệu thực hành", "lớp", 1, 1, 10 * _M, 60 * _M),
        ("Hỗ trợ tiền ăn cho học viên", "người-ngày", 500, 1500, 30_000, 60_000),
        ("Thuê hội trường, thiết bị giảng dạy", "ngày", 20, 60, 1 * _M, 3 * _M),
        ("Khai giảng, bế giảng, cấp chứng chỉ", "lớp", 1, 1, 5 * _M, 15 * _M),
    ),
    "event": (
        ("Thuê hội trường, âm thanh, ánh sáng", "ngày", 1, 3, 10 * _M, 40 * _M),
        ("Tài liệu, văn phòng phẩm", "bộ", 100, 300, 50_000, 150_000),
        ("Thù lao báo cáo viên, chuyên gia", "người", 3, 10, 1 * _M, 3 * _M),
        ("Tuyên truyền, đưa tin", "gói", 1, 1, 10 * _M, 50 * _M),
        ("Chi phí tổ chức, hậu cần", "gói", 1, 1, 10 * _M, 60 * _M),
    ),
    "trip": (
        ("Vé máy bay, phương tiện đi lại", "người", 10, 25, 3 * _M, 25 * _M),
        ("Thuê phòng nghỉ", "người-đêm", 30, 120, 400_000, 1_500_000),
        ("Phiên dịch, hướng dẫn", "ngày", 3, 8, 2 * _M, 5 * _M),
        ("Chi phí làm việc với đơn vị tiếp đón", "gói", 1, 1, 10 * _M, 40 * _M),
    ),
    "consulting": (
        ("Thù lao chuyên gia tư vấn", "ngày công", 20, 80, 1 * _M, 2 * _M),
        ("Khảo sát, đánh giá hiện trạng", "lần", 1, 3, 5 * _M, 20 * _M),
        ("Xây dựng báo cáo, tài liệu hướng dẫn", "bộ", 1, 2, 10 * _M, 30 * _M),
        ("Hội thảo góp ý", "lần", 1, 2, 10 * _M, 25 * _M),
    ),
    "ecommerce": (
        ("Xây dựng gian hàng trên sàn thương mại điện tử", "gian hàng", 1, 10, 5 * _M, 15 * _M),
        ("Chụp ảnh, quay video giới thiệu sản phẩm", "gói", 1, 1, 10 * _M, 40 * _M),
        ("Quảng cáo trực tuyến", "tháng", 3, 12, 3 * _M, 10 * _M),
        ("Tập huấn bán hàng trực tuyến", "lớp", 1, 2, 10 * _M, 30 * _M),
    ),
    "model": (
        ("Nhà xưởng, cải tạo mặt bằng sản xuất", "m²", 100, 600, 1_500_000, 4 * _M),
        ("Tài liệu quy trình công nghệ", "bộ", 1, 1, 15 * _M, 50 * _M),
        ("Hội nghị đầu bờ giới thiệu mô hình", "lần", 1, 2, 20 * _M, 50 * _M),
    ),
    "machine": (),  # the machines of the beneficiary's sector
    "trademark": (
        ("Thiết kế logo, nhãn hiệu", "bộ", 1, 1, 10 * _M, 30 * _M),
        ("Lệ phí đăng ký bảo hộ nhãn hiệu", "nhãn hiệu", 1, 3, 3 * _M, 8 * _M),
        ("Thiết kế, in bao bì mẫu", "mẫu", 1, 5, 5 * _M, 15 * _M),
        ("Tư vấn hồ sơ đăng ký nhãn hiệu", "bộ", 1, 1, 5 * _M, 20 * _M),
    ),
    "fair": (
        ("Thuê gian hàng tiêu chuẩn", "gian", 10, 60, 10 * _M, 25 * _M),
        ("Thiết kế, dàn dựng, trang trí gian hàng", "gian", 10, 60, 3 * _M, 10 * _M),
        ("Vận chuyển hàng hóa trưng bày", "chuyến", 2, 10, 5 * _M, 20 * _M),
        ("Tuyên truyền, quảng bá", "gói", 1, 1, 20 * _M, 80 * _M),
        ("Khai mạc, hội thảo bên lề", "gói", 1, 1, 20 * _M, 100 * _M),
    ),
    "showroom": (
        ("Cải tạo phòng trưng bày", "m²", 30, 200, 1_500_000, 3 * _M),
        ("Kệ, tủ trưng bày sản phẩm", "bộ", 5, 30, 3 * _M, 12 * _M),
        ("Thiết bị chiếu sáng, màn hình giới thiệu", "bộ", 1, 5, 10 * _M, 40 * _M),
    ),
    "media": (
        ("Sản xuất phóng sự truyền hình", "phóng sự", 4, 12, 10 * _M, 30 * _M),
        ("Biên tập, in bản tin", "cuốn", 500, 2000, 20_000, 60_000),
        ("In tờ gấp", "tờ", 2000, 10000, 3_000, 8_000),
        ("Cập nhật cơ sở dữ liệu, trang thông tin điện tử", "gói", 1, 1, 20 * _M, 80 * _M),
    ),
    "planning": (
        ("Khảo sát địa hình, địa chất", "ha", 20, 75, 5 * _M, 12 * _M),
        ("Lập đồ án quy hoạch chi tiết tỷ lệ 1/500", "đồ án", 1, 1, 200 * _M, 600 * _M),
        ("Thẩm định, công bố quy hoạch", "gói", 1, 1, 20 * _M, 60 * _M),
    ),
    "infrastructure": (
        ("San lấp mặt bằng", "m³", 20000, 150000, 40_000, 90_000),
        ("Đường giao thông nội bộ", "m", 500, 3000, 2 * _M, 5 * _M),
        ("Hệ thống cấp nước, thoát nước", "hệ thống", 1, 1, 800 * _M, 3000 * _M),
    ),
}

#: Machine supplier and training partner names (partner units).
PARTNER_UNITS = {
    "machine": ("Công ty Cổ phần Thiết bị công nghiệp", "Công ty TNHH Máy và Thiết bị",
                "Công ty TNHH Cơ khí chính xác"),
    "model": ("Viện Nghiên cứu Cơ khí", "Công ty Cổ phần Chuyển giao công nghệ", "Viện Công nghệ Môi trường"),
    "training": ("Trường Cao đẳng Nghề", "Trung tâm Giáo dục nghề nghiệp", "Hội Nghề nghiệp"),
    "consulting": ("Công ty TNHH Tư vấn Quản lý", "Viện Nghiên cứu Chiến lược, Chính sách Công Thương",
                   "Công ty Cổ phần Tư vấn Phát triển"),
}

NECESSITY = (
    "Cơ sở đang sản xuất bằng thiết bị thủ công, năng suất thấp, chất lượng sản phẩm chưa đồng đều.",
    "Sản phẩm có thị trường ổn định nhưng năng lực sản xuất chưa đáp ứng đơn hàng.",
    "Lao động nông thôn tại địa phương thiếu kỹ năng nghề, thu nhập thấp và thiếu ổn định.",
    "Sản phẩm chưa có nhãn hiệu, mẫu mã bao bì đơn giản nên khó tiếp cận thị trường.",
    "Nghề truyền thống của địa phương cần được duy trì và phát triển gắn với du lịch.",
)
OBJECTIVES = (
    "Nâng cao năng suất, chất lượng sản phẩm và sức cạnh tranh của cơ sở.",
    "Tạo việc làm ổn định, tăng thu nhập cho lao động nông thôn.",
    "Mở rộng thị trường tiêu thụ trong nước và xuất khẩu.",
    "Giảm tiêu hao nguyên liệu, năng lượng và ô nhiễm môi trường.",
    "Nhân rộng mô hình sản xuất hiệu quả ra các cơ sở trong vùng.",
)
EFFECTIVENESS = (
    "Năng suất tăng khoảng 30%, giá thành sản phẩm giảm 10–15%.",
    "Tạo việc làm thường xuyên cho lao động địa phương với thu nhập ổn định.",
    "Sản phẩm được thị trường chấp nhận, doanh thu của cơ sở tăng rõ rệt.",
    "Giảm phát thải, cải thiện môi trường làm việc của người lao động.",
)
RETURN_REASONS = (
    "Bổ sung dự toán chi tiết và báo giá thiết bị.",
    "Hồ sơ thiếu bản cam kết bố trí vốn đối ứng của cơ sở.",
    "Làm rõ phương án tiêu thụ sản phẩm sau hỗ trợ.",
    "Điều chỉnh lại kinh phí đề nghị hỗ trợ cho phù hợp mức hỗ trợ tối đa.",
)
CANCEL_REASONS = (
    "Cơ sở thụ hưởng rút hồ sơ do không bố trí được vốn đối ứng.",
    "Cơ sở chuyển hướng sản xuất, không còn nhu cầu hỗ trợ.",
    "Trùng nội dung với đề án đã được hỗ trợ từ nguồn kinh phí khác.",
)
STOP_REASONS = (
    "Cơ sở thụ hưởng tạm ngừng sản xuất kinh doanh.",
    "Cơ sở không thực hiện đúng cam kết đối ứng kinh phí.",
    "Thiên tai làm hư hỏng nhà xưởng, không thể tiếp tục thực hiện.",
)
FAIL_CONCLUSIONS = (
    "Đề án chưa đạt yêu cầu: dự toán chưa hợp lý, hiệu quả chưa thuyết phục.",
    "Đề án không đạt: năng lực đối ứng của cơ sở thụ hưởng chưa được chứng minh.",
)
PASS_CONCLUSIONS = (
    "Đề án đạt yêu cầu, đề nghị phê duyệt.",
    "Đề án đạt yêu cầu; đề nghị đơn vị hoàn thiện hồ sơ theo góp ý của Hội đồng.",
)
CONFLICT_NOTES = (
    "Có quan hệ họ hàng với chủ cơ sở thụ hưởng.",
    "Tham gia tư vấn xây dựng hồ sơ đề án.",
)
EXTERNAL_MEMBERS = (
    ("Phó Giám đốc Sở Công Thương", MALE_GIVEN), ("Trưởng phòng Quản lý công nghiệp", FEMALE_GIVEN),
    ("Đại diện Sở Tài chính", MALE_GIVEN), ("Chuyên gia, Trường Đại học Kỹ thuật Công nghiệp", MALE_GIVEN),
    ("Đại diện Liên minh Hợp tác xã tỉnh", FEMALE_GIVEN),
)
ACCEPTANCE_PLACES = ("Tại cơ sở thụ hưởng", "Tại nơi thực hiện đề án", "Phòng họp Trung tâm Khuyến công")

"""The "Danh mục & cài đặt" screen (administrator): users and roles, support rules, criteria templates, sectors,
the letterhead and the advance share."""

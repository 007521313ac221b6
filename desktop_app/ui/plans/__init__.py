"""The year's plan screen (kế hoạch năm)."""

"""The "Báo cáo" screen."""

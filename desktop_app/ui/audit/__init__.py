"""The audit-log viewer (nhật ký thay đổi)."""

"""The councils screen (hội đồng thẩm định và nghiệm thu)."""

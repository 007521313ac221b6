"""Thẩm định: the council, score sheets and the conclusion."""

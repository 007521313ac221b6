"""Quản lý đề án khuyến công — desktop program for provincial industrial-promotion centres."""

__version__ = "0.1.0"
APP_NAME = "Quản lý đề án khuyến công"

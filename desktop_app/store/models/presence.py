"""Who has which record open right now: one row per open editor, kept fresh by a heartbeat.

It informs ("Lê Thị Bé cũng đang mở đề án này") and locks nothing; a row whose heartbeat stopped (the program
was killed, the network dropped) is ignored after a while and removed by the next editor that opens.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.store.base import Base, UTCDateTime, utcnow


class Presence(Base):
    __tablename__ = "presence"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(40), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_presence_entity_entity_id", "entity", "entity_id"),)

"""``python -m desktop_app`` does what ``khuyencong`` does."""

from desktop_app.launcher import run

run()

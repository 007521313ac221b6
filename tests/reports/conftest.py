"""Fixtures of the report tests: the letterhead and a settled proposal's file, as records (no database)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # report_records, shared with the test modules of this folder

from report_records import ORGANISATION, build_file

from desktop_app.reports.pdf.layout import Letterhead
from desktop_app.reports.pdf.records import ProposalFile


@pytest.fixture
def letterhead() -> Letterhead:
    return Letterhead.of(ORGANISATION)


@pytest.fixture
def proposal_file() -> ProposalFile:
    return build_file()

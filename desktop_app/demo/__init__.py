"""Demo data for trying the program out and for measuring it: ``khuyencong demo`` fills a database with
realistic establishments and proposals in every state (see :mod:`desktop_app.demo.service`).

The generator writes the tables directly, above the store and beside the services: only the command line and
the tools use it (tests/test_architecture.py).
"""

from desktop_app.demo.common import CENTRE_PROVINCES, DEMO_PASSWORD, MAX_ESTABLISHMENTS, MAX_PROPOSALS
from desktop_app.demo.implementation import acceptance_conclusion
from desktop_app.demo.service import DemoService, fill_new_database
from desktop_app.demo.text import parse_number

__all__ = ["CENTRE_PROVINCES", "DEMO_PASSWORD", "MAX_ESTABLISHMENTS", "MAX_PROPOSALS", "DemoService",
           "acceptance_conclusion", "fill_new_database", "parse_number"]

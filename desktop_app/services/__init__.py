"""Use cases: the only door to data for the GUI and the CLI.

Every call takes the acting user, checks the role, runs in one transaction, validates with the domain, writes
the audit entry and returns plain frozen dataclasses (never ORM objects).
"""

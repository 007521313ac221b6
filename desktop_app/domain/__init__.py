"""Pure business rules: no Qt, no database. Everything here is unit-tested without a window or a DB."""

"""Giải ngân: contract, advances and payments, progress, liquidation and settlement."""

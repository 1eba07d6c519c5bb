"""Credo: customer, credit and receivables management."""

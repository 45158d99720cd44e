"""Figures and reports computed from the record."""

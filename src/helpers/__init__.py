"""Helpers for the analysis of inspections of services for children in Scotland."""

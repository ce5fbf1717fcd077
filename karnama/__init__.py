"""Karnama (کارنما): a Persian-first KPI dashboard for Behzisti Khorasan Razavi's employment deputy."""

__version__ = "0.1.0"

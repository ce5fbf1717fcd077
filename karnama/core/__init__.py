"""Foundations every layer reads: the data model, counties, Persian text and formatting, settings, paths.

Imports nothing else of karnama (and never streamlit)."""

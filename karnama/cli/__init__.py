"""``python -m karnama <command>``: main.py holds the parser; users, importer and exports add their commands."""

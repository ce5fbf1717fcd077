"""Accounts, roles, county scopes, failed-login limits and the hash-chained audit log. No streamlit."""

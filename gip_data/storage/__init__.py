"""Persistence of parsed reports (SQLite by default, PostgreSQL when configured)."""

"""Persistence for Offerbound: SQLAlchemy models, tenant-scoped repositories and migrations."""

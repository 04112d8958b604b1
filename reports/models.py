"""Archived documents, uploads and the distribution register (see reports.services)."""

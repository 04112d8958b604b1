from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Printed documents, archive and verification, uploads, distribution, overview."""

    name = "reports"
    verbose_name = "Dokumen & Laporan"

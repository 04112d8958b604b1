from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    """Proposals (usulan) from desa/kelurahan to the kecamatan."""

    name = "proposals"
    verbose_name = "Usulan"

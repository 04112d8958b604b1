from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    """Proposals (usulan) from desa/kelurahan to the kecamatan."""

    name = "proposals"
    verbose_name = "Usulan"

    def ready(self) -> None:
        from musrenbang.context_processors import add_menu
        from proposals import panels, rules  # noqa: F401 - registers permissions and panels

        village, intake = "proposals.use_village_list", "proposals.use_intake"
        add_menu(order=20, perm=village, label="Usulan Desa", url_name="proposals:village_list")
        add_menu(order=20, perm=intake, label="Usulan Masuk", url_name="proposals:incoming")
        add_menu(order=21, perm=intake, label="Rekap", url_name="proposals:rekap")
        add_menu(order=22, perm=intake, label="Impor", url_name="proposals:import")
        add_menu(order=23, perm=intake, label="Impor SIPD", url_name="proposals:import_sipd")

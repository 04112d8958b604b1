from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class MusrenbangConfig(AppConfig):
    """Shared master data (regions, agencies, sectors, years), users and roles."""

    name = "musrenbang"
    verbose_name = "Data Induk"

    def ready(self) -> None:
        from musrenbang.context_processors import add_menu, own_regency

        add_menu(order=0, perm=None, label="Beranda", url_name="home")
        add_menu(
            order=90,
            perm="musrenbang.view_regency_overview",
            obj=own_regency,
            label="Admin",
            url_name="admin:index",
        )


class MusrenbangAdminConfig(AdminConfig):
    """The Django admin, with the site that scopes Bappeda admins to their kabupaten/kota."""

    default_site = "musrenbang.admin_scoping.BappedaAdminSite"

from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class MusrenbangConfig(AppConfig):
    """Shared master data (regions, agencies, sectors, years), users and roles."""

    name = "musrenbang"
    verbose_name = "Data Induk"

    def ready(self) -> None:
        from musrenbang.context_processors import add_menu

        every_role = {"bappeda", "camat", "staf", "operator", "opd", "superuser"}
        add_menu(order=0, roles=every_role, label="Beranda", url_name="home")
        add_menu(order=90, roles={"bappeda", "superuser"}, label="Admin", url_name="admin:index")


class MusrenbangAdminConfig(AdminConfig):
    """The Django admin, with the site that scopes Bappeda admins to their kabupaten/kota."""

    default_site = "musrenbang.admin_scoping.BappedaAdminSite"

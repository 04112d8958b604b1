"""Django admin for Bappeda: every admin page is scoped to the admin's kabupaten/kota.

Bappeda admins are staff users with role ``bappeda``; they get view/add/change/delete on the
models registered with ``RegencyScopedAdmin`` without Django model permissions, and only for
rows of their own kabupaten/kota. Superusers see everything. Other roles never reach the admin.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet

from musrenbang.models import Role


def is_bappeda_staff(user) -> bool:
    return user.is_active and user.is_staff and user.role == Role.BAPPEDA


class BappedaAdminSite(admin.AdminSite):
    site_header = "Musrenbang: Administrasi Bappeda"
    site_title = "Admin Musrenbang"
    index_title = "Data induk dan pengaturan"

    def has_permission(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or is_bappeda_staff(user))

    def get_urls(self):
        """Django's URLs, with "view on site" (``r/<ct>/<id>/``) scoped like the rest."""
        from django.urls import path

        urls = [u for u in super().get_urls() if getattr(u, "name", None) != "view_on_site"]
        scoped = path(
            "r/<int:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [scoped, *urls]

    def view_on_site(self, request, content_type_id, object_id):
        """Redirect to an object's page only if its admin would show the object to this user.

        Django's own shortcut looks the object up across every kabupaten; here the object
        must be in the queryset of its registered admin (scoped by ``RegencyScopedAdmin``)
        and viewable, otherwise 404 as for an unknown object.
        """
        from django.contrib.contenttypes import views as contenttype_views
        from django.contrib.contenttypes.models import ContentType
        from django.http import Http404

        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist as error:
            raise Http404("Jenis data tidak dikenal.") from error
        model_admin = self._registry.get(model)
        if model_admin is None and not request.user.is_superuser:
            raise Http404("Data tidak ditemukan.")
        if model_admin is not None:
            obj = model_admin.get_object(request, object_id)
            if obj is None or not model_admin.has_view_permission(request, obj):
                raise Http404("Data tidak ditemukan.")
        return contenttype_views.shortcut(request, content_type_id, object_id)


class RegencyScopedAdmin(admin.ModelAdmin):
    """Scope rows, choices and permissions to the Bappeda admin's kabupaten/kota.

    ``regency_path`` is the ORM path from the model to ``Regency`` (``"regency"``,
    ``"subdistrict__regency"``, ...). ``None`` marks a model shared by every kabupaten,
    which Bappeda may read but only a superuser may change.
    """

    regency_path: str | None = "regency"
    # Subclasses set this False for rows that a Bappeda admin may only read.
    bappeda_can_write = True

    def get_queryset(self, request) -> QuerySet:
        qs = super().get_queryset(request)
        user = request.user
        if user.is_superuser or self.regency_path is None:
            return qs
        return qs.filter(**{f"{self.regency_path}_id": user.regency_id})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        user = request.user
        if not user.is_superuser and field is not None:
            scoped = scope_queryset(field.queryset, user.regency_id)
            if scoped is not None:
                field.queryset = scoped
        return field

    def _in_scope(self, request, obj: Model | None) -> bool:
        user = request.user
        if user.is_superuser:
            return True
        if not is_bappeda_staff(user):
            return False
        if obj is None or self.regency_path is None:
            return True
        value = obj
        for part in self.regency_path.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return False
        return value.pk == user.regency_id

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser or is_bappeda_staff(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._in_scope(request, obj)

    def has_add_permission(self, request) -> bool:
        if request.user.is_superuser:
            return True
        return (
            self.bappeda_can_write
            and self.regency_path is not None
            and self._in_scope(request, None)
        )

    def has_change_permission(self, request, obj=None) -> bool:
        if request.user.is_superuser:
            return True
        return (
            self.bappeda_can_write
            and self.regency_path is not None
            and self._in_scope(request, obj)
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        # Safety net: whatever the form offered, a row outside the kabupaten is never saved.
        if not self._in_scope(request, obj):
            raise PermissionDenied("Data ini bukan milik kabupaten/kota Anda.")
        super().save_model(request, obj, form, change)


def scope_queryset(qs: QuerySet, regency_id: int | None) -> QuerySet | None:
    """Return ``qs`` limited to one kabupaten/kota when its model has a known path."""
    from musrenbang.models import Agency, Regency, Subdistrict, Village

    model = qs.model
    paths = {
        Regency: "pk",
        Subdistrict: "regency_id",
        Village: "subdistrict__regency_id",
        Agency: "regency_id",
    }
    path = paths.get(model)
    names = {f.name for f in model._meta.get_fields()}
    for field, candidate in [
        ("regency", "regency_id"),
        ("subdistrict", "subdistrict__regency_id"),
        ("village", "village__subdistrict__regency_id"),
        ("forum", "forum__subdistrict__regency_id"),
        ("item", "item__forum__subdistrict__regency_id"),
        ("proposal", "proposal__subdistrict__regency_id"),
        ("agency", "agency__regency_id"),
    ]:
        if path is None and field in names:
            path = candidate
    if path is None:
        return None
    return qs.filter(**{path: regency_id})

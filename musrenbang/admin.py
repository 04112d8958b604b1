from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from musrenbang.admin_scoping import RegencyScopedAdmin
from musrenbang.models import (
    Agency,
    BudgetCeiling,
    DevelopmentPriority,
    PlanningYear,
    Regency,
    Role,
    Sector,
    Subdistrict,
    Unit,
    User,
    Village,
)


@admin.register(Regency)
class RegencyAdmin(RegencyScopedAdmin):
    regency_path = None
    list_display = ["code", "name", "kind", "province_name"]
    search_fields = ["code", "name"]
    list_filter = ["kind"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(pk=request.user.regency_id)

    def has_change_permission(self, request, obj=None):
        # Bappeda keeps its own letterhead, logo and delegate counts.
        if request.user.is_superuser:
            return True
        return obj is None or (self._in_scope(request, None) and obj.pk == request.user.regency_id)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Subdistrict)
class SubdistrictAdmin(RegencyScopedAdmin):
    list_display = ["code", "name", "regency", "camat_name"]
    search_fields = ["code", "name", "camat_name"]
    list_filter = ["regency"]
    list_select_related = ["regency"]


@admin.register(Village)
class VillageAdmin(RegencyScopedAdmin):
    regency_path = "subdistrict__regency"
    list_display = ["code", "name", "kind", "subdistrict"]
    search_fields = ["code", "name"]
    list_filter = ["kind", "subdistrict"]
    list_select_related = ["subdistrict"]


@admin.register(Agency)
class AgencyAdmin(RegencyScopedAdmin):
    list_display = ["abbreviation", "name", "regency", "is_active"]
    search_fields = ["name", "abbreviation"]
    list_filter = ["is_active", "regency"]
    list_select_related = ["regency"]


@admin.register(Sector)
class SectorAdmin(RegencyScopedAdmin):
    list_display = ["name", "order", "regency"]
    search_fields = ["name"]
    list_filter = ["regency"]
    list_select_related = ["regency"]


@admin.register(DevelopmentPriority)
class DevelopmentPriorityAdmin(RegencyScopedAdmin):
    list_display = ["name", "order", "year", "regency"]
    search_fields = ["name"]
    list_filter = ["year", "regency"]
    list_select_related = ["regency"]


@admin.register(Unit)
class UnitAdmin(RegencyScopedAdmin):
    regency_path = None
    search_fields = ["name"]


@admin.register(PlanningYear)
class PlanningYearAdmin(RegencyScopedAdmin, SimpleHistoryAdmin):
    list_display = ["year", "regency", "submission_deadline", "forum_start", "forum_end"]
    list_filter = ["year", "regency"]
    list_select_related = ["regency"]


@admin.register(BudgetCeiling)
class BudgetCeilingAdmin(RegencyScopedAdmin, SimpleHistoryAdmin):
    regency_path = "subdistrict__regency"
    list_display = ["subdistrict", "year", "amount"]
    list_filter = ["year"]
    search_fields = ["subdistrict__name"]
    list_select_related = ["subdistrict"]


@admin.register(User)
class UserAdmin(RegencyScopedAdmin, BaseUserAdmin):
    list_display = ["username", "first_name", "role", "regency", "subdistrict", "village", "agency"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "first_name", "last_name", "nip"]
    list_select_related = ["regency", "subdistrict", "village", "agency"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Data diri", {"fields": ["first_name", "last_name", "email", "nip", "position", "phone"]}),
        ("Peran", {"fields": ["role", "regency", "subdistrict", "village", "agency"]}),
        ("Status", {"fields": ["is_active", "is_staff", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "password1", "password2"]}),
        (
            "Peran",
            {"fields": ["first_name", "role", "regency", "subdistrict", "village", "agency"]},
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        # A Bappeda admin never manages a superuser (nor could reset its password).
        return qs if request.user.is_superuser else qs.filter(is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser and obj is not None:
            fieldsets = [*fieldsets, ("Superuser", {"fields": ["is_superuser"]})]
        return fieldsets

    def save_model(self, request, obj, form, change):
        # A Bappeda admin can only create users inside their kabupaten/kota.
        if not request.user.is_superuser:
            obj.is_superuser = False
            if obj.role == Role.BAPPEDA or not obj.role:
                obj.regency_id = request.user.regency_id
        super().save_model(request, obj, form, change)


from musrenbang import admin_kamus  # noqa: E402, F401  (nomenclature and kamus usulan)

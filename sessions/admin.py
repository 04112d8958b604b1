"""Admin of the forum for Bappeda: agenda templates, and the forums of its kabupaten/kota."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from musrenbang.admin_scoping import RegencyScopedAdmin, scope_queryset
from sessions.locks import ForumLockAdminMixin
from sessions.models import (
    AgendaItem,
    AgendaTemplate,
    AgendaTemplateItem,
    Commission,
    Delegate,
    Forum,
    ForumEvent,
    ForumItem,
    Participant,
    TeamMember,
)


class ParentScopedInline(admin.TabularInline):
    """Inline rows follow the parent admin's scoped permissions (Bappeda has no model perms)."""

    def _parent(self):
        return self.admin_site._registry[self.parent_model]

    def has_view_permission(self, request, obj=None) -> bool:
        return self._parent().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._parent().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        parent = self._parent()
        if obj is None:
            return parent.has_add_permission(request)
        return parent.has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._parent().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and not request.user.is_superuser:
            scoped = scope_queryset(field.queryset, request.user.regency_id)
            if scoped is not None:
                field.queryset = scoped
        return field


class AgendaTemplateItemInline(ParentScopedInline):
    model = AgendaTemplateItem
    extra = 1


class TemplateScopedAdmin(RegencyScopedAdmin):
    """National templates (no kabupaten) are read-only for Bappeda; its own are editable."""

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        from django.db.models import Q

        return qs.filter(Q(regency__isnull=True) | Q(regency_id=request.user.regency_id))

    def _in_scope(self, request, obj):
        if obj is not None and obj.regency_id is None and not request.user.is_superuser:
            return False
        return super()._in_scope(request, obj)

    def has_view_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.regency_id is None:
            return self.has_module_permission(request)
        return super().has_view_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        # Only a superuser keeps national templates; a Bappeda admin's belong to its kabupaten.
        if not request.user.is_superuser:
            obj.regency_id = request.user.regency_id
        super().save_model(request, obj, form, change)


@admin.register(AgendaTemplate)
class AgendaTemplateAdmin(TemplateScopedAdmin):
    list_display = ["name", "regency", "is_default"]
    inlines = [AgendaTemplateItemInline]


class ForumChildInline(ParentScopedInline):
    """Rows of a forum: editable with the forum, read-only once it was sent."""

    extra = 0


class TeamMemberInline(ForumChildInline):
    model = TeamMember


class AgendaItemInline(ForumChildInline):
    model = AgendaItem


class CommissionInline(ForumChildInline):
    model = Commission
    fields = ["order", "name", "sector", "notes"]


# Rules of the apps above the forum that make a field of the forum read-only in the admin
# (scoring: the scoring mode once scores exist), registered from their ``ready()``.
_FROZEN_FIELDS: list = []


def freeze_fields_when(rule) -> None:
    """Register ``rule(forum) -> list of field names`` that the forum admin shows read-only."""
    _FROZEN_FIELDS.append(rule)


@admin.register(Forum)
class ForumAdmin(ForumLockAdminMixin, RegencyScopedAdmin, SimpleHistoryAdmin):
    regency_path = "subdistrict__regency"
    list_display = ["subdistrict", "year", "state", "date", "venue"]
    list_filter = ["state", "year"]
    search_fields = ["subdistrict__name", "venue"]
    readonly_fields = [
        "state",
        "data_loaded_at",
        "started_at",
        "ended_at",
        "sent_at",
        "sent_by",
        "guideline_file",
        "guideline_file_name",
    ]
    inlines = [TeamMemberInline, AgendaItemInline, CommissionInline]

    def _forum_of(self, obj):
        return obj

    def get_readonly_fields(self, request, obj=None):
        # Kecamatan and year identify the forum and its proposals; the scoring mode may not
        # change under the scorers once the criteria are frozen.
        fields = [*super().get_readonly_fields(request, obj), "subdistrict", "year"]
        if obj is not None:
            fields += [name for rule in _FROZEN_FIELDS for name in rule(obj)]
        return fields

    def has_add_permission(self, request) -> bool:
        return False  # a forum is created by its kecamatan (sessions.services.forum_create)


class ForumChildAdmin(ForumLockAdminMixin, RegencyScopedAdmin, SimpleHistoryAdmin):
    regency_path = "forum__subdistrict__regency"
    list_select_related = ["forum__subdistrict"]


@admin.register(Participant)
class ParticipantAdmin(ForumChildAdmin):
    list_display = ["name", "gender", "category", "forum", "present_at", "walk_in"]
    list_filter = ["category", "gender", "walk_in"]
    search_fields = ["name", "institution"]
    readonly_fields = ["present_at"]


@admin.register(ForumItem)
class ForumItemAdmin(ForumChildAdmin):
    list_display = ["proposal", "forum", "commission", "commission_rank", "confirmed"]
    list_select_related = ["forum__subdistrict", "proposal", "commission"]
    raw_id_fields = ["proposal"]

    def has_add_permission(self, request) -> bool:
        return False  # items come from "load data" or a kecamatan addition


@admin.register(Delegate)
class DelegateAdmin(ForumChildAdmin):
    list_display = ["participant", "body", "method", "votes", "elected", "forum"]
    list_select_related = ["participant", "forum__subdistrict"]
    list_filter = ["body", "method", "elected"]
    raw_id_fields = ["participant"]

    def has_add_permission(self, request) -> bool:
        return False  # delegates are elected through sessions.services.delegates_elect


@admin.register(ForumEvent)
class ForumEventAdmin(RegencyScopedAdmin):
    regency_path = "forum__subdistrict__regency"
    bappeda_can_write = False
    list_display = ["at", "forum", "actor", "action", "item", "message"]
    list_filter = ["action"]
    list_select_related = ["forum__subdistrict", "actor", "item__proposal"]
    raw_id_fields = ["item"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

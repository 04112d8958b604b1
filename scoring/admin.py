"""Admin of the scoring app: Bappeda keeps criteria templates; forum rows lock after sending."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from musrenbang.admin_scoping import RegencyScopedAdmin, is_bappeda_staff
from scoring.models import (
    CriteriaTemplate,
    Criterion,
    Result,
    Score,
    Scorer,
    TemplateCriterion,
)
from scoring.services import criteria_frozen
from sessions.locks import ForumLockAdminMixin


class TemplateCriterionInline(admin.TabularInline):
    """Criteria of a template: Bappeda edits them with the template (scoped by the parent)."""

    model = TemplateCriterion
    extra = 0
    fields = ["order", "name", "description", "weight", "scale_min", "scale_max", "levels"]

    def _allowed(self, request) -> bool:
        return request.user.is_superuser or is_bappeda_staff(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._allowed(request)


@admin.register(CriteriaTemplate)
class CriteriaTemplateAdmin(RegencyScopedAdmin):
    list_display = ["name", "year", "regency", "description"]
    list_filter = ["year", "regency"]
    search_fields = ["name"]
    inlines = [TemplateCriterionInline]


class ForumRowAdmin(ForumLockAdminMixin, RegencyScopedAdmin):
    """A row of one forum: scoped to the kabupaten, read-only once the forum was sent."""

    forum_path = "forum"
    regency_path = "forum__subdistrict__regency"


@admin.register(Criterion)
class CriterionAdmin(ForumRowAdmin, SimpleHistoryAdmin):
    list_display = ["name", "forum", "weight", "scale_min", "scale_max", "order"]
    list_filter = ["forum__year"]
    list_select_related = ["forum__subdistrict"]
    search_fields = ["name", "forum__subdistrict__name"]

    def has_change_permission(self, request, obj=None) -> bool:
        # Frozen at the forum's first score, in the admin as on the criteria page.
        if obj is not None and criteria_frozen(forum=obj.forum):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and criteria_frozen(forum=obj.forum):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Scorer)
class ScorerAdmin(ForumRowAdmin):
    list_display = ["user", "forum"]
    list_select_related = ["user", "forum__subdistrict"]
    raw_id_fields = ["user"]


@admin.register(Score)
class ScoreAdmin(ForumRowAdmin, SimpleHistoryAdmin):
    forum_path = "item__forum"
    regency_path = "item__forum__subdistrict__regency"
    list_display = ["item", "criterion", "scorer", "value", "updated_at"]
    list_select_related = ["item__proposal", "criterion", "scorer"]
    raw_id_fields = ["item", "criterion", "scorer"]


@admin.register(Result)
class ResultAdmin(ForumRowAdmin, SimpleHistoryAdmin):
    forum_path = "item__forum"
    regency_path = "item__forum__subdistrict__regency"
    list_display = ["item", "rank", "total", "within_ceiling", "decision", "responsible_agency"]
    list_filter = ["decision", "within_ceiling", "item__forum__year"]
    list_select_related = ["item__proposal", "responsible_agency"]
    raw_id_fields = ["item", "decided_by"]
    readonly_fields = ["averages"]  # written by Hitung with the total, from the scores
    search_fields = ["item__proposal__reference", "item__proposal__title"]

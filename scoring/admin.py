"""Admin of the scoring app: Bappeda keeps criteria templates; forum rows lock after sending."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from musrenbang.admin_scoping import ForumLockAdminMixin, RegencyScopedAdmin
from scoring.models import (
    CriteriaTemplate,
    Criterion,
    Result,
    Score,
    Scorer,
    ScoringEvent,
    TemplateCriterion,
)


class TemplateCriterionInline(admin.TabularInline):
    model = TemplateCriterion
    extra = 0
    fields = ["order", "name", "description", "weight", "scale_min", "scale_max", "levels"]


@admin.register(CriteriaTemplate)
class CriteriaTemplateAdmin(RegencyScopedAdmin):
    list_display = ["name", "year", "regency"]
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
    search_fields = ["item__proposal__reference", "item__proposal__title"]


@admin.register(ScoringEvent)
class ScoringEventAdmin(RegencyScopedAdmin):
    regency_path = "forum__subdistrict__regency"
    bappeda_can_write = False
    list_display = ["at", "forum", "action", "detail", "actor"]
    list_filter = ["action"]
    list_select_related = ["forum__subdistrict", "actor"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

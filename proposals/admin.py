"""Admin of proposals: read-only for Bappeda and superusers.

Every change of a proposal goes through ``proposals.services`` (guards, deadline, forum lock,
audit row), so the admin only shows them; rows of a sent forum are locked in any case.
"""

from django.contrib import admin

from musrenbang.admin_scoping import ForumLockAdminMixin, RegencyScopedAdmin
from proposals.models import Attachment, Proposal, Transition


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "actor", "reason", "public"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    can_delete = False
    fields = ["kind", "original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(ForumLockAdminMixin, RegencyScopedAdmin):
    regency_path = "subdistrict__regency"
    forum_path = "forum_item__forum"
    bappeda_can_write = False
    list_display = ["reference", "title", "village", "subdistrict", "year", "status", "cost"]
    list_filter = ["year", "status", "origin"]
    search_fields = ["reference", "tracking_code", "title", "location"]
    list_select_related = ["village", "subdistrict"]
    inlines = [AttachmentInline, TransitionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

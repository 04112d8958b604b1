"""Admin of proposals: read-only for Bappeda and superusers.

Every change of a proposal goes through ``proposals.services`` (guards, deadline, forum lock,
audit row), so the admin only shows them; rows of a sent forum are locked in any case.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from musrenbang.admin_scoping import RegencyScopedAdmin
from musrenbang.exceptions import DomainError
from proposals.locks import is_year_open
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


class YearLockAdminMixin:
    """Proposals of a closed year (its forum was sent) are read-only in the admin.

    Proposals' own counterpart of ``sessions.locks.ForumLockAdminMixin``: it reads the year's
    ``YearClosure``, not the forum (proposals sit below the forum).
    """

    def _locked(self, obj) -> bool:
        return obj is not None and not is_year_open(
            subdistrict_id=obj.subdistrict_id, year=obj.year
        )

    def has_change_permission(self, request, obj=None) -> bool:
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not self._locked(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        try:
            super().save_model(request, obj, form, change)
        except DomainError as error:  # the lock (the ORM net) or another domain rule
            raise PermissionDenied(str(error)) from error

    def delete_model(self, request, obj) -> None:
        try:
            super().delete_model(request, obj)
        except DomainError as error:
            raise PermissionDenied(str(error)) from error


@admin.register(Proposal)
class ProposalAdmin(YearLockAdminMixin, RegencyScopedAdmin):
    regency_path = "subdistrict__regency"
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

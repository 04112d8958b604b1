"""Read-only admin of the archive, uploads and register: no update path for archived files."""

from django.contrib import admin

from musrenbang.admin_scoping import RegencyScopedAdmin
from reports.models import ArchivedDocument, Distribution, ForumUpload


class ReadOnlyScopedAdmin(RegencyScopedAdmin):
    """Bappeda reads its kabupaten's rows; nobody adds, changes or deletes them here."""

    regency_path = "forum__subdistrict__regency"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ArchivedDocument)
class ArchivedDocumentAdmin(ReadOnlyScopedAdmin):
    list_display = ["title", "subdistrict", "year", "code", "created_at", "created_by"]
    list_filter = ["year"]
    search_fields = ["title", "code", "sha256"]


@admin.register(ForumUpload)
class ForumUploadAdmin(ReadOnlyScopedAdmin):
    list_display = ["caption", "kind", "forum", "original_name", "size", "uploaded_at"]
    list_filter = ["kind"]


@admin.register(Distribution)
class DistributionAdmin(ReadOnlyScopedAdmin):
    list_display = ["number", "forum", "recipient_kind", "agency", "sent_on", "received_by"]

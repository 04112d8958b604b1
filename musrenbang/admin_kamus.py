"""Admin of the nomenclature and the kamus usulan: lists, the two imports with a preview,
and the year rollover. The pages call the services in ``musrenbang.kamus_services``, which
check the permission once; the admin only scopes what it lists."""

import base64

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from musrenbang import kamus_services
from musrenbang.admin_scoping import RegencyScopedAdmin
from musrenbang.exceptions import DomainError
from musrenbang.models import (
    CodeMapping,
    Instrument,
    KamusEntry,
    Nomenclature,
    Regency,
    RegionalTarget,
)
from musrenbang.uploads import read_spreadsheet

SESSION_KEY = "musrenbang_import_preview"


class NomenclatureImportForm(forms.Form):
    file = forms.FileField(label="Berkas Excel (.xlsx)")
    instrument = forms.CharField(
        label="Instrumen", max_length=120, help_text="mis. Kepmendagri 900.1.15.5-3406/2024"
    )
    year = forms.IntegerField(label="Berlaku mulai tahun perencanaan", min_value=2000)


class KamusImportForm(forms.Form):
    file = forms.FileField(label="Berkas Excel (.xlsx)")
    year = forms.IntegerField(label="Tahun perencanaan", min_value=2000)
    regency = forms.ModelChoiceField(label="Kabupaten/kota", queryset=Regency.objects.all())


class KamusCopyForm(forms.Form):
    from_year = forms.IntegerField(label="Dari tahun", min_value=2000)
    to_year = forms.IntegerField(label="Ke tahun", min_value=2000)
    regency = forms.ModelChoiceField(label="Kabupaten/kota", queryset=Regency.objects.all())


def _scoped_regency_field(form, request) -> None:
    if not request.user.is_superuser:
        form.fields["regency"].queryset = Regency.objects.filter(pk=request.user.regency_id)
        form.fields["regency"].initial = request.user.regency_id


def import_page(request, model_admin, *, title: str, form_class, run) -> TemplateResponse:
    """Upload -> preview (a dry run, file kept in the session) -> apply, all or nothing."""
    form = form_class(request.POST or None, request.FILES or None)
    if "regency" in form.fields:
        _scoped_regency_field(form, request)
    result = None
    if request.method == "POST" and request.POST.get("confirm"):
        stored = request.session.pop(SESSION_KEY, None)
        if not stored or stored.get("title") != title:
            messages.error(request, "Pratinjau kedaluwarsa; unggah berkasnya lagi.")
            return redirect(request.path)
        data = base64.b64decode(stored["data"])
        try:
            result = run(data=data, options=stored["options"], dry_run=False)
        except (DomainError, PermissionDenied) as error:
            messages.error(request, str(error))
            return redirect(request.path)
        if result.ok:
            messages.success(request, f"{result.count} baris diimpor.")
            return redirect(
                reverse(
                    f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_changelist"
                )
            )
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.pop("file")
        try:
            data = read_spreadsheet(upload)
        except DomainError as error:
            form.add_error("file", str(error))
        else:
            options = {k: (v.pk if hasattr(v, "pk") else v) for k, v in form.cleaned_data.items()}
            try:
                result = run(data=data, options=options, dry_run=True)
            except (DomainError, PermissionDenied) as error:
                form.add_error(None, str(error))
            else:
                if result.ok:
                    request.session[SESSION_KEY] = {
                        "title": title,
                        "data": base64.b64encode(data).decode(),
                        "options": options,
                    }
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": title,
        "form": form,
        "result": result,
    }
    return TemplateResponse(request, "admin/musrenbang/import_preview.html", context)


@admin.register(Instrument)
class InstrumentAdmin(RegencyScopedAdmin):
    regency_path = None
    list_display = ["name", "first_year"]


@admin.register(Nomenclature)
class NomenclatureAdmin(RegencyScopedAdmin):
    regency_path = None
    list_display = ["code", "name", "level", "instrument", "unit"]
    list_filter = ["instrument", "level"]
    search_fields = ["code", "name"]
    list_select_related = ["instrument"]
    change_list_template = "admin/musrenbang/nomenclature_changelist.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("impor/", view, name="musrenbang_nomenclature_import"), *super().get_urls()]

    def import_view(self, request):
        def run(*, data, options, dry_run):
            return kamus_services.import_nomenclature(
                actor=request.user,
                data=data,
                instrument_name=options["instrument"],
                first_year=options["year"],
                dry_run=dry_run,
            )

        if not request.user.has_perm("musrenbang.manage_nomenclature"):
            raise PermissionDenied
        return import_page(
            request, self, title="Impor nomenklatur", form_class=NomenclatureImportForm, run=run
        )


@admin.register(CodeMapping)
class CodeMappingAdmin(RegencyScopedAdmin):
    regency_path = None
    list_display = ["old_code", "new_code", "instrument"]
    list_filter = ["instrument"]
    search_fields = ["old_code", "new_code"]


@admin.register(RegionalTarget)
class RegionalTargetAdmin(RegencyScopedAdmin):
    regency_path = "priority__regency"
    list_display = ["name", "priority", "order"]
    search_fields = ["name"]
    list_select_related = ["priority"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "priority" and not request.user.is_superuser:
            field.queryset = field.queryset.filter(regency_id=request.user.regency_id)
        return field


@admin.register(KamusEntry)
class KamusEntryAdmin(RegencyScopedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "year", "unit", "unit_price", "agency", "sub_activity", "is_active"]
    list_filter = ["year", "is_active", "kind"]
    search_fields = ["name", "description", "sub_activity__code"]
    list_select_related = ["agency", "sub_activity"]
    autocomplete_fields = ["sub_activity"]
    change_list_template = "admin/musrenbang/kamus_changelist.html"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name in ("priority", "sector") and not request.user.is_superuser:
            field.queryset = field.queryset.filter(regency_id=request.user.regency_id)
        if db_field.name == "target" and not request.user.is_superuser:
            field.queryset = field.queryset.filter(priority__regency_id=request.user.regency_id)
        return field

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("impor/", wrap(self.import_view), name="musrenbang_kamusentry_import"),
            path("salin-tahun/", wrap(self.copy_view), name="musrenbang_kamusentry_copy"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        def run(*, data, options, dry_run):
            return kamus_services.import_kamus(
                actor=request.user,
                data=data,
                regency=Regency.objects.get(pk=options["regency"]),
                year=options["year"],
                dry_run=dry_run,
            )

        return import_page(
            request, self, title="Impor kamus usulan", form_class=KamusImportForm, run=run
        )

    def copy_view(self, request):
        form = KamusCopyForm(request.POST or None)
        _scoped_regency_field(form, request)
        outcome = None
        if request.method == "POST" and form.is_valid():
            try:
                outcome = kamus_services.kamus_copy_year(
                    actor=request.user,
                    regency=form.cleaned_data["regency"],
                    from_year=form.cleaned_data["from_year"],
                    to_year=form.cleaned_data["to_year"],
                )
            except (DomainError, PermissionDenied) as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"{len(outcome.created)} entri kamus disalin.")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Salin kamus usulan ke tahun berikutnya",
            "form": form,
            "outcome": outcome,
        }
        return TemplateResponse(request, "admin/musrenbang/kamus_copy.html", context)

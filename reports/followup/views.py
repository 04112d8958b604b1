"""Pages of the follow-ups: the agency's and the kecamatan's lists, one follow-up, the worklist."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from musrenbang import params
from musrenbang.access import get_for_user, require_perm
from musrenbang.exceptions import DomainError
from musrenbang.models import Agency, Subdistrict
from musrenbang.views_toolkit import run, xlsx_response
from reports.followup import selectors, services, worklist
from reports.followup.forms import (
    FollowUpListParams,
    MilestoneForm,
    MoveForm,
    WorklistUploadForm,
)
from reports.followup.models import MilestoneFile, Stage


def _list(request, *, scope, title, subtitle, subdistricts, extra) -> HttpResponse:
    got = params.read(request, FollowUpListParams, subdistrict_codes={s.code for s in subdistricts})
    flt = selectors.Filters(
        stage=got["tahap"] or "",
        subdistrict=got["kecamatan"] or "",
        year=got["tahun"],
        q=got["q"] or "",
        stale=got["lama"] == "1",
    )
    page = Paginator(selectors.followups_list(scope=scope, flt=flt), 50).get_page(got["hal"])
    context = {
        "title": title,
        "subtitle": subtitle,
        "page": page,
        "flt": flt,
        "counts": selectors.stage_counts(scope),
        "stages": Stage.choices,
        "subdistricts": subdistricts,
        "stale_days": selectors.STALE_DAYS,
        **extra,
    }
    return render(request, "reports/followup/followup_list.html", context)


@require_GET
def agency_followups(request: HttpRequest, pk: int) -> HttpResponse:
    """The follow-ups of an agency by stage, filtered, stale ones first (petugas OPD, Bappeda)."""
    agency = get_for_user(
        request.user,
        "reports.view_agency_followups",
        Agency.objects.select_related("regency"),
        pk=pk,
    )
    return _list(
        request,
        scope=selectors.agency_scope(agency),
        title=f"Tindak lanjut {agency.name}",
        subtitle=str(agency.regency),
        subdistricts=list(agency.regency.subdistricts.order_by("name")),
        extra={
            "agency": agency,
            "can_upload": request.user.has_perm("reports.update_agency_followups", agency),
            "upload_form": WorklistUploadForm(),
        },
    )


@require_GET
def subdistrict_followups(request: HttpRequest, code: str) -> HttpResponse:
    """Every follow-up of a kecamatan's proposals (its camat and staff, Bappeda)."""
    subdistrict = get_for_user(
        request.user,
        "musrenbang.view_subdistrict",
        Subdistrict.objects.select_related("regency"),
        code=code,
    )
    return _list(
        request,
        scope=selectors.subdistrict_scope(subdistrict),
        title=f"Tindak lanjut usulan {subdistrict}",
        subtitle=str(subdistrict.regency),
        subdistricts=[],
        extra={"subdistrict": subdistrict},
    )


def _followup(request: HttpRequest, pk: int, perm: str):
    follow_up = selectors.followup_page(pk)
    if follow_up is None:
        raise Http404
    require_perm(request.user, perm, follow_up)
    return follow_up


def _move_form(request, follow_up, data=None) -> MoveForm:
    return MoveForm(
        data,
        targets=services.allowed_targets(follow_up.stage),
        regency=follow_up.subdistrict.regency,
        current_agency_id=follow_up.agency_id,
    )


@require_GET
def followup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One follow-up: its path, milestones, and the forms its owner may use."""
    follow_up = _followup(request, pk, "reports.view_followup")
    user = request.user
    can_move = user.has_perm("reports.update_followup", follow_up)
    can_milestone = user.has_perm("reports.record_milestone", follow_up)
    context = {
        "fu": follow_up,
        "can_move": can_move,
        "can_milestone": can_milestone,
        "move_form": _move_form(request, follow_up) if can_move else None,
        "milestone_form": MilestoneForm() if can_milestone else None,
    }
    return render(request, "reports/followup/followup_detail.html", context)


@require_POST
def followup_move(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _followup(request, pk, "reports.update_followup")
    form = _move_form(request, follow_up, request.POST)
    if not form.is_valid():
        messages.error(request, "Periksa isian: " + "; ".join(
            f"{form.fields[name].label if name in form.fields else name}: {' '.join(errs)}"
            for name, errs in form.errors.items()
        ))  # fmt: skip
        return redirect(follow_up)
    data = form.cleaned_data
    run(
        request,
        services.followup_move,
        f"Tahap diubah menjadi {Stage(data['to']).label}.",
        follow_up=follow_up,
        to=data["to"],
        date=data["date"],
        agency=data["agency"],
        note=data["note"],
        budget_year=data["budget_year"],
        budget_amount=data["budget_amount"],
        progress=data["progress"],
        reason_category=data["reason_category"],
        reason_text=data["reason_text"],
    )
    return redirect(follow_up)


@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _followup(request, pk, "reports.record_milestone")
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Isi tanggal dan judul capaian.")
        return redirect(follow_up)
    run(
        request,
        services.milestone_add,
        "Capaian dicatat.",
        follow_up=follow_up,
        photos=request.FILES.getlist("foto"),
        documents=request.FILES.getlist("dokumen"),
        **form.cleaned_data,
    )
    return redirect(follow_up)


@login_not_required
@require_GET
def milestone_file(request: HttpRequest, pk: int) -> FileResponse:
    """A milestone's photo or document: public when the milestone is, else its readers only."""
    row = get_object_or_404(
        MilestoneFile.objects.select_related(
            "milestone__follow_up__subdistrict", "milestone__follow_up__agency"
        ),
        pk=pk,
    )
    follow_up = row.milestone.follow_up
    if not row.milestone.public:
        if not request.user.is_authenticated:
            raise Http404
        require_perm(request.user, "reports.view_followup", follow_up)
    inline = row.is_photo
    return FileResponse(
        row.file.open("rb"),
        as_attachment=not inline,
        filename=row.original_name,
        content_type=row.content_type,
    )


@require_GET
def worklist_download(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_for_user(
        request.user, "reports.view_agency_followups", Agency.objects.all(), pk=pk
    )
    workbook = worklist.worklist_workbook(agency)
    return xlsx_response(workbook, f"lembar-kerja-tindak-lanjut-{agency.pk}.xlsx")


def _error_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "impor-kesalahan"
    path.mkdir(parents=True, exist_ok=True)
    return path


@require_POST
def worklist_upload(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_for_user(
        request.user, "reports.update_agency_followups", Agency.objects.all(), pk=pk
    )
    form = WorklistUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Pilih berkas lembar kerja (.xlsx).")
        return redirect("reports:followup_agency", pk=agency.pk)
    data = form.cleaned_data["file"].read()
    try:
        result = worklist.worklist_import(actor=request.user, agency=agency, data=data)
    except (DomainError, PermissionDenied) as error:
        messages.error(request, str(error))
        return redirect("reports:followup_agency", pk=agency.pk)
    if result.ok:
        messages.success(request, f"{result.count} tindak lanjut diperbarui dari lembar kerja.")
        return redirect("reports:followup_agency", pk=agency.pk)
    token = ""
    if result.header_row:
        token = uuid.uuid4().hex
        (_error_dir() / f"tl-{token}.xlsx").write_bytes(worklist.worklist_error_file(data, result))
        request.session["followup_worklist_errors"] = token
    context = {"agency": agency, "result": result, "error_file": bool(token)}
    return render(request, "reports/followup/worklist_errors.html", context, status=400)


@require_GET
def worklist_errors(request: HttpRequest, pk: int) -> FileResponse:
    agency = get_for_user(
        request.user, "reports.update_agency_followups", Agency.objects.all(), pk=pk
    )
    token = request.session.get("followup_worklist_errors", "")
    path = _error_dir() / f"tl-{token}.xlsx"
    if not token.isalnum() or not path.is_file():
        raise Http404("Berkas kesalahan tidak ditemukan.")
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=f"lembar-kerja-kesalahan-{agency.pk}.xlsx"
    )

"""Pages of the SIPD bridge: the "Input SIPD" worklist, its ticks, workbook and the reconcile."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from musrenbang import params
from musrenbang.access import get_for_user, require_perm
from musrenbang.models import Agency
from musrenbang.views_toolkit import run, xlsx_response
from proposals.forms import ImportForm
from proposals.models import Proposal
from reports.forms import SipdMarkForm
from reports.models import SipdReconciliation
from reports.sipd import exporting, reconcile, services, worklist
from sessions.models import Forum

DONE_FILTER = {"sudah": True, "belum": False}


class SipdWorklistParams(params.ParamsForm):
    opd = params.id_field(label="OPD")
    status = params.choice_field(list(DONE_FILTER), label="status")


def _forum(request: HttpRequest, pk: int, perm: str) -> Forum:
    return get_for_user(
        request.user, perm, Forum.objects.select_related("subdistrict__regency"), pk=pk
    )


@require_GET
def sipd_start(request: HttpRequest) -> HttpResponse:
    """The menu's "Input SIPD": the worklist of the kecamatan's latest forum."""
    user = request.user
    if not (user.is_kecamatan and user.subdistrict_id):
        raise PermissionDenied("Halaman ini untuk camat dan staf kecamatan.")
    forum = Forum.objects.filter(subdistrict_id=user.subdistrict_id).order_by("-year").first()
    if forum is None:
        messages.info(request, "Forum musrenbang kecamatan belum dibentuk.")
        return redirect("home")
    return redirect("reports:sipd_worklist", pk=forum.pk)


def _filters(request: HttpRequest, regency_id: int) -> tuple[int | None, bool | None, dict]:
    """Read ``opd`` and ``status`` through ``params``; a bad value is ignored with a message."""
    got = params.read(request, SipdWorklistParams)
    agency_id = got["opd"]
    if agency_id and not Agency.objects.filter(pk=agency_id, regency_id=regency_id).exists():
        messages.warning(request, "Filter OPD tidak dikenal dan diabaikan.")
        agency_id = None
    status = got["status"] or ""
    shown = {"opd": str(agency_id or ""), "status": status}
    return agency_id, DONE_FILTER.get(status), shown


@require_GET
def sipd_worklist(request: HttpRequest, pk: int) -> HttpResponse:
    """One row per proposal in SIPD's order with its rekomendasi kecamatan to copy and tick."""
    forum = _forum(request, pk, "reports.view_sipd_worklist")
    agency_id, done, shown = _filters(request, forum.subdistrict.regency_id)
    work = worklist.worklist(forum, agency_id=agency_id, done=done)
    context = {
        "forum": forum,
        "work": work,
        "shown": shown,
        "agencies": Agency.objects.filter(regency_id=forum.subdistrict.regency_id).order_by("name"),
        "can_mark": request.user.has_perm("reports.mark_sipd_input", forum),
        "can_export": request.user.has_perm("reports.export_sipd", forum),
        "can_reconcile": request.user.has_perm("reports.reconcile_sipd", forum),
    }
    return render(request, "reports/sipd_worklist.html", context)


@require_POST
def sipd_mark(request: HttpRequest, pk: int, proposal_pk: int) -> HttpResponse:
    """Tick or untick "sudah diinput di SIPD" (others than the kecamatan: 403)."""
    forum = _forum(request, pk, "reports.work_on_sipd")
    proposal = get_object_or_404(
        Proposal, pk=proposal_pk, subdistrict_id=forum.subdistrict_id, year=forum.year
    )
    back = reverse("reports:sipd_worklist", args=[forum.pk])
    form = SipdMarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pilih tandai sudah atau belum diinput.")
        return redirect(back)
    done, query = form.cleaned_data["done"], form.cleaned_data["query"]
    state = "ditandai sudah diinput di SIPD" if done else "ditandai belum diinput di SIPD"
    message = f"Usulan {proposal.reference} {state}."
    run(request, services.sipd_input_mark, message, forum=forum, proposal=proposal, done=done)
    return redirect(f"{back}?{query}#u{proposal.pk}" if query.isascii() else back)


@require_GET
def sipd_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The worklist as a workbook (``export_sipd``), once the forum was sent."""
    forum = _forum(request, pk, "reports.view_sipd_worklist")
    if not request.user.has_perm("reports.export_sipd", forum):
        messages.error(request, services.NOT_SENT)
        return redirect("reports:sipd_worklist", pk=forum.pk)
    content = exporting.worklist_workbook(worklist.worklist(forum))
    return xlsx_response(content, f"input-sipd-{forum.subdistrict.code}-{forum.year}.xlsx")


@require_http_methods(["GET", "POST"])
def sipd_reconcile_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a SIPD export made after the input and see the four groups."""
    forum = _forum(request, pk, "reports.view_sipd_worklist")
    form = ImportForm(request.POST or None, request.FILES or None)
    report = record = None
    if request.method == "POST":
        require_perm(request.user, "reports.work_on_sipd", forum)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            reconciled = run(
                request,
                services.sipd_reconcile,
                forum=forum,
                data=upload.read(),
                file_name=upload.name,
            )
            if reconciled is not None:
                report, record = reconciled
        else:
            messages.error(request, "Pilih berkas ekspor SIPD (.xlsx).")
    context = {
        "forum": forum,
        "form": form,
        "report": report,
        "record": record,
        "groups": reconcile.GROUPS,
        "can_reconcile": request.user.has_perm("reports.reconcile_sipd", forum),
        "history": SipdReconciliation.objects.filter(forum=forum).select_related("created_by")[:10],
    }
    return render(request, "reports/sipd_reconcile.html", context)


@require_GET
def sipd_reconcile_download(request: HttpRequest, pk: int, record_pk: int) -> HttpResponse:
    """The differences of one recorded reconcile as a workbook."""
    forum = _forum(request, pk, "reports.view_sipd_worklist")
    record = SipdReconciliation.objects.filter(forum=forum, pk=record_pk).first()
    if record is None:
        raise Http404("Rekonsiliasi tidak ditemukan.")
    content = exporting.differences_workbook(record.details)
    return xlsx_response(
        content, f"selisih-sipd-{forum.subdistrict.code}-{forum.year}-{record.pk}.xlsx"
    )

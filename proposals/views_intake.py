"""Kecamatan pages: the incoming list, bulk actions, rekap, Excel import/export; public tracking."""

import uuid
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from musrenbang import params
from musrenbang import selectors as master
from musrenbang.access import require_perm, safe_next
from musrenbang.caching import conditional, poll, render_cached
from musrenbang.dashboard import panel_marks
from musrenbang.views_toolkit import run, xlsx_response
from proposals import excel, selectors, services
from proposals.excel.sipd import sipd_import
from proposals.forms import (
    SOURCES,
    BulkForm,
    ImportForm,
    IncomingParams,
    PageParams,
    RekapParams,
    TrackForm,
)
from proposals.models import Proposal, RejectionCategory, Status
from proposals.views import _year

PAGE_SIZE = 25


def _filter(request: HttpRequest) -> selectors.IncomingFilter:
    get = params.read(request, IncomingParams)
    return selectors.IncomingFilter(
        village=get["desa"],
        sector=get["bidang"],
        agency=get["opd"],
        status=get["status"] or "",
        q=get["q"] or "",
        sort=get["urut"] or "nomor",
        source=get["asal"] or "",
    )


def incoming(request: HttpRequest) -> HttpResponse:
    """The kecamatan's incoming proposals with filters, sorting, pagination and bulk actions."""
    require_perm(request.user, "proposals.use_intake")
    subdistrict = request.user.subdistrict
    regency = subdistrict.regency
    # The year and the picker's years in one query; the status counts also give the paginator
    # its count when only the status is filtered (no second COUNT).
    year, years = master.year_and_years(regency, params.year(request))
    if year is None:
        raise Http404("Belum ada tahun perencanaan.")
    flt = _filter(request)  # a bad filter leaves a message: that page is not cached
    # The list changes only with the year's proposals, their transitions, the closure and the
    # forum (the kecamatan dashboard's marks, one query); this user's page is kept under them.
    marks = panel_marks("kecamatan", request, subdistrict, year)
    return render_cached(
        request,
        "proposals/proposal_incoming.html",
        lambda: _incoming_context(request, subdistrict, year, years, flt),
        marks,
    )


def _incoming_context(request, subdistrict, year, years, flt) -> dict:
    regency = subdistrict.regency
    status_rows = selectors.status_rows(subdistrict=subdistrict, year=year.year)
    qs = selectors.incoming_proposals(subdistrict=subdistrict, year=year.year, flt=flt)
    paginator = Paginator(qs, PAGE_SIZE)
    if not (flt.village or flt.sector or flt.agency or flt.q or flt.source):
        wanted = flt.status if flt.status in Status.values else ""  # else: not filtered
        paginator.count = sum(n for v, _label, n in status_rows if wanted in ("", v))
    page = paginator.get_page(params.read(request, PageParams, quiet=True)["halaman"])
    query = request.GET.copy()
    query.pop("halaman", None)
    closure = selectors.year_closure(subdistrict_id=subdistrict.pk, year=year.year)
    outcomes = selectors.forum_outcomes(list(page)) if closure else {}
    for proposal in page:
        proposal.outcome = outcomes.get(proposal.pk)
    context = {
        "closure": closure,
        "subdistrict": subdistrict,
        "year": year,
        "years": years,
        "page": page,
        "flt": flt,
        "query": query.urlencode(),
        "villages": subdistrict.villages.all(),
        "sectors": regency.sectors.all(),
        "agencies": master.agencies_of(regency),
        "statuses": [(v, label) for v, label in Status.choices if v != Status.DRAFT],
        "detail_prefix": reverse("proposals:detail", args=[0]).removesuffix("0/"),
        "sources": SOURCES,
        "categories": RejectionCategory.choices,
        "duplicates": selectors.duplicates_of(list(page)) if closure is None else {},
        "status_rows": status_rows,
        "sorts": [
            ("nomor", "Nomor"),
            ("desa", "Desa"),
            ("prioritas", "Prioritas desa"),
            ("-biaya", "Biaya terbesar"),
            ("biaya", "Biaya terkecil"),
            ("status", "Status"),
            ("judul", "Judul"),
        ],
    }
    return context


def export(request: HttpRequest) -> HttpResponse:
    """Download the incoming list (current filter) as Excel."""
    require_perm(request.user, "proposals.use_intake")
    subdistrict = request.user.subdistrict
    year = _year(request, subdistrict.regency)
    qs = selectors.incoming_proposals(subdistrict=subdistrict, year=year.year, flt=_filter(request))
    buffer = BytesIO()
    excel.export_workbook(qs, title=f"Usulan {subdistrict} tahun {year.year}", out=buffer)
    name = excel.export_filename(year=year.year, subdistrict=subdistrict)
    return xlsx_response(buffer.getvalue(), name)


@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Apply one intake action to the ticked proposals, all or nothing."""
    require_perm(request.user, "proposals.use_intake")
    form = BulkForm(request.POST)
    back = safe_next(request, reverse("proposals:incoming"))
    if not form.is_valid():
        messages.error(request, "Pilih aksi dan minimal satu usulan.")
        return redirect(back)
    ids = form.cleaned_data["ids"]
    proposals = Proposal.objects.filter(subdistrict_id=request.user.subdistrict_id, pk__in=ids)
    if proposals.count() != len(set(ids)):
        messages.error(request, "Sebagian usulan tidak ditemukan. Tidak ada usulan yang diubah.")
        return redirect(back)
    label = services.BULK_ACTIONS[form.cleaned_data["action"]].lower()
    run(
        request,
        services.proposals_bulk,
        lambda count: f"{count} usulan berhasil di{label}.",
        proposals=proposals.order_by("reference"),
        action=form.cleaned_data["action"],
        reason=form.cleaned_data["reason"],
        category=form.cleaned_data["category"],
    )
    return redirect(back)


def rekap(request: HttpRequest) -> HttpResponse:
    """The pre-musrenbang recap per desa and per bidang (printable)."""
    require_perm(request.user, "proposals.use_intake")
    subdistrict = request.user.subdistrict
    year = _year(request, subdistrict.regency)
    scope = params.read(request, RekapParams)["lingkup"] or "masuk"
    statuses = (
        [Status.VERIFIED]
        if scope == "terverifikasi"
        else [Status.SUBMITTED, Status.RECEIVED, Status.VERIFIED]
    )
    context = {
        "subdistrict": subdistrict,
        "year": year,
        "years": master.planning_years(subdistrict.regency),
        "scope": scope,
        "verified_only": statuses == [Status.VERIFIED],
        "scopes": [("masuk", "Semua usulan masuk"), ("terverifikasi", "Hanya terverifikasi")],
        "data": selectors.rekap(subdistrict=subdistrict, year=year.year, statuses=statuses),
    }
    return render(request, "proposals/proposal_rekap.html", context)


def import_template(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "proposals.use_intake")
    data = excel.template_workbook(subdistrict=request.user.subdistrict)
    return xlsx_response(data, "templat-impor-usulan.xlsx")


def _error_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "impor-galat"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _keep_error_file(request: HttpRequest, content: bytes) -> None:
    """Store the annotated upload for ``import_errors`` (one per session, the last one)."""
    old = request.session.get("proposal_import_errors", "")
    if old.isalnum():
        (_error_dir() / f"{old}.xlsx").unlink(missing_ok=True)
    token = uuid.uuid4().hex
    (_error_dir() / f"{token}.xlsx").write_bytes(content)
    request.session["proposal_import_errors"] = token


def _keep_errors(request: HttpRequest, data: bytes, result) -> None:
    """Keep the annotated upload of an import refused row by row (a header was found)."""
    if result is not None and not result.ok and result.header_row:
        _keep_error_file(request, excel.error_workbook_from(data, result))
        result.error_file = True


def _sipd_imported(request: HttpRequest, result) -> None:
    messages.success(request, f"Impor SIPD selesai: {result.summary}.")
    if result.locked:
        messages.warning(request, "Sudah dikunci (tidak diubah): " + ", ".join(result.locked[:20]))
    if result.unknown_agencies:
        messages.warning(
            request,
            "SKPD tujuan tidak dikenal (disimpan sebagai teks): "
            + ", ".join(result.unknown_agencies[:20]),
        )
    if result.unmatched_kamus:
        messages.info(
            request,
            "Usulan tanpa entri kamus tahun ini (usulan langsung, ditandai untuk "
            "verifikasi): " + ", ".join(result.unmatched_kamus[:20]),
        )


def import_page(request: HttpRequest) -> HttpResponse:
    """Upload the desa musrenbang recap; on errors show them and offer the annotated file."""
    require_perm(request.user, "proposals.use_intake")
    subdistrict = request.user.subdistrict
    year = _year(request, subdistrict.regency)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        result = run(
            request,
            excel.import_proposals,
            data=data,
            subdistrict=subdistrict,
            year=year.year,
            dry_run=form.cleaned_data["dry_run"],
        )
        if result is not None and result.ok and not result.dry_run:
            messages.success(request, f"{result.count} usulan diimpor.")
            return redirect(f"{reverse('proposals:incoming')}?tahun={year.year}")
        _keep_errors(request, data, result)
    context = {"form": form, "year": year, "years": master.planning_years(subdistrict.regency)}
    context["closure"] = selectors.year_closure(subdistrict_id=subdistrict.pk, year=year.year)
    context["result"] = result
    return render(request, "proposals/proposal_import.html", context)


def import_sipd_page(request: HttpRequest) -> HttpResponse:
    """Upload SIPD's usulan export; same look and error file as the rekap import."""
    require_perm(request.user, "proposals.use_intake")
    subdistrict = request.user.subdistrict
    year = _year(request, subdistrict.regency)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        result = run(
            request,
            sipd_import,
            data=data,
            subdistrict=subdistrict,
            year=year.year,
            dry_run=form.cleaned_data["dry_run"],
        )
        if result is not None and result.ok and not result.dry_run:
            _sipd_imported(request, result)
            return redirect(f"{reverse('proposals:incoming')}?tahun={year.year}&asal=sipd")
        _keep_errors(request, data, result)
    context = {"form": form, "year": year, "years": master.planning_years(subdistrict.regency)}
    context["result"] = result
    return render(request, "proposals/proposal_import_sipd.html", context)


def import_errors(request: HttpRequest) -> FileResponse:
    """The user's last rejected upload with a "Kesalahan" column."""
    require_perm(request.user, "proposals.use_intake")
    token = request.session.get("proposal_import_errors", "")
    path = _error_dir() / f"{token}.xlsx"
    if not token.isalnum() or not path.is_file():
        raise Http404("Berkas kesalahan tidak ditemukan.")
    return FileResponse(
        path.open("rb"), as_attachment=True, filename="usulan-dengan-kesalahan.xlsx"
    )


@login_not_required
def track_form(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET or None)
    if form.is_valid():
        code = form.cleaned_data["kode"].strip().upper()
        return redirect("proposals:track", kode=code)
    return render(request, "proposals/track_form.html", {"form": form})


def _track_marks(kode: str) -> tuple | None:
    marks = selectors.tracking_marks(kode.upper())
    return None if marks is None else ("lacak", *marks)


@login_not_required
@poll(_track_marks, public=True)
def track(request: HttpRequest, kode: str) -> HttpResponse:
    """Public tracking page: title, desa, status history and public reasons; nothing personal.

    Citizens poll it: while the proposal, its history and its forum are unchanged it answers
    304 after one query (``selectors.tracking_marks``), in ``PollMiddleware`` before the session
    is read.
    """
    marks = _track_marks(kode)
    if marks is None:
        return render(request, "proposals/track_unknown.html", {"kode": kode}, status=404)
    return conditional(request, marks, lambda: _track_page(request, kode))


def _track_page(request: HttpRequest, kode: str) -> HttpResponse:
    proposal = selectors.tracked_proposal(kode)
    if proposal is None:
        return render(request, "proposals/track_unknown.html", {"kode": kode}, status=404)
    context = {
        "proposal": proposal,
        "history": selectors.public_history(proposal),
        "outcome": selectors.public_outcome(proposal),
    }
    return render(request, "proposals/track_detail.html", context)

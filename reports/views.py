"""Pages of the reports app: the forum's documents, downloads, archive, verification, overview."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from musrenbang import params
from musrenbang import selectors as core_selectors
from musrenbang.access import get_for_user, require_perm
from musrenbang.exceptions import DomainError
from musrenbang.models import Agency, Regency, Subdistrict, Village
from musrenbang.views_toolkit import run
from reports import documents, selectors, services, views_jobs
from reports.forms import (
    DistributionForm,
    DocumentParams,
    FinalizeForm,
    OverviewParams,
    ReceiveForm,
    UploadForm,
    VerifyForm,
)
from reports.models import ArchivedDocument, Distribution, DocumentJob, ForumUpload
from reports.rules import can_read_agency_dsp
from sessions.models import Forum

VIEW = "reports.view_forum_documents"
MANAGE = "reports.manage_forum_documents"


# The overview's orders (parameter value, label); the selector sorts by the same values.
OVERVIEW_SORTS = [
    ("kode", "Urut kode"),
    ("nama", "Urut nama"),
    ("prioritas", "Biaya prioritas terbesar"),
    ("usulan", "Usulan terbanyak"),
]


def _forum(request: HttpRequest, pk: int, perm: str = VIEW) -> Forum:
    return get_for_user(
        request.user, perm, Forum.objects.select_related("subdistrict__regency"), pk=pk
    )


@require_GET
def subdistrict_forums(request: HttpRequest, code: str) -> HttpResponse:
    """The forums of a kecamatan, newest first, each linking to its documents page."""
    subdistrict = get_for_user(
        request.user, "musrenbang.view_subdistrict", Subdistrict.objects.all(), code=code
    )
    forums = list(
        Forum.objects.filter(subdistrict=subdistrict)
        .select_related("subdistrict__regency")
        .order_by("-year")
    )
    if len(forums) == 1:
        return redirect("reports:forum", pk=forums[0].pk)
    return render(
        request, "reports/subdistrict_forums.html", {"subdistrict": subdistrict, "forums": forums}
    )


@require_GET
def forum_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """The forum's documents page: printable papers, the final Berita Acara, uploads, register."""
    forum = _forum(request, pk)
    page_data = selectors.forum_documents_page(forum)
    user = request.user
    can_manage = user.has_perm(MANAGE, forum)
    context = {
        "forum": forum,
        **page_data,
        "can_manage": can_manage,
        "can_finalize": user.has_perm("reports.finalize_minutes", forum),
        "villages": Village.objects.filter(subdistrict_id=forum.subdistrict_id).order_by("code"),
        "agencies": Agency.objects.filter(regency_id=forum.subdistrict.regency_id).order_by("name"),
        "upload_form": UploadForm(),
        "distribution_form": DistributionForm(regency=forum.subdistrict.regency),
        "receive_form": ReceiveForm(),
        "upload_limits": {
            "document": settings.UPLOAD_MAX_DOCUMENT_BYTES,
            "image": settings.UPLOAD_MAX_IMAGE_BYTES,
            "video": settings.UPLOAD_MAX_VIDEO_BYTES,
        },
    }
    if forum.is_locked and not page_data["archived"]:
        present = forum.participants.filter(present_at__isnull=False).count()
        context["finalize_form"] = FinalizeForm(
            initial={"participant_count": forum.participant_count or present}
        )
        context["present_count"] = present
    return render(request, "reports/forum_documents.html", context)


def _pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


# Documents that may take seconds are made by the worker (reports.jobs), never here; the DSP
# of one OPD (a few dozen rows) is printed at once, the DSP of all of them goes to the worker.
JOB_KINDS = {
    "daftar-hadir": DocumentJob.Kind.ATTENDANCE,
    "berita-acara": DocumentJob.Kind.MINUTES_DRAFT,
    "dsp-opd": DocumentJob.Kind.AGENCY_LISTS,
}


@require_http_methods(["GET", "POST"])
def document_download(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """Render one document of the forum now, or queue it when it may take seconds.

    The Daftar Hadir and the draft Berita Acara go to the worker: their buttons POST here and
    land on the job's waiting page; a GET shows the button (a link from elsewhere still works).
    """
    forum = get_object_or_404(Forum.objects.select_related("subdistrict__regency"), pk=pk)
    if slug not in documents.KINDS:
        raise Http404("Jenis dokumen tidak dikenal.")
    if request.method == "POST" and slug not in JOB_KINDS:
        return HttpResponseNotAllowed(["GET"])
    options: dict = {}
    query = params.read(request, DocumentParams)
    if slug == "dsp-opd" and query["opd"]:
        options["agency"] = get_object_or_404(
            Agency, pk=query["opd"], regency_id=forum.subdistrict.regency_id
        )
    if slug == "dsp-opd" and request.user.has_perm("musrenbang.read_as_agency"):
        options.setdefault("agency", request.user.agency)
        if not can_read_agency_dsp(request.user, forum, options.get("agency")):
            raise PermissionDenied("Anda hanya dapat membuka DSP perangkat daerah Anda.")
    else:
        require_perm(request.user, VIEW, forum)
    if slug == "berita-acara":
        archived = forum.archived_documents.first()
        if archived:
            return redirect("reports:archived_download", code=archived.code)
    if slug == "daftar-hadir":
        options["blank"] = query["formulir"] == "1"
    if slug == "daftar-usulan" and query["desa"]:
        options["village"] = get_object_or_404(
            Village, code=query["desa"], subdistrict_id=forum.subdistrict_id
        )
    if slug in JOB_KINDS and not options.get("agency"):
        return _document_job(request, forum, slug, options)
    try:
        rendered = documents.render(slug, forum, **options)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("reports:forum", pk=forum.pk)
    return _pdf_response(rendered.content, rendered.filename)


def _document_job(request: HttpRequest, forum: Forum, slug: str, options: dict) -> HttpResponse:
    kind = documents.KINDS[slug]
    if kind.needs_sent and not forum.is_locked:
        messages.error(
            request, f"{kind.title} baru dapat dicetak setelah hasil forum dikirim ke OPD."
        )
        return redirect("reports:forum", pk=forum.pk)
    if request.method == "GET":
        title = kind.title + (" (formulir kosong)" if options.get("blank") else "")
        title += " (semua OPD)" if slug == "dsp-opd" else ""
        return render(
            request,
            "reports/document_prepare.html",
            {"forum": forum, "title": title, "blank": options.get("blank"), "slug": slug},
        )
    try:
        return views_jobs.queue(request, kind=JOB_KINDS[slug], forum=forum, params=options)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("reports:forum", pk=forum.pk)


@require_GET
def archived_download(request: HttpRequest, code: str) -> FileResponse:
    """Serve the stored final file itself (never a new rendering)."""
    archived = get_object_or_404(
        ArchivedDocument.objects.select_related("forum__subdistrict__regency", "subdistrict"),
        code=code,
    )
    require_perm(request.user, VIEW, archived.forum)
    code = archived.subdistrict.code.replace(".", "")
    name = f"berita-acara-final-{code}-{archived.year}.pdf"
    return FileResponse(
        archived.file.open("rb"), content_type="application/pdf", as_attachment=True, filename=name
    )


@require_POST
def minutes_finalize(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the finalisation: the worker renders, archives and links the final PDF.

    ``services.minutes_finalize`` renders the document inside its transaction (seconds for a
    large forum), so the whole call runs in the worker (``reports.jobs``); the form and the
    state are checked here first so that the camat hears a refusal at once.
    """
    forum = _forum(request, pk, "reports.finalize_minutes")
    form = FinalizeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Isi jumlah peserta dan centang pernyataan untuk memfinalkan.")
        return redirect("reports:forum", pk=forum.pk)
    parameters = {
        "participant_count": form.cleaned_data["participant_count"],
        "number": form.cleaned_data["number"].strip(),
    }
    try:
        return views_jobs.queue(
            request, kind=DocumentJob.Kind.MINUTES_FINAL, forum=forum, params=parameters
        )
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("reports:forum", pk=forum.pk)


@require_POST
def upload_create(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum(request, pk, MANAGE)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = "; ".join(e for field in form.errors.values() for e in field)
        messages.error(request, f"Unggahan ditolak: {errors}")
        return redirect("reports:forum", pk=forum.pk)
    try:
        upload = services.upload_create(forum=forum, actor=request.user, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, f"Unggahan ditolak: {error}")
    else:
        messages.success(request, f"Berkas '{upload.original_name}' diunggah.")
    return redirect("reports:forum", pk=forum.pk)


@require_GET
def upload_download(request: HttpRequest, pk: int) -> FileResponse:
    upload = get_object_or_404(
        ForumUpload.objects.select_related("forum__subdistrict__regency"), pk=pk
    )
    require_perm(request.user, VIEW, upload.forum)
    inline = upload.content_type in ("application/pdf", "image/jpeg", "image/png", "video/mp4")
    response = FileResponse(
        upload.file.open("rb"),
        content_type=upload.content_type,
        as_attachment=not inline,
        filename=upload.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def distribution_create(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum(request, pk, MANAGE)
    form = DistributionForm(request.POST, regency=forum.subdistrict.regency)
    if not form.is_valid():
        errors = "; ".join(e for field in form.errors.values() for e in field)
        messages.error(request, f"Pengiriman belum dicatat: {errors}")
        return redirect("reports:forum", pk=forum.pk)
    run(
        request,
        services.distribution_record,
        lambda entry: f"Pengiriman nomor {entry.number} dicatat.",
        forum=forum,
        **form.cleaned_data,
    )
    return redirect("reports:forum", pk=forum.pk)


@require_POST
def distribution_receive(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(
        Distribution.objects.select_related("forum__subdistrict__regency"), pk=pk
    )
    require_perm(request.user, MANAGE, entry.forum)
    form = ReceiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Isi nama penerima dan tanggal terima.")
    else:
        run(
            request,
            services.distribution_receive,
            f"Penerimaan surat {entry.number} dicatat.",
            distribution=entry,
            **form.cleaned_data,
        )
    return redirect("reports:forum", pk=entry.forum_id)


@login_not_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: show what was archived under a code (or SHA-256) and compare an uploaded PDF."""
    archived = (
        ArchivedDocument.objects.select_related("subdistrict__regency")
        .filter(Q(code=code.lower()) | Q(sha256=code.lower()))
        .first()
    )
    if archived is None:
        raise Http404("Dokumen tidak ditemukan.")
    form = VerifyForm()
    comparison = None
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > settings.UPLOAD_MAX_DOCUMENT_BYTES:
                messages.error(request, "Berkas terlalu besar untuk dibandingkan.")
            else:
                digest = hashlib.sha256()
                for chunk in upload.chunks():
                    digest.update(chunk)
                comparison = {"sha256": digest.hexdigest(), "name": upload.name}
                comparison["match"] = comparison["sha256"] == archived.sha256
    return render(
        request,
        "reports/verify.html",
        {"archived": archived, "form": form, "comparison": comparison},
    )


def _overview_regency(request: HttpRequest, code: str) -> tuple[Regency, int | None]:
    regency = get_for_user(request.user, "reports.view_overview", Regency.objects.all(), code=code)
    year = core_selectors.current_year(regency, params.year(request))
    return regency, year


@require_GET
def overview(request: HttpRequest, code: str) -> HttpResponse:
    """Bappeda: every kecamatan of the kabupaten/kota for the year, totals per OPD and bidang."""
    regency, year = _overview_regency(request, code)
    data = selectors.regency_overview(regency, year.year) if year else None
    rows = data["rows"] if data else []
    flt = params.read(request, OverviewParams)
    query = (flt["q"] or "").lower()
    sort = flt["urut"] or "kode"
    rows = selectors.overview_rows(rows, search=query, sort=sort)
    page = Paginator(rows, 50).get_page(flt["halaman"])
    return render(
        request,
        "reports/overview.html",
        {
            "regency": regency,
            "year": year,
            "years": core_selectors.planning_years(regency),
            "data": data,
            "page": page,
            "query": query,
            "sort": sort,
            "sorts": OVERVIEW_SORTS,
            "followup_sections": [
                ("Per perangkat daerah", "OPD", data["followups"]["per_agency"]),
                ("Per kecamatan", "Kecamatan", data["followups"]["per_subdistrict"]),
            ]
            if data
            else [],
        },
    )


@require_http_methods(["GET", "POST"])
def overview_export(request: HttpRequest, code: str) -> HttpResponse:
    """The kabupaten's workbook: made by the worker (POST queues it; GET shows the button)."""
    regency, year = _overview_regency(request, code)
    if year is None:
        messages.error(request, "Belum ada tahun perencanaan.")
        return redirect("reports:overview", code=regency.code)
    if request.method == "GET":
        return render(
            request, "reports/overview_export_prepare.html", {"regency": regency, "year": year}
        )
    return views_jobs.queue(
        request, kind=DocumentJob.Kind.OVERVIEW, regency=regency, params={"year": year.year}
    )

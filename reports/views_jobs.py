"""The waiting page of a document made by the worker: progress, then the file or the error."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from musrenbang.exceptions import DomainError
from musrenbang.rulebook import Forbidden
from reports import jobs
from reports.models import DocumentJob


def _job(request: HttpRequest, pk: int) -> DocumentJob:
    """Return the job if the user may read its document (403 otherwise, 404 when missing)."""
    job = get_object_or_404(
        DocumentJob.objects.select_related("forum__subdistrict__regency", "regency", "archived"),
        pk=pk,
    )
    if not jobs.can_view(request.user, job):
        raise PermissionDenied("Anda tidak berwenang membuka dokumen ini.")
    return job


def queue(request: HttpRequest, **request_args) -> HttpResponse:
    """Queue (or reuse) a job for the page that asked and go to its waiting page."""
    try:
        job, queued = jobs.job_request(actor=request.user, **request_args)
    except Forbidden as error:
        raise PermissionDenied(str(error)) from error
    if not queued and job.is_done:
        messages.info(request, "Dokumen ini sudah dibuat dari data yang sama; silakan unduh.")
    elif not queued:
        messages.info(request, "Dokumen ini sedang dibuat; permintaan yang sama tidak diulang.")
    return redirect(job)


def _back(job: DocumentJob) -> str:
    if job.forum_id:
        return reverse("reports:forum", args=[job.forum_id])
    return f"{reverse('reports:overview', args=[job.regency.code])}?tahun={job.params['year']}"


@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """State and progress; refreshes itself until the download link or the error shows."""
    job = _job(request, pk)
    can_retry = (job.is_failed or jobs.is_stale(job)) and request.user.has_perm(
        jobs.REQUEST_PERMS[job.kind], jobs.target(job)
    )
    return render(
        request, "reports/job_detail.html", {"job": job, "back": _back(job), "can_retry": can_retry}
    )


@require_GET
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """The poll of the waiting page (static/reports/job.js): state, progress and step."""
    job = _job(request, pk)
    response = JsonResponse(
        {
            "state": job.state,
            "state_label": job.get_state_display(),
            "progress": job.progress,
            "step": job.step,
            "finished": not job.is_pending,
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Serve the job's file to a user allowed to read the document (the final BA: the archive)."""
    job = _job(request, pk)
    if not job.is_done:
        messages.error(request, "Dokumen belum selesai dibuat.")
        return redirect(job)
    if job.archived_id:
        return redirect("reports:archived_download", code=job.archived.code)
    return FileResponse(
        job.file.open("rb"),
        content_type=job.content_type,
        as_attachment=job.content_type != jobs.PDF,
        filename=job.filename,
    )


@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """The "Coba lagi" button of a failed job: the same row is queued again."""
    job = _job(request, pk)
    try:
        jobs.job_retry(actor=request.user, job=job)
    except Forbidden as error:
        raise PermissionDenied(str(error)) from error
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Dokumen diantrekan lagi.")
    return redirect(job)

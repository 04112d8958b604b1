"""Documents made by a background worker: queue a job, run it, retry it, show its progress.

The queue is django-tasks with its database backend (``django_tasks_db``): ``job_request``
writes our ``DocumentJob`` row and the queue's task row in the same transaction, so a worker
never sees a task without its job, nor a job whose task was lost. ``manage.py db_worker`` (one
started by ``make run``; any number in production) calls ``run_document_job``, which runs
``job_run``: it claims the row, has ``reports.job_documents`` make the document while it writes
its progress, stores the file under the job's own name and marks it done.

- Idempotent: a job's ``key`` is the document, the data version it reads (``Forum.versions``,
  or the kabupaten's aggregate for the overview) and its parameters. Asking again reuses a
  queued, running or done job; a failed one (or one whose worker died) is queued again on
  the same row and overwrites the same file.
- Retried: an unexpected error puts the job back in the queue after ``RETRY_DELAY``, at most
  ``MAX_ATTEMPTS`` runs in all; a ``DomainError`` is final at once, with its Indonesian message.
- Visible: state, progress (0-100) and the step in Indonesian, on ``/dokumen/tugas/<id>/``.
"""

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone
from django_tasks import task

from musrenbang import rulebook
from musrenbang.exceptions import DomainError
from musrenbang.models import Regency, User
from proposals.models import Proposal
from reports import job_documents
from reports.models import ArchivedDocument, DocumentJob, FollowUp, job_path
from sessions.models import Forum

logger = logging.getLogger("musrenbang.jobs")

Kind = DocumentJob.Kind
State = DocumentJob.State

MAX_ATTEMPTS = 3
RETRY_DELAY = dt.timedelta(seconds=5)
# A job still "running" this long after it started lost its worker (killed, machine down).
STALE_AFTER = dt.timedelta(minutes=15)

PDF = job_documents.PDF

VIEW = "reports.view_forum_documents"
# Asking for a document needs the permission that printing it needed; seeing the job and its
# file needs the permission to read that document.
REQUEST_PERMS = {
    Kind.ATTENDANCE: VIEW,
    Kind.MINUTES_DRAFT: VIEW,
    Kind.AGENCY_LISTS: VIEW,
    Kind.MINUTES_FINAL: "reports.finalize_minutes",
    Kind.OVERVIEW: "reports.view_overview",
}
VIEW_PERMS = {
    Kind.ATTENDANCE: VIEW,
    Kind.MINUTES_DRAFT: VIEW,
    Kind.AGENCY_LISTS: VIEW,
    Kind.MINUTES_FINAL: VIEW,
    Kind.OVERVIEW: "reports.view_overview",
}
SYSTEM_FAILURE = (
    "Dokumen gagal dibuat karena kesalahan sistem ({attempts} kali dicoba). "
    "Coba lagi; bila tetap gagal, hubungi admin Bappeda."
)

Progress = Callable[[int, str], None]


def target(job: DocumentJob) -> Forum | Regency:
    """Return the object whose permission guards the job: its forum, or its kabupaten."""
    return job.forum if job.forum_id else job.regency


def can_view(user, job: DocumentJob) -> bool:
    """Return True when ``user`` may see ``job`` and download its file."""
    return user.has_perm(VIEW_PERMS[job.kind], target(job))


# --- versions and keys ---


def overview_version(regency: Regency, year: int) -> str:
    """Return a mark that changes whenever the kabupaten's overview of ``year`` would change.

    The forums' own versions (every write in a forum bumps one), the proposals' and
    follow-ups' latest change, the archive, and the day (follow-ups become "stale" by date).
    """
    forums = Forum.objects.filter(subdistrict__regency=regency, year=year).aggregate(
        n=Count("id"), v=Sum("version"), a=Sum("attendance_version"), s=Sum("scores_version")
    )
    proposals = Proposal.objects.filter(subdistrict__regency=regency, year=year).aggregate(
        n=Count("id"), t=Max("updated_at")
    )
    followups = FollowUp.objects.filter(subdistrict__regency=regency).aggregate(
        n=Count("id"), t=Max("updated_at")
    )
    archived = ArchivedDocument.objects.filter(subdistrict__regency=regency, year=year).count()
    subdistricts = regency.subdistricts.count()
    parts = [forums, proposals, followups, archived, subdistricts, timezone.localdate().isoformat()]
    return hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()[:16]


def _version(kind: str, forum: Forum | None, regency: Regency | None, params: dict) -> str:
    if kind == Kind.MINUTES_FINAL:
        return "final"  # one final Berita Acara per forum, whatever was typed
    if forum is not None:
        counters = ("version", "attendance_version", "scores_version")
        return ".".join(map(str, Forum.objects.values_list(*counters).get(pk=forum.pk)))
    return overview_version(regency, params["year"])


def job_key(kind: str, *, forum=None, regency=None, params: dict) -> str:
    """Return the idempotency key: document, target, data version and parameters."""
    version = _version(kind, forum, regency, params)
    shown = {} if kind == Kind.MINUTES_FINAL else params
    raw = json.dumps(
        [kind, forum.pk if forum else None, regency.pk if regency else None, version, shown],
        sort_keys=True,
    )
    return hashlib.sha256(raw.encode()).hexdigest()


# --- requesting ---


def _check_document(kind: str, forum: Forum | None) -> None:
    """Refuse at once what the worker would refuse anyway (the user hears it on the page)."""
    if kind in (Kind.MINUTES_DRAFT, Kind.MINUTES_FINAL):
        if not forum.is_locked:
            raise DomainError("Berita Acara baru dapat dibuat setelah hasil forum dikirim ke OPD.")
        if forum.date is None:
            raise DomainError(
                "Tanggal pelaksanaan forum belum diisi; Berita Acara belum dapat dibuat."
            )
    if kind == Kind.AGENCY_LISTS and not forum.is_locked:
        raise DomainError(
            "DSP per Perangkat Daerah baru dapat dicetak setelah hasil forum dikirim ke OPD."
        )
    if kind == Kind.MINUTES_FINAL and forum.archived_documents.exists():
        raise DomainError("Berita Acara forum ini sudah difinalkan dan diarsipkan.")


def is_stale(job: DocumentJob) -> bool:
    """Return True for a job still "running" long after it started: its worker died."""
    return (
        job.state == State.RUNNING
        and job.started_at is not None
        and timezone.now() - job.started_at > STALE_AFTER
    )


def job_request(
    *,
    actor: User,
    kind: str,
    forum: Forum | None = None,
    regency: Regency | None = None,
    params: dict | None = None,
) -> tuple[DocumentJob, bool]:
    """Queue the document ``kind`` of ``forum`` (or ``regency``), or reuse the same job.

    Return the job and whether it was (re)queued now. A queued, running or done job with the
    same key is returned as it is; a failed or abandoned one is queued again on the same row.
    """
    params = dict(params or {})
    obj = forum if forum is not None else regency
    rulebook.authorize(actor, REQUEST_PERMS[kind], obj)
    _check_document(kind, forum)
    key = job_key(kind, forum=forum, regency=regency, params=params)
    with transaction.atomic():
        job, created = DocumentJob.objects.select_for_update().get_or_create(
            key=key,
            defaults={
                "kind": kind,
                "forum": forum,
                "regency": regency,
                "params": params,
                "requested_by": actor,
            },
        )
        if not created and job.state != State.FAILED and not is_stale(job):
            return job, False
        if not created:
            _reset(job, actor=actor, params=params)
        _enqueue(job)
    logger.info("dokumen diantrekan tugas=%s jenis=%s oleh=%s", job.pk, kind, actor.pk)
    return job, True


def job_retry(*, actor: User, job: DocumentJob) -> DocumentJob:
    """Queue a failed (or abandoned) job again: the "Coba lagi" button."""
    if not can_view(actor, job):
        raise rulebook.Forbidden(rulebook.RULES[VIEW_PERMS[job.kind]].who_message)
    rulebook.authorize(actor, REQUEST_PERMS[job.kind], target(job))
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().get(pk=job.pk)
        if job.state != State.FAILED and not is_stale(job):
            raise DomainError("Dokumen ini tidak gagal; tidak perlu dicoba lagi.")
        _check_document(job.kind, job.forum)
        _reset(job, actor=actor, params=job.params)
        _enqueue(job)
    logger.info("dokumen dicoba lagi tugas=%s oleh=%s", job.pk, actor.pk)
    return job


def _reset(job: DocumentJob, *, actor: User, params: dict) -> None:
    job.state = State.QUEUED
    job.progress = 0
    job.step = ""
    job.error = ""
    job.attempts = 0
    job.params = params
    job.requested_by = actor
    job.started_at = job.finished_at = None
    job.save()


def _enqueue(job: DocumentJob, *, delay: dt.timedelta | None = None) -> None:
    """Write the queue's task row (in the caller's transaction) and remember its id."""
    queued = run_document_job
    if delay:
        queued = run_document_job.using(run_after=timezone.now() + delay)
    result = queued.enqueue(job.pk)
    job.task_id = str(result.id)
    DocumentJob.objects.filter(pk=job.pk).update(task_id=job.task_id)


# --- running (in the worker) ---


@task()
def run_document_job(job_id: int) -> None:
    """The queue's entry point: run one document job (``manage.py db_worker`` calls it)."""
    job_run(job_id=job_id)


def _claim(job_id: int) -> DocumentJob | None:
    """Mark the job running (one more attempt), or return None if it is not ours to run."""
    with transaction.atomic():
        job = (
            DocumentJob.objects.select_for_update(of=("self",))
            .select_related("forum__subdistrict__regency", "regency", "requested_by")
            .filter(pk=job_id)
            .first()
        )
        if job is None or not (job.state == State.QUEUED or is_stale(job)):
            return None
        job.state = State.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.finished_at = None
        job.progress = 5
        job.step = "Mulai dibuat"
        job.error = ""
        job.save(
            update_fields=[
                "state",
                "attempts",
                "started_at",
                "finished_at",
                "progress",
                "step",
                "error",
            ]
        )
    return job


def _progress(job: DocumentJob) -> Progress:
    def report(percent: int, step: str) -> None:
        job.progress, job.step = percent, step
        DocumentJob.objects.filter(pk=job.pk, state=State.RUNNING).update(
            progress=percent, step=step
        )

    return report


def job_run(*, job_id: int) -> DocumentJob | None:
    """Run the job ``job_id`` once: done, back in the queue, or failed with its message."""
    job = _claim(job_id)
    if job is None:
        return None
    report = _progress(job)
    try:
        made = job_documents.MAKERS[job.kind](job, report)
        _store(job, made, report)
    except DomainError as error:
        _fail(job, str(error))
    except Exception:
        logger.exception("tugas dokumen gagal tugas=%s percobaan=%s", job.pk, job.attempts)
        if job.attempts < MAX_ATTEMPTS:
            _requeue(job)
        else:
            _fail(job, SYSTEM_FAILURE.format(attempts=job.attempts))
    job.refresh_from_db()
    return job


def _requeue(job: DocumentJob) -> None:
    with transaction.atomic():
        job.state = State.QUEUED
        job.step = f"Percobaan {job.attempts} dari {MAX_ATTEMPTS} gagal; dicoba lagi sebentar lagi"
        job.save(update_fields=["state", "step"])
        _enqueue(job, delay=RETRY_DELAY)


def _fail(job: DocumentJob, message: str) -> None:
    job.state = State.FAILED
    job.error = message
    job.step = "Gagal"
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "error", "step", "finished_at"])
    logger.info("tugas dokumen gagal tugas=%s pesan=%s", job.pk, message)


def _store(job: DocumentJob, made: job_documents.Made, report: Progress) -> None:
    """Write the result under the job's own name (a re-run overwrites it) and mark it done."""
    if made.archived is None:
        report(90, "Menyimpan berkas")
        if job.file:
            job.file.delete(save=False)
        name = job_path(job, made.filename)
        if job.file.storage.exists(name):  # left by a run whose row was lost: same job, same name
            job.file.storage.delete(name)
        job.file.save(made.filename, ContentFile(made.content), save=False)
    job.archived = made.archived
    job.filename = made.filename
    job.content_type = made.content_type
    job.state = State.DONE
    job.progress = 100
    job.step = "Selesai"
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "state", "progress", "step", "finished_at", "file", "filename", "content_type",
            "archived",
        ]
    )  # fmt: skip


# --- housekeeping ---


def jobs_prune(*, older_than: dt.timedelta) -> int:
    """Delete finished jobs (and their files) that ended more than ``older_than`` ago.

    A final Berita Acara stays in the archive (``ArchivedDocument``); only the job row goes.
    Return how many jobs were deleted.
    """
    cutoff = timezone.now() - older_than
    old = DocumentJob.objects.filter(
        state__in=[State.DONE, State.FAILED], finished_at__lt=cutoff
    ).only("pk", "file")
    count = 0
    for job in old.iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    logger.info("tugas dokumen lama dihapus jumlah=%s", count)
    return count

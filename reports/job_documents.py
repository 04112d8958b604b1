"""What each background job makes: the document's bytes (or the archive), with progress.

One function per ``DocumentJob.Kind``; ``reports.jobs.job_run`` calls it in the worker and
stores what it returns. They call the same builders as the rest of the app
(``documents.render``, ``services.minutes_finalize``, ``exports.overview_workbook``), so a
paper looks the same whichever way it was made.
"""

from collections.abc import Callable
from dataclasses import dataclass

from musrenbang.exceptions import DomainError
from reports import documents, exports, selectors, services
from reports.models import ArchivedDocument, DocumentJob
from sessions.models import Forum

Kind = DocumentJob.Kind
Progress = Callable[[int, str], None]

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Made:
    filename: str
    content_type: str
    content: bytes = b""
    archived: ArchivedDocument | None = None  # the final Berita Acara lives in the archive


def _forum(job: DocumentJob, report: Progress) -> Forum:
    report(10, "Mengambil data forum")
    return Forum.objects.select_related("subdistrict__regency").get(pk=job.forum_id)


def attendance(job: DocumentJob, report: Progress) -> Made:
    forum = _forum(job, report)
    report(30, "Menyusun dan mencetak Daftar Hadir ke PDF")
    rendered = documents.render("daftar-hadir", forum, blank=bool(job.params.get("blank")))
    return Made(rendered.filename, PDF, rendered.content)


def minutes_draft(job: DocumentJob, report: Progress) -> Made:
    forum = _forum(job, report)
    report(30, "Menyusun dan mencetak draf Berita Acara ke PDF (beberapa detik)")
    rendered = documents.render("berita-acara", forum)
    filename = rendered.filename.replace("berita-acara", "berita-acara-draf", 1)
    return Made(filename, PDF, rendered.content)


def minutes_final(job: DocumentJob, report: Progress) -> Made:
    """Finalise through ``services.minutes_finalize`` (it renders and archives once).

    A forum already finalised (by this job's earlier attempt) is this job's result: the run
    links the archived file instead of failing, so a retry never finalises twice.
    """
    forum = _forum(job, report)
    archived = forum.archived_documents.filter(kind=ArchivedDocument.Kind.MINUTES).first()
    if archived is None:
        if job.requested_by is None:
            raise DomainError("Pengguna yang memfinalkan tidak ada lagi; finalkan ulang.")
        report(30, "Memfinalkan dan mencetak Berita Acara ke PDF (beberapa detik)")
        archived = services.minutes_finalize(
            forum=forum,
            actor=job.requested_by,
            participant_count=int(job.params["participant_count"]),
            number=job.params.get("number", ""),
        )
    report(95, "Berita Acara final diarsipkan")
    code = forum.subdistrict.code.replace(".", "")
    return Made(f"berita-acara-final-{code}-{forum.year}.pdf", PDF, archived=archived)


def overview(job: DocumentJob, report: Progress) -> Made:
    regency, year = job.regency, int(job.params["year"])
    report(10, "Menghitung ikhtisar semua kecamatan")
    data = selectors.regency_overview(regency, year)
    report(60, "Menyusun buku kerja Excel")
    content = exports.overview_workbook(regency, year, data)
    return Made(f"ikhtisar-musrenbang-{regency.code}-{year}.xlsx", XLSX, content)


def agency_lists(job: DocumentJob, report: Progress) -> Made:
    """The DSP of every OPD of the forum (one section each): seconds for a large forum."""
    forum = _forum(job, report)
    report(30, "Menyusun dan mencetak DSP semua perangkat daerah ke PDF")
    rendered = documents.render("dsp-opd", forum)
    return Made(rendered.filename, PDF, rendered.content)


MAKERS: dict[str, Callable[[DocumentJob, Progress], Made]] = {
    Kind.ATTENDANCE: attendance,
    Kind.MINUTES_DRAFT: minutes_draft,
    Kind.AGENCY_LISTS: agency_lists,
    Kind.MINUTES_FINAL: minutes_final,
    Kind.OVERVIEW: overview,
}

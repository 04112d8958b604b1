"""Archived documents, forum uploads and the distribution register (see reports.services)."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from musrenbang.models import Agency, Regency, Subdistrict
from sessions.models import Forum


def archive_path(instance: "ArchivedDocument", filename: str) -> str:
    """Return a generated storage name; the client's or the renderer's name is never used."""
    return f"arsip/{instance.subdistrict_id}/{instance.year}/{uuid.uuid4().hex}.pdf"


def upload_path(instance: "ForumUpload", filename: str) -> str:
    """Return a generated storage name keeping only the (already checked) extension."""
    suffix = PurePath(filename).suffix.lower()
    return f"forum/{instance.forum_id}/dokumen/{uuid.uuid4().hex}{suffix}"


class ArchivedDocument(models.Model):
    """A final document rendered once and stored unchangeable, with its SHA-256.

    The row is written once by ``reports.services.minutes_finalize`` and never updated: there
    is no service, form or admin path that changes it, and later downloads serve the stored
    file, not a new rendering. ``code`` is the short key printed in the document's QR code
    (``/verifikasi/<code>/``): a file cannot contain its own SHA-256, so the printed key is a
    random code and the verification page shows the file's SHA-256 next to it (the page also
    accepts the full SHA-256 in the address).
    """

    class Kind(models.TextChoices):
        MINUTES = "berita_acara", "Berita Acara Musrenbang Kecamatan"

    forum = models.ForeignKey(
        Forum, on_delete=models.PROTECT, related_name="archived_documents", verbose_name="forum"
    )
    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, related_name="+", verbose_name="kecamatan"
    )
    year = models.PositiveSmallIntegerField("tahun perencanaan")
    kind = models.CharField("jenis", max_length=20, choices=Kind.choices)
    title = models.CharField("judul", max_length=255)
    number = models.CharField("nomor", max_length=120, blank=True)
    document_date = models.DateField("tanggal dokumen", null=True, blank=True)
    code = models.CharField("kode verifikasi", max_length=32, unique=True)
    sha256 = models.CharField("SHA-256", max_length=64, unique=True)
    size = models.PositiveBigIntegerField("ukuran (bita)")
    file = models.FileField("berkas", upload_to=archive_path)
    participant_count = models.PositiveIntegerField("jumlah peserta tercatat")
    created_at = models.DateTimeField("diarsipkan pada", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="diarsipkan oleh",
    )

    class Meta:
        verbose_name = "dokumen final (arsip)"
        verbose_name_plural = "dokumen final (arsip)"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "kind"], name="archive_one_per_forum_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.subdistrict.name} {self.year})"

    def get_absolute_url(self) -> str:
        return reverse("reports:verify", args=[self.code])

    @property
    def verification_url(self) -> str:
        return f"{settings.SITE_URL}{self.get_absolute_url()}"


class ForumUpload(models.Model):
    """A file the kecamatan uploads to a forum: signed scans, photos, videos, other papers.

    The stored name is generated; ``original_name`` keeps the client's name as text only.
    The row itself is the upload log (who, when, what, how large).
    """

    class Kind(models.TextChoices):
        MINUTES_SCAN = "scan_ba", "Pindaian Berita Acara bertanda tangan"
        ATTENDANCE_SCAN = "scan_hadir", "Pindaian Daftar Hadir bertanda tangan"
        PHOTO = "foto", "Foto kegiatan"
        VIDEO = "video", "Video kegiatan"
        OTHER = "lain", "Dokumen lain"

    forum = models.ForeignKey(
        Forum, on_delete=models.PROTECT, related_name="uploads", verbose_name="forum"
    )
    kind = models.CharField("jenis", max_length=12, choices=Kind.choices)
    caption = models.CharField("keterangan", max_length=255)
    file = models.FileField("berkas", upload_to=upload_path)
    original_name = models.CharField("nama berkas asli", max_length=255)
    content_type = models.CharField("jenis isi", max_length=40)
    size = models.PositiveBigIntegerField("ukuran (bita)")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="diunggah oleh",
    )
    uploaded_at = models.DateTimeField("diunggah pada", auto_now_add=True)

    class Meta:
        verbose_name = "unggahan forum"
        verbose_name_plural = "unggahan forum"
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.caption}"


class Distribution(models.Model):
    """One outgoing document in the register: what went to whom, when, by whom, who received it.

    Bogor step 8 and Karanganyar step 8 ask for the proof of distribution to Bappeda and the
    OPDs; ``number`` is the outgoing letter number (nomor surat keluar), unique per forum.
    """

    class Recipient(models.TextChoices):
        BAPPEDA = "bappeda", "Bappeda"
        AGENCY = "opd", "Perangkat Daerah (OPD)"
        OTHER = "lain", "Lainnya"

    forum = models.ForeignKey(
        Forum, on_delete=models.PROTECT, related_name="distributions", verbose_name="forum"
    )
    number = models.CharField("nomor surat keluar", max_length=120)
    document_title = models.CharField("dokumen yang dikirim", max_length=255)
    recipient_kind = models.CharField("penerima", max_length=10, choices=Recipient.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, verbose_name="OPD penerima"
    )
    recipient_name = models.CharField("nama/instansi penerima", max_length=200, blank=True)
    sent_on = models.DateField("tanggal kirim")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="dikirim oleh",
    )
    received_by = models.CharField("diterima oleh", max_length=120, blank=True)
    received_on = models.DateField("tanggal terima", null=True, blank=True)
    note = models.CharField("catatan", max_length=255, blank=True)
    created_at = models.DateTimeField("dicatat pada", auto_now_add=True)

    class Meta:
        verbose_name = "register pengiriman dokumen"
        verbose_name_plural = "register pengiriman dokumen"
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "number"], name="distribution_unique_number"),
            models.CheckConstraint(
                condition=~models.Q(recipient_kind="opd") | models.Q(agency__isnull=False),
                name="distribution_opd_has_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} -> {self.recipient_label}"

    @property
    def recipient_label(self) -> str:
        if self.recipient_kind == self.Recipient.AGENCY and self.agency_id:
            return self.agency.name
        if self.recipient_kind == self.Recipient.BAPPEDA:
            return self.recipient_name or "Bappeda"
        return self.recipient_name or self.get_recipient_kind_display()


class SipdInput(models.Model):
    """A proposal's rekomendasi kecamatan ticked as entered into SIPD: who and when.

    One row per proposal, written by ``reports.sipd.services.sipd_input_mark`` after the forum
    was sent (the rekomendasi no longer changes then); unticking deletes the row. Both moves
    are kept in the history table.
    """

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="sipd_inputs", verbose_name="forum"
    )
    proposal = models.OneToOneField(
        "proposals.Proposal",
        on_delete=models.CASCADE,
        related_name="sipd_input",
        verbose_name="usulan",
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="diinput oleh",
    )
    done_at = models.DateTimeField("diinput pada")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "input SIPD"
        verbose_name_plural = "input SIPD"
        ordering = ["done_at"]

    def __str__(self) -> str:
        return f"{self.proposal_id} diinput di SIPD"


class SipdReconciliation(models.Model):
    """One comparison of a SIPD export with the forum's result (``sipd_reconcile``).

    It changes nothing in the forum; it records who compared which file (by SHA-256), when,
    the four counts and the differences (``details``: one entry per line of the report).
    """

    forum = models.ForeignKey(
        Forum, on_delete=models.PROTECT, related_name="sipd_reconciliations", verbose_name="forum"
    )
    file_name = models.CharField("nama berkas", max_length=255)
    file_sha256 = models.CharField("SHA-256 berkas", max_length=64)
    matched = models.PositiveIntegerField("cocok")
    different = models.PositiveIntegerField("selisih")
    missing_in_sipd = models.PositiveIntegerField("tidak ada di SIPD")
    missing_in_musrenbang = models.PositiveIntegerField("tidak ada di Musrenbang")
    details = models.JSONField("rincian", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="oleh",
    )
    created_at = models.DateTimeField("waktu", auto_now_add=True)

    class Meta:
        verbose_name = "rekonsiliasi SIPD"
        verbose_name_plural = "rekonsiliasi SIPD"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Rekonsiliasi SIPD {self.forum} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def all_match(self) -> bool:
        return not (self.different or self.missing_in_sipd or self.missing_in_musrenbang)


def job_path(instance: "DocumentJob", filename: str) -> str:
    """Return the job's own folder: a re-run overwrites the same file (see reports.jobs)."""
    suffix = PurePath(filename).suffix.lower()
    return f"dokumen/tugas/{instance.pk}/hasil{suffix}"


class DocumentJob(models.Model):
    """A document made by a background worker, as the user sees it: state, progress, result.

    Documents that take seconds (the Berita Acara, the Daftar Hadir, the kabupaten's workbook)
    are never rendered inside a request: the page queues a job (``reports.jobs.job_request``),
    a ``manage.py db_worker`` process runs it (``reports.jobs.job_run``) and the waiting page
    ``/dokumen/tugas/<id>/`` shows its progress, then the download or the error in Indonesian.

    ``key`` makes requests idempotent: the same document of the same data version with the
    same parameters is one row, so asking again reuses the queued, running or finished job; a
    failed job is queued again on the same row and overwrites the same file. The row names its
    target (``forum`` or ``regency``); who may see it follows the document's own permission
    (``reports.jobs.VIEW_PERMS``), never who asked first.
    """

    class Kind(models.TextChoices):
        ATTENDANCE = "daftar_hadir", "Daftar Hadir"
        MINUTES_DRAFT = "berita_acara_draf", "Draf Berita Acara"
        MINUTES_FINAL = "berita_acara_final", "Berita Acara final"
        AGENCY_LISTS = "dsp_opd", "DSP per Perangkat Daerah (semua OPD)"
        OVERVIEW = "ikhtisar", "Ikhtisar Musrenbang (Excel)"

    class State(models.TextChoices):
        QUEUED = "antre", "Menunggu giliran"
        RUNNING = "berjalan", "Sedang dibuat"
        DONE = "selesai", "Selesai"
        FAILED = "gagal", "Gagal"

    kind = models.CharField("jenis", max_length=30, choices=Kind.choices)
    forum = models.ForeignKey(
        Forum,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="document_jobs",
        verbose_name="forum",
    )
    regency = models.ForeignKey(
        Regency,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="kabupaten/kota",
    )
    params = models.JSONField("parameter", default=dict, blank=True)
    key = models.CharField("kunci idempoten", max_length=64, unique=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="diminta oleh",
    )
    state = models.CharField("status", max_length=10, choices=State.choices, default="antre")
    progress = models.PositiveSmallIntegerField("kemajuan (%)", default=0)
    step = models.CharField("langkah", max_length=200, blank=True)
    error = models.TextField("pesan kesalahan", blank=True)
    attempts = models.PositiveSmallIntegerField("percobaan", default=0)
    task_id = models.CharField("id tugas antrean", max_length=64, blank=True)
    file = models.FileField("berkas", upload_to=job_path, blank=True)
    filename = models.CharField("nama berkas unduhan", max_length=200, blank=True)
    content_type = models.CharField("jenis berkas", max_length=100, blank=True)
    archived = models.ForeignKey(
        ArchivedDocument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="dokumen final",
    )
    created_at = models.DateTimeField("diminta pada", auto_now_add=True)
    started_at = models.DateTimeField("mulai dibuat", null=True, blank=True)
    finished_at = models.DateTimeField("selesai pada", null=True, blank=True)

    class Meta:
        verbose_name = "pembuatan dokumen"
        verbose_name_plural = "pembuatan dokumen"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="documentjob_progress_max_100"
            ),
            models.CheckConstraint(
                condition=models.Q(forum__isnull=False) | models.Q(regency__isnull=False),
                name="documentjob_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("reports:job", args=[self.pk])

    @property
    def is_done(self) -> bool:
        return self.state == self.State.DONE

    @property
    def is_failed(self) -> bool:
        return self.state == self.State.FAILED

    @property
    def is_pending(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)


# The follow-up models live in reports/followup/ and belong to this app (label ``reports``).
from reports.followup.models import (  # noqa: E402
    FollowUp,
    FollowUpMove,
    Milestone,
    MilestoneFile,
    NotFundedReason,
    ReminderLog,
    Stage,
)

__all__ = [
    "ArchivedDocument",
    "Distribution",
    "DocumentJob",
    "FollowUp",
    "FollowUpMove",
    "ForumUpload",
    "Milestone",
    "MilestoneFile",
    "NotFundedReason",
    "ReminderLog",
    "SipdInput",
    "SipdReconciliation",
    "Stage",
]

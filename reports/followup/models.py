"""Follow-up (tindak lanjut) of every proposal of a sent forum, its moves and its milestones.

Importable from ``reports.models`` so that the migrations stay in ``reports/migrations``.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from musrenbang.models import Agency, Subdistrict
from proposals.models import Proposal
from sessions.models import Forum


class Stage(models.TextChoices):
    KECAMATAN = "kecamatan", "Di kecamatan (cadangan/tidak dibahas)"
    RECEIVED = "diterima", "Diterima OPD"
    RENJA = "renja", "Masuk Renja OPD"
    RKPD = "rkpd", "Masuk RKPD"
    DPA = "dpa", "Masuk DPA"
    RUNNING = "pelaksanaan", "Dalam pelaksanaan"
    DONE = "selesai", "Selesai"
    NOT_FUNDED = "tidak_didanai", "Tidak didanai"
    TRANSFERRED = "dialihkan", "Dialihkan ke OPD lain"


class NotFundedReason(models.TextChoices):
    OUT_OF_AUTHORITY = "kewenangan", "Di luar kewenangan"
    CEILING = "pagu", "Pagu tidak cukup"
    NOT_FEASIBLE = "teknis", "Tidak layak teknis"
    OTHER_FUNDING = "sumber_lain", "Dialihkan ke sumber dana lain"
    POSTPONED = "ditunda", "Ditunda ke tahun berikut"


class FollowUp(models.Model):
    """What became of one proposal after its forum was sent: one row per proposal.

    Owned by the agency the proposal was sent to (``agency``); reserves and proposals the
    forum never discussed stay with the kecamatan (``agency`` empty, stage ``kecamatan``).
    The stage changes only through ``reports.followup.services.followup_move``, which enforces
    the one table of allowed moves and writes a ``FollowUpMove`` for each.
    """

    proposal = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, related_name="follow_up", verbose_name="usulan"
    )
    forum = models.ForeignKey(
        Forum, on_delete=models.PROTECT, related_name="follow_ups", verbose_name="forum"
    )
    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, related_name="+", verbose_name="kecamatan"
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name="OPD penanggung jawab",
    )
    stage = models.CharField("tahap", max_length=14, choices=Stage.choices)
    budget_year = models.PositiveSmallIntegerField("tahun anggaran", null=True, blank=True)
    budget_amount = models.BigIntegerField(
        "anggaran DPA (Rp)", null=True, blank=True, validators=[MinValueValidator(0)]
    )
    progress = models.PositiveSmallIntegerField(
        "realisasi fisik (%)", default=0, validators=[MaxValueValidator(100)]
    )
    reason_category = models.CharField(
        "kategori alasan tidak didanai", max_length=12, choices=NotFundedReason.choices, blank=True
    )
    reason_text = models.TextField("alasan tidak didanai", blank=True)
    created_at = models.DateTimeField("dibuat pada", auto_now_add=True)
    updated_at = models.DateTimeField("pembaruan terakhir", db_index=True)

    class Meta:
        verbose_name = "tindak lanjut usulan"
        verbose_name_plural = "tindak lanjut usulan"
        ordering = ["updated_at", "id"]
        indexes = [
            models.Index(fields=["agency", "stage"], name="followup_agency_stage_idx"),
            models.Index(fields=["subdistrict", "stage"], name="followup_subdistrict_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="followup_progress_max"),
            models.CheckConstraint(
                condition=Q(budget_amount__isnull=True) | Q(budget_amount__gte=0),
                name="followup_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(stage="tidak_didanai") | ~Q(reason_category=""),
                name="followup_not_funded_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(stage="kecamatan", agency__isnull=True)
                | (~Q(stage="kecamatan") & Q(agency__isnull=False))
                | Q(stage="tidak_didanai"),
                name="followup_owner_matches_stage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal.reference}: {self.get_stage_display()}"

    def get_absolute_url(self) -> str:
        return reverse("reports:followup_detail", args=[self.pk])

    @property
    def is_funded(self) -> bool:
        return self.stage in (Stage.DPA, Stage.RUNNING, Stage.DONE)

    @property
    def is_unfunded(self) -> bool:
        return self.stage == Stage.NOT_FUNDED

    @property
    def is_running(self) -> bool:
        return self.stage == Stage.RUNNING

    @property
    def shows_progress(self) -> bool:
        """Return True in the stages where the realisation percentage means something."""
        return self.stage in (Stage.RUNNING, Stage.DONE)


class FollowUpMove(models.Model):
    """One move of a follow-up's stage: who, on which date, from, to and the figures given.

    Also written for a progress update inside ``pelaksanaan`` (from and to the same stage).
    """

    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, related_name="moves", verbose_name="tindak lanjut"
    )
    from_stage = models.CharField("dari", max_length=14, choices=Stage.choices, blank=True)
    to_stage = models.CharField("ke", max_length=14, choices=Stage.choices)
    from_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    date = models.DateField("tanggal")
    budget_year = models.PositiveSmallIntegerField("tahun anggaran", null=True, blank=True)
    budget_amount = models.BigIntegerField("anggaran (Rp)", null=True, blank=True)
    progress = models.PositiveSmallIntegerField("realisasi (%)", null=True, blank=True)
    reason_category = models.CharField(
        "kategori alasan", max_length=12, choices=NotFundedReason.choices, blank=True
    )
    note = models.TextField("keterangan", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="oleh",
    )
    at = models.DateTimeField("dicatat pada", auto_now_add=True)

    class Meta:
        verbose_name = "riwayat tahap tindak lanjut"
        verbose_name_plural = "riwayat tahap tindak lanjut"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.follow_up_id}: {self.from_stage} -> {self.to_stage}"

    @property
    def names_agency(self) -> bool:
        """Return True for a move that hands the follow-up to an agency (received, transferred)."""
        return self.to_stage in (Stage.RECEIVED, Stage.TRANSFERRED)

    @property
    def to_running(self) -> bool:
        return self.to_stage == Stage.RUNNING


class Milestone(models.Model):
    """A dated step of the work (survey, contract, 50% built, handover) with photos and files."""

    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, related_name="milestones", verbose_name="tindak lanjut"
    )
    date = models.DateField("tanggal")
    title = models.CharField("judul", max_length=200)
    progress = models.PositiveSmallIntegerField(
        "realisasi (%)", null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    public = models.BooleanField("tampil di halaman publik", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("dicatat pada", auto_now_add=True)

    class Meta:
        verbose_name = "capaian"
        verbose_name_plural = "capaian"
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__lte=100),
                name="milestone_progress_max",
            ),
        ]

    def __str__(self) -> str:
        return self.title


def milestone_file_path(instance: "MilestoneFile", filename: str) -> str:
    """Return a generated storage name keeping only the (already checked) extension."""
    suffix = PurePath(filename).suffix.lower()
    return f"tindak-lanjut/{uuid.uuid4().hex}{suffix}"


class MilestoneFile(models.Model):
    """A photo or document of a milestone; a photo keeps where and when it was taken (EXIF)."""

    class Kind(models.TextChoices):
        PHOTO = "foto", "Foto"
        DOCUMENT = "dokumen", "Dokumen"

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField("jenis", max_length=10, choices=Kind.choices)
    file = models.FileField("berkas", upload_to=milestone_file_path)
    original_name = models.CharField("nama berkas asli", max_length=255)
    content_type = models.CharField("jenis isi", max_length=100)
    size = models.PositiveBigIntegerField("ukuran (bita)")
    sha256 = models.CharField("SHA-256", max_length=64)
    taken_at = models.DateTimeField("diambil pada", null=True, blank=True)
    latitude = models.DecimalField("lintang", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("bujur", max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = "berkas capaian"
        verbose_name_plural = "berkas capaian"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_photo(self) -> bool:
        return self.kind == self.Kind.PHOTO


class ReminderLog(models.Model):
    """One reminder sent to an agency on a day: makes ``followup_reminders`` idempotent per day."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    day = models.DateField("tanggal")
    count = models.PositiveIntegerField("jumlah tindak lanjut")
    recipients = models.TextField("penerima", blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pengingat tindak lanjut"
        verbose_name_plural = "pengingat tindak lanjut"
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="reminder_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.day}"

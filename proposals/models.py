"""Proposals (usulan) from desa/kelurahan, their attachments and their status history."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from musrenbang.models import (
    Agency,
    DevelopmentPriority,
    KamusEntry,
    Nomenclature,
    RegionalTarget,
    Sector,
    Subdistrict,
    Village,
)


class Status(models.TextChoices):
    DRAFT = "draft", "Draf"
    SUBMITTED = "diajukan", "Diajukan"
    RECEIVED = "diterima", "Diterima kecamatan"
    RETURNED = "dikembalikan", "Dikembalikan untuk perbaikan"
    VERIFIED = "terverifikasi", "Terverifikasi"
    REJECTED = "ditolak", "Ditolak"
    NOT_DISCUSSED = "tidak_dibahas", "Tidak dibahas: forum sudah selesai"


class RejectionCategory(models.TextChoices):
    OUT_OF_AUTHORITY = "kewenangan", "Di luar kewenangan kabupaten/kota"
    DUPLICATE = "duplikat", "Duplikat"
    INCOMPLETE = "tidak_lengkap", "Tidak lengkap"
    OTHER = "lainnya", "Lainnya"


class Origin(models.TextChoices):
    VILLAGE = "desa", "Musrenbang desa/kelurahan"
    SUBDISTRICT = "kecamatan", "Tambahan kecamatan"


class Proposal(models.Model):
    """One proposed activity (kegiatan) for a planning year.

    A desa/kelurahan proposal travels draft -> submitted -> received -> verified (or returned,
    or rejected); a submitted or received one the forum never took in is closed as "not
    discussed" when the forum of its kecamatan and year is sent. The allowed moves and their
    guards live in ``proposals.services``. The kecamatan keeps the original volume and cost
    and may record agreed figures next to them. ``subdistrict`` is stored for every proposal
    (also kecamatan additions without a desa) so that scoping by kecamatan is one indexed
    filter.
    """

    year = models.PositiveSmallIntegerField("tahun perencanaan", db_index=True)
    origin = models.CharField(
        "asal usulan", max_length=12, choices=Origin.choices, default=Origin.VILLAGE
    )
    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, related_name="proposals", verbose_name="kecamatan"
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name="desa/kelurahan",
        null=True,
        blank=True,
    )
    title = models.CharField("usulan kegiatan", max_length=255)
    problem = models.TextField("permasalahan", max_length=2000, blank=True)
    location = models.CharField("lokasi", max_length=255, help_text="Dusun/RW/RT atau jalan")
    latitude = models.DecimalField("lintang", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("bujur", max_digits=9, decimal_places=6, null=True, blank=True)
    volume = models.DecimalField("volume", max_digits=12, decimal_places=2)
    unit = models.CharField("satuan", max_length=40)
    cost = models.BigIntegerField("perkiraan biaya (Rp)", validators=[MinValueValidator(0)])
    agreed_volume = models.DecimalField(
        "volume disepakati", max_digits=12, decimal_places=2, null=True, blank=True
    )
    agreed_cost = models.BigIntegerField(
        "biaya disepakati (Rp)", null=True, blank=True, validators=[MinValueValidator(0)]
    )
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="proposals", verbose_name="bidang"
    )
    suggested_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="suggested_proposals",
        verbose_name="OPD tujuan",
        null=True,
        blank=True,
    )
    development_priority = models.ForeignKey(
        DevelopmentPriority,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name="prioritas pembangunan daerah",
        null=True,
        blank=True,
    )
    kamus = models.ForeignKey(
        KamusEntry,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name="kamus usulan",
        null=True,
        blank=True,
        help_text="Kosong: usulan langsung (tanpa kamus), ditandai untuk verifikasi.",
    )
    sub_activity = models.ForeignKey(
        Nomenclature,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name="sub kegiatan",
        null=True,
        blank=True,
    )
    regional_target = models.ForeignKey(
        RegionalTarget,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name="sasaran daerah",
        null=True,
        blank=True,
    )
    cost_note = models.TextField(
        "catatan penyesuaian biaya",
        max_length=1000,
        blank=True,
        help_text="Wajib bila biaya berbeda dari volume × harga satuan kamus.",
    )
    village_rank = models.PositiveSmallIntegerField(
        "prioritas desa", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    reference = models.CharField("nomor usulan", max_length=40, unique=True)
    tracking_code = models.CharField("kode lacak", max_length=12, unique=True)
    status = models.CharField(
        "status", max_length=14, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    status_reason = models.TextField("alasan status", blank=True)
    rejection_category = models.CharField(
        "kategori penolakan", max_length=14, choices=RejectionCategory.choices, blank=True
    )
    submitted_at = models.DateTimeField("diajukan pada", null=True, blank=True)
    register_number = models.CharField("nomor register", max_length=40, blank=True)
    received_at = models.DateTimeField("diterima pada", null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="diterima oleh",
    )
    disposition_note = models.TextField("catatan disposisi", blank=True)
    carried_over_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_over_to",
        verbose_name="lanjutan dari usulan",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="dibuat oleh",
    )
    # SIPD's identity of the row this proposal was imported from (``import_sipd``): its id, or
    # No + date + proposer + title when the export has no id. Empty: entered in Musrenbang.
    sipd_key = models.CharField("kunci SIPD", max_length=200, blank=True)
    # SIPD's ``Usulan``: the name of a kamus usulan entry, kept apart from the title so it can
    # be matched to the catalogue.
    sipd_usulan = models.CharField("usulan (kamus SIPD)", max_length=255, blank=True)
    # ``SKPD Tujuan`` as SIPD wrote it; when no OPD matched it, ``suggested_agency`` is empty.
    sipd_agency_text = models.CharField("SKPD tujuan (SIPD)", max_length=200, blank=True)
    sipd_imported_at = models.DateTimeField("diimpor dari SIPD pada", null=True, blank=True)
    created_at = models.DateTimeField("dibuat pada", auto_now_add=True)
    updated_at = models.DateTimeField("diubah pada", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "usulan"
        verbose_name_plural = "usulan"
        ordering = ["year", "subdistrict_id", "village_id", "village_rank", "id"]
        indexes = [
            models.Index(fields=["subdistrict", "year", "status"], name="proposal_scope_idx"),
            models.Index(fields=["village", "year"], name="proposal_village_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year", "village_rank"],
                condition=Q(village_rank__isnull=False),
                name="proposal_unique_village_rank",
            ),
            models.UniqueConstraint(
                fields=["subdistrict", "year", "sipd_key"],
                condition=~Q(sipd_key=""),
                name="proposal_unique_sipd_key",
            ),
            models.CheckConstraint(condition=Q(volume__gt=0), name="proposal_volume_positive"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="proposal_cost_not_negative"),
            models.CheckConstraint(
                condition=Q(origin="kecamatan") | Q(village__isnull=False),
                name="proposal_village_origin_has_village",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("proposals:detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_rejected(self) -> bool:
        return self.status == Status.REJECTED

    @property
    def from_sipd(self) -> bool:
        return bool(self.sipd_key)

    @property
    def sipd_agency_unknown(self) -> bool:
        """SIPD named an SKPD tujuan that matched no OPD (kept as text, flagged)."""
        return bool(self.sipd_agency_text) and self.suggested_agency_id is None

    @property
    def effective_volume(self):
        return self.agreed_volume if self.agreed_volume is not None else self.volume

    @property
    def effective_cost(self) -> int:
        return self.agreed_cost if self.agreed_cost is not None else self.cost

    @property
    def kamus_cost(self) -> int | None:
        """Return volume x the kamus unit price (None for a direct proposal)."""
        if self.kamus is None or self.volume is None:
            return None
        return int(self.volume * self.kamus.unit_price)

    @property
    def kamus_difference(self) -> int | None:
        """Return cost minus the kamus cost (shown to the forum), None without a kamus."""
        expected = self.kamus_cost
        return None if expected is None else self.effective_cost - expected


class Attachment(models.Model):
    """A file attached to a proposal: a photo, the proposal document, a cost estimate."""

    class Kind(models.TextChoices):
        PHOTO = "foto", "Foto lokasi"
        DOCUMENT = "dokumen", "Dokumen usulan"
        ESTIMATE = "rab", "Rencana anggaran biaya"
        OTHER = "lain", "Lainnya"

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="attachments", verbose_name="usulan"
    )
    kind = models.CharField("jenis", max_length=10, choices=Kind.choices)
    file = models.FileField("berkas", upload_to="usulan/%Y/")
    original_name = models.CharField("nama berkas asli", max_length=255)
    content_type = models.CharField("jenis isi", max_length=100)
    size = models.PositiveBigIntegerField("ukuran (bita)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="diunggah oleh",
    )
    uploaded_at = models.DateTimeField("diunggah pada", auto_now_add=True)

    class Meta:
        verbose_name = "lampiran usulan"
        verbose_name_plural = "lampiran usulan"
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_photo(self) -> bool:
        return self.kind == self.Kind.PHOTO


class Transition(models.Model):
    """One change of a proposal's status: who, when, from, to and why (the audit trail).

    ``public`` reasons are shown on the public tracking page; internal notes are not.
    """

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="transitions", verbose_name="usulan"
    )
    from_status = models.CharField("dari", max_length=14, choices=Status.choices, blank=True)
    to_status = models.CharField("ke", max_length=14, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="oleh",
    )
    at = models.DateTimeField("waktu", auto_now_add=True)
    reason = models.TextField("alasan", blank=True)
    public = models.BooleanField("tampil di halaman lacak", default=True)

    class Meta:
        verbose_name = "riwayat status usulan"
        verbose_name_plural = "riwayat status usulan"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.from_status} -> {self.to_status}"


class YearClosure(models.Model):
    """A kecamatan's planning year whose proposals are closed: its forum was sent to the OPDs.

    Written by ``proposals.services.proposals_close_year``, which the forum calls when it is
    sent ("Kirim ke OPD"). From then on no proposal of the kecamatan and year may change
    (``proposals.locks``) and pages say once that the year is closed. Proposals learn of the
    closure only through this row: they never read the forum.
    """

    subdistrict = models.ForeignKey(
        Subdistrict,
        on_delete=models.CASCADE,
        related_name="year_closures",
        verbose_name="kecamatan",
    )
    year = models.PositiveSmallIntegerField("tahun perencanaan")
    closed_at = models.DateTimeField("ditutup pada")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ditutup oleh",
    )
    reason = models.TextField("alasan", blank=True)

    class Meta:
        verbose_name = "penutupan tahun usulan"
        verbose_name_plural = "penutupan tahun usulan"
        ordering = ["subdistrict_id", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "year"], name="year_closure_unique_subdistrict_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subdistrict_id}/{self.year} ditutup"

"""Master data shared by every app: regions, agencies, sectors, years, ceilings and users."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Regency(models.Model):
    """A kabupaten or kota, keyed by its Kemendagri code (``PP.KK``).

    It owns Bappeda's master data: agencies, sectors, development priorities, planning years,
    and the number of delegates each kecamatan elects.
    """

    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", "Kabupaten"
        KOTA = "kota", "Kota"

    code = models.CharField("kode", max_length=5, unique=True)
    name = models.CharField("nama", max_length=120)
    kind = models.CharField("jenis", max_length=10, choices=Kind.choices)
    province_name = models.CharField("provinsi", max_length=120, blank=True)
    address = models.CharField("alamat pemerintah daerah", max_length=255, blank=True)
    logo = models.ImageField("logo daerah", upload_to="logo/", blank=True)
    head_title = models.CharField(
        "sebutan kepala daerah", max_length=40, blank=True, help_text="Bupati atau Wali Kota"
    )
    delegates_forum_opd = models.PositiveSmallIntegerField(
        "jumlah delegasi Forum Perangkat Daerah", default=3
    )
    delegates_musrenbang = models.PositiveSmallIntegerField(
        "jumlah delegasi Musrenbang Kabupaten/Kota", default=3
    )

    class Meta:
        verbose_name = "kabupaten/kota"
        verbose_name_plural = "kabupaten/kota"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def government_name(self) -> str:
        """Return the heading of the letterhead, e.g. ``PEMERINTAH KOTA TANGERANG``."""
        return f"Pemerintah {self.name}"


class Subdistrict(models.Model):
    """A kecamatan (``PP.KK.CC``), led by a camat."""

    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="subdistricts", verbose_name="kab/kota"
    )
    code = models.CharField("kode", max_length=8, unique=True)
    name = models.CharField("nama", max_length=120)
    address = models.CharField("alamat kantor", max_length=255, blank=True)
    phone = models.CharField("telepon", max_length=40, blank=True)
    email = models.EmailField("surel", blank=True)
    camat_name = models.CharField("nama camat", max_length=120, blank=True)
    camat_nip = models.CharField("NIP camat", max_length=30, blank=True)
    electoral_district = models.CharField("daerah pemilihan (dapil)", max_length=120, blank=True)

    class Meta:
        verbose_name = "kecamatan"
        verbose_name_plural = "kecamatan"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"Kecamatan {self.name}"


class Village(models.Model):
    """A desa or kelurahan (``PP.KK.CC.NDDD``: N = 1 kelurahan, 2 desa)."""

    class Kind(models.TextChoices):
        DESA = "desa", "Desa"
        KELURAHAN = "kelurahan", "Kelurahan"

    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, related_name="villages", verbose_name="kecamatan"
    )
    code = models.CharField("kode", max_length=13, unique=True)
    name = models.CharField("nama", max_length=120)
    kind = models.CharField("jenis", max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = "desa/kelurahan"
        verbose_name_plural = "desa/kelurahan"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class Agency(models.Model):
    """An OPD (perangkat daerah) of a kabupaten/kota: the penanggung jawab of proposals."""

    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="agencies", verbose_name="kab/kota"
    )
    name = models.CharField("nama", max_length=200)
    abbreviation = models.CharField("singkatan", max_length=30)
    is_active = models.BooleanField("aktif", default=True)

    class Meta:
        verbose_name = "perangkat daerah (OPD)"
        verbose_name_plural = "perangkat daerah (OPD)"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["regency", "abbreviation"], name="agency_unique_abbr"),
        ]

    def __str__(self) -> str:
        return self.abbreviation or self.name


class Sector(models.Model):
    """A bidang of a kabupaten/kota; the forum forms one commission per bidang by default."""

    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="sectors", verbose_name="kab/kota"
    )
    name = models.CharField("nama", max_length=120)
    order = models.PositiveSmallIntegerField("urutan", default=0)

    class Meta:
        verbose_name = "bidang"
        verbose_name_plural = "bidang"
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["regency", "name"], name="sector_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class DevelopmentPriority(models.Model):
    """A regional development priority (prioritas pembangunan daerah) a proposal may serve."""

    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="priorities", verbose_name="kab/kota"
    )
    name = models.CharField("nama", max_length=200)
    order = models.PositiveSmallIntegerField("urutan", default=0)

    class Meta:
        verbose_name = "prioritas pembangunan daerah"
        verbose_name_plural = "prioritas pembangunan daerah"
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["regency", "name"], name="priority_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A unit of volume (satuan) suggested when a proposal is typed; free text stays allowed."""

    name = models.CharField("nama", max_length=40, unique=True)

    class Meta:
        verbose_name = "satuan"
        verbose_name_plural = "satuan"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PlanningYear(models.Model):
    """A planning year of a kabupaten/kota with its windows.

    ``year`` is the year being planned (the RKPD year), e.g. 2027 for forums held in early 2026.
    Desa operators submit until ``submission_deadline``; the forums run within the forum period.
    """

    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="years", verbose_name="kab/kota"
    )
    year = models.PositiveSmallIntegerField(
        "tahun perencanaan", validators=[MinValueValidator(2000)]
    )
    submission_deadline = models.DateTimeField("batas pengajuan usulan desa/kelurahan")
    forum_start = models.DateField("awal periode musrenbang kecamatan")
    forum_end = models.DateField("akhir periode musrenbang kecamatan")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "tahun perencanaan"
        verbose_name_plural = "tahun perencanaan"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["regency", "year"], name="planning_year_unique"),
            models.CheckConstraint(
                condition=Q(forum_end__gte=models.F("forum_start")),
                name="planning_year_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} ({self.regency})"

    def clean(self) -> None:
        if self.forum_start and self.forum_end and self.forum_end < self.forum_start:
            raise ValidationError({"forum_end": "Akhir periode tidak boleh sebelum awal periode."})


class BudgetCeiling(models.Model):
    """The pagu indikatif kewilayahan of a kecamatan for a planning year, in whole rupiah."""

    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, related_name="ceilings", verbose_name="kecamatan"
    )
    year = models.PositiveSmallIntegerField("tahun perencanaan")
    amount = models.BigIntegerField("pagu indikatif (Rp)", validators=[MinValueValidator(0)])

    history = HistoricalRecords()

    class Meta:
        verbose_name = "pagu indikatif kecamatan"
        verbose_name_plural = "pagu indikatif kecamatan"
        ordering = ["-year", "subdistrict__code"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "year"], name="ceiling_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="ceiling_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.subdistrict} {self.year}"


class Role(models.TextChoices):
    BAPPEDA = "bappeda", "Admin Bappeda"
    CAMAT = "camat", "Camat"
    STAFF = "staf", "Staf Kecamatan"
    OPERATOR = "operator", "Operator Desa/Kelurahan"
    OPD = "opd", "Petugas OPD"


class User(AbstractUser):
    """A person using Musrenbang, with exactly one role and the place that role belongs to.

    Bappeda admins belong to a kabupaten/kota, camat and staff to a kecamatan, operators to a
    desa/kelurahan, OPD readers to an agency. ``regency`` is kept for every role so that the
    Django admin and the permission rules can scope by kabupaten cheaply. Superusers have no
    role and see everything.
    """

    role = models.CharField("peran", max_length=10, choices=Role.choices, blank=True)
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, null=True, blank=True, verbose_name="kab/kota"
    )
    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, null=True, blank=True, verbose_name="kecamatan"
    )
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, null=True, blank=True, verbose_name="desa/kelurahan"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, verbose_name="OPD"
    )
    nip = models.CharField("NIP", max_length=30, blank=True)
    position = models.CharField("jabatan", max_length=120, blank=True)
    phone = models.CharField("telepon", max_length=30, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = "pengguna"
        verbose_name_plural = "pengguna"
        constraints = [
            models.CheckConstraint(
                condition=Q(role="")
                | Q(role="bappeda", regency__isnull=False)
                | Q(role__in=["camat", "staf"], subdistrict__isnull=False)
                | Q(role="operator", village__isnull=False)
                | Q(role="opd", agency__isnull=False),
                name="user_role_has_place",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        required = {
            Role.BAPPEDA: "regency",
            Role.CAMAT: "subdistrict",
            Role.STAFF: "subdistrict",
            Role.OPERATOR: "village",
            Role.OPD: "agency",
        }.get(self.role)
        if required and not getattr(self, f"{required}_id"):
            field = self._meta.get_field(required)
            raise ValidationError({required: f"Peran ini wajib memilih {field.verbose_name}."})
        # Derive the wider places from the narrow one so that scoping never disagrees.
        if self.village_id:
            self.subdistrict = self.village.subdistrict
        if self.subdistrict_id:
            self.regency = self.subdistrict.regency
        if self.agency_id:
            self.regency = self.agency.regency

    @property
    def is_bappeda(self) -> bool:
        return self.role == Role.BAPPEDA

    @property
    def is_kecamatan(self) -> bool:
        return self.role in (Role.CAMAT, Role.STAFF)

    @property
    def is_camat(self) -> bool:
        return self.role == Role.CAMAT

    @property
    def is_operator(self) -> bool:
        return self.role == Role.OPERATOR

    @property
    def is_opd(self) -> bool:
        return self.role == Role.OPD

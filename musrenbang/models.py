"""Master data shared by every app: regions, agencies, sectors, years, ceilings and users."""

import rules
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from musrenbang.rulebook import RULES


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
    year = models.PositiveSmallIntegerField(
        "tahun RKPD", null=True, blank=True, help_text="Kosong: berlaku untuk setiap tahun."
    )

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

    def has_perm(self, perm: str, obj=None) -> bool:
        """Answer a rule-book action by the rule book alone; any other permission as Django does.

        Django answers True to an active superuser for every permission, so a page would offer
        a superuser controls that ``authorize`` then refuses. Actions declared with ``add_rule``
        are therefore asked of their rule only (active users only), for superusers too; model
        permissions (the admin) keep Django's answer.
        """
        if perm in RULES:
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

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


# --- Nomenclature (Permendagri 90/2019 and its yearly Kepmendagri updates) and kamus usulan ---


class Instrument(models.Model):
    """A legal instrument that fixes the national nomenclature from a planning year on.

    A year's planning uses the instrument in force for it: the one with the greatest
    ``first_year`` not after that year. Older years keep theirs; nothing is rewritten.
    """

    name = models.CharField("instrumen", max_length=120, unique=True)
    first_year = models.PositiveSmallIntegerField(
        "berlaku mulai tahun perencanaan", unique=True, validators=[MinValueValidator(2000)]
    )

    class Meta:
        verbose_name = "instrumen nomenklatur"
        verbose_name_plural = "instrumen nomenklatur"
        ordering = ["-first_year"]

    def __str__(self) -> str:
        return f"{self.name} (mulai {self.first_year})"


class Nomenclature(models.Model):
    """One row of an instrument's list: urusan, bidang urusan, program, kegiatan, sub kegiatan.

    Sub kegiatan carry their performance (kinerja), indicator and unit (the metadata).
    """

    class Level(models.TextChoices):
        URUSAN = "urusan", "Urusan"
        BIDANG = "bidang_urusan", "Bidang urusan"
        PROGRAM = "program", "Program"
        KEGIATAN = "kegiatan", "Kegiatan"
        SUB = "sub_kegiatan", "Sub kegiatan"

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="rows", verbose_name="instrumen"
    )
    level = models.CharField("tingkat", max_length=14, choices=Level.choices)
    code = models.CharField("kode", max_length=30)
    name = models.CharField("nomenklatur", max_length=400)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="induk",
    )
    performance = models.TextField("kinerja", blank=True)
    indicator = models.TextField("indikator", blank=True)
    unit = models.CharField("satuan", max_length=80, blank=True)

    class Meta:
        verbose_name = "nomenklatur"
        verbose_name_plural = "nomenklatur"
        ordering = ["instrument", "code"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="nomenclature_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def ancestor(self, level: str) -> "Nomenclature | None":
        """Return the ancestor at ``level`` (parents must be loaded with select_related)."""
        node = self
        while node is not None and node.level != level:
            node = node.parent
        return node


class CodeMapping(models.Model):
    """An old code renumbered by ``instrument``: carries a kamus into that instrument's years."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="mappings", verbose_name="instrumen baru"
    )
    old_code = models.CharField("kode lama", max_length=30)
    new_code = models.CharField("kode baru", max_length=30)

    class Meta:
        verbose_name = "pemetaan kode nomenklatur"
        verbose_name_plural = "pemetaan kode nomenklatur"
        ordering = ["instrument", "old_code"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "old_code"], name="mapping_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.old_code} -> {self.new_code}"


class RegionalTarget(models.Model):
    """A sasaran daerah under a prioritas daerah of the RKPD (Permendagri 86/2017, T-D.4)."""

    priority = models.ForeignKey(
        DevelopmentPriority,
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name="prioritas daerah",
    )
    name = models.CharField("sasaran daerah", max_length=300)
    order = models.PositiveSmallIntegerField("urutan", default=0)

    class Meta:
        verbose_name = "sasaran daerah"
        verbose_name_plural = "sasaran daerah"
        ordering = ["priority", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "name"], name="target_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def regency_id(self) -> int:
        return self.priority.regency_id


class KamusEntry(models.Model):
    """A kamus usulan entry: a proposal type of a kabupaten/kota and year (Bappeda's catalogue).

    Choosing it fills the unit, bidang, OPD and sub kegiatan of a proposal and proposes
    cost = volume x unit price.
    """

    class Kind(models.TextChoices):
        PHYSICAL = "fisik", "Fisik"
        NON_PHYSICAL = "nonfisik", "Non-fisik"

    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="kamus", verbose_name="kab/kota"
    )
    year = models.PositiveSmallIntegerField("tahun perencanaan")
    name = models.CharField("nama usulan", max_length=255)
    description = models.TextField("uraian pekerjaan", blank=True)
    unit = models.CharField("satuan", max_length=40)
    unit_price = models.BigIntegerField("harga satuan (Rp)", validators=[MinValueValidator(0)])
    kind = models.CharField("jenis", max_length=10, choices=Kind.choices, default=Kind.PHYSICAL)
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, null=True, blank=True, verbose_name="bidang"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, verbose_name="OPD"
    )
    sub_activity = models.ForeignKey(
        Nomenclature,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kamus",
        verbose_name="sub kegiatan",
        limit_choices_to={"level": "sub_kegiatan"},
    )
    priority = models.ForeignKey(
        DevelopmentPriority,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name="prioritas daerah",
    )
    target = models.ForeignKey(
        RegionalTarget,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name="sasaran daerah",
    )
    is_active = models.BooleanField("aktif", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "kamus usulan"
        verbose_name_plural = "kamus usulan"
        ordering = ["regency", "-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["regency", "year", "name"], name="kamus_unique_name"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="kamus_price_not_negative"),
        ]
        indexes = [models.Index(fields=["regency", "year", "is_active"], name="kamus_scope_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

"""Criteria, scores, ranking results and decisions of a forum."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from musrenbang.models import Agency, Regency
from sessions.models import Forum, ForumItem


def default_levels() -> dict:
    return {
        "1": "Sangat rendah",
        "2": "Rendah",
        "3": "Sedang",
        "4": "Tinggi",
        "5": "Sangat tinggi",
    }


class CriteriaTemplate(models.Model):
    """A set of criteria Bappeda keeps per kabupaten/kota and year.

    The default (``scoring.services.template_get_default``) holds the eight criteria of the
    Langkat SOP; it is named by what it is, and its description says where it comes from.
    """

    regency = models.ForeignKey(Regency, on_delete=models.CASCADE, verbose_name="kab/kota")
    year = models.PositiveSmallIntegerField("tahun perencanaan")
    name = models.CharField("nama", max_length=120)
    description = models.TextField("keterangan", blank=True)

    class Meta:
        verbose_name = "templat kriteria"
        verbose_name_plural = "templat kriteria"
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["regency", "year", "name"], name="criteria_template_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class CriterionBase(models.Model):
    name = models.CharField("nama kriteria", max_length=200)
    description = models.TextField("keterangan", blank=True)
    weight = models.DecimalField(
        "bobot",
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    scale_min = models.PositiveSmallIntegerField("nilai terendah", default=1)
    scale_max = models.PositiveSmallIntegerField("nilai tertinggi", default=5)
    levels = models.JSONField("arti tiap nilai", default=default_levels, blank=True)
    order = models.PositiveSmallIntegerField("urutan", default=0)

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class TemplateCriterion(CriterionBase):
    template = models.ForeignKey(
        CriteriaTemplate, on_delete=models.CASCADE, related_name="criteria", verbose_name="templat"
    )

    class Meta(CriterionBase.Meta):
        verbose_name = "kriteria templat"
        verbose_name_plural = "kriteria templat"


class Criterion(CriterionBase):
    """A criterion the forum agreed (copied from a template); frozen after the first score."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="criteria")

    history = HistoricalRecords()

    class Meta(CriterionBase.Meta):
        verbose_name = "kriteria forum"
        verbose_name_plural = "kriteria forum"
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")), name="criterion_scale_order"
            ),
        ]


class Score(models.Model):
    """One scorer's value for one proposal of the forum against one criterion."""

    item = models.ForeignKey(
        ForumItem, on_delete=models.CASCADE, related_name="scores", verbose_name="usulan"
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name="kriteria"
    )
    scorer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name="penilai",
    )
    value = models.PositiveSmallIntegerField("nilai")
    updated_at = models.DateTimeField("diubah pada", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "nilai"
        verbose_name_plural = "nilai"
        constraints = [
            models.UniqueConstraint(
                fields=["item", "criterion", "scorer"], name="score_unique_per_scorer"
            ),
        ]
        indexes = [
            # One scorer's sheet: progress counts and the sheet's own values.
            models.Index(fields=["scorer", "criterion"], name="score_sheet_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.criterion_id}/{self.scorer_id}={self.value}"


class Scorer(models.Model):
    """A person allowed to score in a forum with several scorers (commission members)."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="scorers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name="pengguna"
    )

    class Meta:
        verbose_name = "penilai"
        verbose_name_plural = "penilai"
        constraints = [
            models.UniqueConstraint(fields=["forum", "user"], name="scorer_unique"),
        ]

    def __str__(self) -> str:
        return str(self.user)


class Result(models.Model):
    """The computed total and rank of a forum proposal, and the forum's decision on it."""

    class Decision(models.TextChoices):
        UNDECIDED = "", "Belum diputuskan"
        PRIORITY = "prioritas", "Prioritas"
        RESERVE = "cadangan", "Cadangan (non-prioritas)"

    item = models.OneToOneField(
        ForumItem, on_delete=models.CASCADE, related_name="result", verbose_name="usulan"
    )
    total = models.DecimalField("nilai total", max_digits=10, decimal_places=4, default=0)
    rank = models.PositiveIntegerField("peringkat", null=True, blank=True)
    computed_rank = models.PositiveIntegerField("peringkat hasil hitung", null=True, blank=True)
    commission_rank = models.PositiveIntegerField("peringkat di komisi", null=True, blank=True)
    within_ceiling = models.BooleanField("masuk pagu", default=False)
    computed_at = models.DateTimeField("dihitung pada", null=True, blank=True)
    # {criterion id: "3.50"}: the averages the total was weighted from, as of the Hitung that
    # wrote ``total``. The ranking shows these next to the total (a score saved after Hitung
    # changes neither until the next Hitung; the page says so), so saving a score does not
    # make every viewer's ranking be rendered again.
    averages = models.JSONField("rata-rata per kriteria saat Hitung", default=dict, blank=True)
    decision = models.CharField(
        "keputusan", max_length=10, choices=Decision.choices, default="", blank=True
    )
    reason = models.TextField("alasan (cadangan/perubahan urutan)", blank=True)
    override_reason = models.TextField("alasan mengubah urutan hitung", blank=True)
    responsible_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="results",
        verbose_name="OPD penanggung jawab",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="diputuskan oleh",
    )
    decided_at = models.DateTimeField("diputuskan pada", null=True, blank=True)

    # The averages are rebuilt by every Hitung from the scores, which have their own history.
    history = HistoricalRecords(excluded_fields=["averages"])

    class Meta:
        verbose_name = "hasil skoring"
        verbose_name_plural = "hasil skoring"
        ordering = ["rank", "id"]

    def __str__(self) -> str:
        return f"{self.item} #{self.rank}"

    @property
    def is_priority(self) -> bool:
        return self.decision == self.Decision.PRIORITY

    @property
    def is_reserve(self) -> bool:
        return self.decision == self.Decision.RESERVE

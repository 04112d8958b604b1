"""The Musrenbang Kecamatan forum: preparation, agenda, commissions, participants, delegates."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from musrenbang.models import Regency, Sector, Subdistrict, Village
from proposals.models import Proposal


class Forum(models.Model):
    """One Musrenbang Kecamatan: one per kecamatan and planning year.

    States: preparation -> running (started, the clock runs) -> sent (the result went to the
    OPDs; everything in the forum is locked by every path). ``data_loaded_at`` marks Langkat's
    "load data": from then on the forum's proposal list is fixed except for kecamatan additions.
    """

    class State(models.TextChoices):
        PREPARATION = "persiapan", "Persiapan"
        RUNNING = "berlangsung", "Berlangsung"
        SENT = "terkirim", "Terkirim ke OPD"

    class ScoringMode(models.TextChoices):
        SINGLE = "tunggal", "Satu penilai (camat)"
        MULTIPLE = "banyak", "Beberapa penilai (dirata-rata)"

    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, related_name="forums", verbose_name="kecamatan"
    )
    year = models.PositiveSmallIntegerField("tahun perencanaan")
    state = models.CharField(
        "tahap", max_length=12, choices=State.choices, default=State.PREPARATION
    )
    date = models.DateField("tanggal pelaksanaan", null=True, blank=True)
    venue = models.CharField("tempat", max_length=200, blank=True)
    address = models.CharField("alamat", max_length=255, blank=True)
    chair_name = models.CharField("pimpinan sidang", max_length=120, blank=True)
    chair_position = models.CharField("jabatan pimpinan sidang", max_length=120, blank=True)
    chair_nip = models.CharField("NIP pimpinan sidang", max_length=30, blank=True)
    team_decree_number = models.CharField("nomor SK Tim", max_length=120, blank=True)
    house_rules = models.TextField("tata tertib", blank=True)
    priority_guideline = models.TextField("pedoman skala prioritas", blank=True)
    guideline_file = models.FileField(
        "lampiran pedoman/tata tertib", upload_to="forum/pedoman/", blank=True
    )
    guideline_file_name = models.CharField("nama berkas lampiran asli", max_length=255, blank=True)
    scoring_mode = models.CharField(
        "cara penilaian", max_length=10, choices=ScoringMode.choices, default=ScoringMode.SINGLE
    )
    participant_count = models.PositiveIntegerField(
        "jumlah peserta (berita acara)",
        null=True,
        blank=True,
        help_text="Kosongkan untuk memakai jumlah hadir dari daftar hadir.",
    )
    data_loaded_at = models.DateTimeField("data usulan dimuat pada", null=True, blank=True)
    version = models.PositiveBigIntegerField(
        "versi",
        default=1,
        editable=False,
        help_text="Naik pada setiap perubahan forum (kunci cache dan ETag layar).",
    )
    # Kept apart from ``version`` so that /lacak/ (which shows neither) stays "not modified"
    # for citizens while the door marks people present and scorers save cells.
    attendance_version = models.PositiveBigIntegerField(
        "versi kehadiran",
        default=1,
        editable=False,
        help_text="Naik pada setiap perubahan daftar hadir.",
    )
    scores_version = models.PositiveBigIntegerField(
        "versi nilai", default=1, editable=False, help_text="Naik pada setiap nilai yang disimpan."
    )
    started_at = models.DateTimeField("dimulai pada", null=True, blank=True)
    ended_at = models.DateTimeField("selesai pada", null=True, blank=True)
    sent_at = models.DateTimeField("dikirim pada", null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="dikirim oleh",
    )

    history = HistoricalRecords(excluded_fields=["version", "attendance_version", "scores_version"])

    class Meta:
        verbose_name = "forum musrenbang kecamatan"
        verbose_name_plural = "forum musrenbang kecamatan"
        ordering = ["-year", "subdistrict__code"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "year"], name="forum_unique_year"),
        ]

    def __str__(self) -> str:
        return f"Musrenbang {self.subdistrict} {self.year}"

    def save(self, *args, **kwargs) -> None:
        """Save and bump ``version`` in the same UPDATE (``version = version + 1``).

        The counter is never written from memory, so a stale instance cannot move it back to a
        value a cache already used (see ``sessions.versions``).
        """
        if not self._state.adding:
            self.version = models.F("version") + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)
        if isinstance(self.__dict__.get("version"), models.expressions.Combinable):
            del self.__dict__["version"]  # deferred: read again from the database when asked

    def get_absolute_url(self) -> str:
        return reverse("forum:detail", args=[self.pk])

    @property
    def versions(self) -> tuple:
        """The three counters (``sessions.versions``): what a page of the forum is keyed on."""
        return (self.version, self.attendance_version, self.scores_version)

    @property
    def is_locked(self) -> bool:
        """Return True once the result was sent: nothing in the forum may change."""
        return self.state == self.State.SENT

    @property
    def is_preparing(self) -> bool:
        return self.state == self.State.PREPARATION

    @property
    def is_running(self) -> bool:
        return self.state == self.State.RUNNING

    @property
    def is_sent(self) -> bool:
        """Return True once the result went to the OPDs (the same as ``is_locked``)."""
        return self.state == self.State.SENT


class TeamMember(models.Model):
    """A member of the kecamatan's Musrenbang team appointed by the SK Tim."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="team")
    name = models.CharField("nama", max_length=120)
    role = models.CharField("kedudukan dalam tim", max_length=120)
    position = models.CharField("jabatan", max_length=120, blank=True)
    nip = models.CharField("NIP", max_length=30, blank=True)
    order = models.PositiveSmallIntegerField("urutan", default=0)

    class Meta:
        verbose_name = "anggota tim"
        verbose_name_plural = "anggota tim"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class AgendaTemplate(models.Model):
    """A named agenda Bappeda defines; ``regency`` empty means the national default."""

    regency = models.ForeignKey(
        Regency, on_delete=models.CASCADE, null=True, blank=True, verbose_name="kab/kota"
    )
    name = models.CharField("nama", max_length=120)
    is_default = models.BooleanField("bawaan", default=False)

    class Meta:
        verbose_name = "templat agenda"
        verbose_name_plural = "templat agenda"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgendaTemplateItem(models.Model):
    template = models.ForeignKey(
        AgendaTemplate, on_delete=models.CASCADE, related_name="items", verbose_name="templat"
    )
    order = models.PositiveSmallIntegerField("urutan")
    title = models.CharField("uraian kegiatan", max_length=255)
    planned_minutes = models.PositiveSmallIntegerField("durasi (menit)")
    responsible = models.CharField("pelaksana", max_length=200, blank=True)

    class Meta:
        verbose_name = "butir templat agenda"
        verbose_name_plural = "butir templat agenda"
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    """An item of the forum's agenda with its planned duration and actual times."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField("urutan")
    title = models.CharField("uraian kegiatan", max_length=255)
    planned_minutes = models.PositiveSmallIntegerField("durasi (menit)")
    responsible = models.CharField("pelaksana", max_length=200, blank=True)
    started_at = models.DateTimeField("mulai", null=True, blank=True)
    ended_at = models.DateTimeField("selesai", null=True, blank=True)

    class Meta:
        verbose_name = "agenda"
        verbose_name_plural = "agenda"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class Commission(models.Model):
    """A working group (komisi) of the forum, by default one per bidang."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="commissions")
    name = models.CharField("nama komisi", max_length=120)
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, null=True, blank=True, verbose_name="bidang"
    )
    order = models.PositiveSmallIntegerField("urutan", default=0)
    notes = models.TextField("catatan komisi", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "komisi"
        verbose_name_plural = "komisi"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "name"], name="commission_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ForumItem(models.Model):
    """A proposal as deliberated in the forum: its commission, draft rank and verification.

    Created by "load data" for each verified proposal, or with a kecamatan addition.
    """

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="items")
    proposal = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, related_name="forum_item", verbose_name="usulan"
    )
    commission = models.ForeignKey(
        Commission,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name="komisi",
    )
    commission_rank = models.PositiveSmallIntegerField("urutan di komisi", null=True, blank=True)
    confirmed = models.BooleanField("dikonfirmasi delegasi", default=False)
    correction_note = models.TextField("catatan koreksi", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "usulan dalam forum"
        verbose_name_plural = "usulan dalam forum"
        ordering = ["commission_id", "commission_rank", "id"]

    def __str__(self) -> str:
        return str(self.proposal)


class Participant(models.Model):
    """A person invited to or present at the forum (pre-registered or a walk-in)."""

    class Gender(models.TextChoices):
        MALE = "L", "Laki-laki"
        FEMALE = "P", "Perempuan"

    class Category(models.TextChoices):
        VILLAGE_DELEGATE = "delegasi", "Delegasi desa/kelurahan"
        DPRD = "dprd", "Anggota DPRD dapil"
        BAPPEDA = "bappeda", "Tim Bappeda"
        OPD = "opd", "Narasumber OPD"
        KECAMATAN = "kecamatan", "Perangkat kecamatan"
        COMMUNITY = "tokoh", "Tokoh masyarakat"
        WOMEN = "perempuan", "Kelompok perempuan"
        YOUTH = "pemuda", "Pemuda"
        DISABILITY = "disabilitas", "Penyandang disabilitas"
        OTHER = "lain", "Lainnya"

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField("nama", max_length=120)
    gender = models.CharField("jenis kelamin", max_length=1, choices=Gender.choices)
    category = models.CharField("unsur", max_length=12, choices=Category.choices)
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name="desa/kelurahan asal",
    )
    institution = models.CharField("lembaga/instansi", max_length=200, blank=True)
    position = models.CharField("jabatan", max_length=120, blank=True)
    phone = models.CharField("telepon", max_length=30, blank=True)
    walk_in = models.BooleanField("daftar di tempat", default=False)
    present_at = models.DateTimeField("hadir pukul", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "peserta"
        verbose_name_plural = "peserta"
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["forum", "present_at"], name="participant_presence_idx")]

    def __str__(self) -> str:
        return self.name


class Delegate(models.Model):
    """A candidate or elected delegate of the kecamatan to the next planning forum."""

    class Body(models.TextChoices):
        FORUM_OPD = "forum_pd", "Forum Perangkat Daerah"
        MUSRENBANG = "musrenbang", "Musrenbang Kabupaten/Kota"

    class Method(models.TextChoices):
        AGREEMENT = "musyawarah", "Musyawarah mufakat"
        VOTE = "voting", "Pemungutan suara"

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="delegates")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="delegations", verbose_name="peserta"
    )
    body = models.CharField("forum tujuan", max_length=12, choices=Body.choices)
    method = models.CharField("cara pemilihan", max_length=12, choices=Method.choices)
    votes = models.PositiveIntegerField("jumlah suara", null=True, blank=True)
    elected = models.BooleanField("terpilih", default=False)
    order = models.PositiveSmallIntegerField("urutan", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "delegasi"
        verbose_name_plural = "delegasi"
        ordering = ["body", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "body", "participant"], name="delegate_unique_per_body"
            ),
            models.CheckConstraint(
                condition=Q(method="musyawarah") | Q(votes__isnull=False),
                name="delegate_vote_has_count",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} ({self.get_body_display()})"


class ForumEvent(models.Model):
    """One audited write in a forum: who did what, when (the forum's one log book).

    Every service of the forum, scoring and reports apps writes one row through
    ``sessions.workflow`` (also those that bypass ``save()`` for speed, such as marking
    attendance), so the log is complete even where simple_history sees nothing. A step about
    one proposal of the forum (a decision, an override) names its ``item``.
    """

    class Action(models.TextChoices):
        # The forum day and its preparation.
        CREATE = "create", "Forum dibuat"
        STATE = "state", "Tahap forum"
        UPDATE = "update", "Data persiapan"
        GUIDELINE = "guideline", "Lampiran pedoman"
        TEAM = "team", "Tim"
        AGENDA = "agenda", "Agenda"
        AGENDA_START = "agenda_start", "Agenda dimulai"
        AGENDA_END = "agenda_end", "Agenda selesai"
        COMMISSION = "commission", "Komisi"
        ITEM_MOVE = "item_move", "Usulan dipindah komisi"
        RANK = "rank", "Urutan komisi"
        LOAD_DATA = "load_data", "Data usulan dimuat"
        PARTICIPANT = "participant", "Peserta"
        IMPORT = "import", "Impor peserta"
        ATTENDANCE = "attendance", "Kehadiran"
        VERIFY = "verify", "Verifikasi delegasi desa"
        ADDITION = "addition", "Tambahan kecamatan"
        DELEGATES = "delegates", "Delegasi"
        # Scoring.
        CRITERIA = "kriteria", "Kriteria diubah"
        SCORER = "penilai", "Penilai diubah"
        COMPUTE = "hitung", "Hitung"
        DECIDE = "keputusan", "Keputusan"
        UNDO = "batal", "Keputusan dibatalkan"
        AGENCY = "opd", "OPD penanggung jawab"
        OVERRIDE = "urutan", "Urutan hitung diubah"
        PRIORITY = "prioritas_daerah", "Prioritas pembangunan daerah"
        SEND = "kirim", "Kirim ke OPD"
        # Documents.
        MINUTES = "berita_acara", "Berita Acara difinalkan"
        UPLOAD = "unggahan", "Unggahan"
        DISTRIBUTION = "distribusi", "Register distribusi"

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="events")
    item = models.ForeignKey(
        ForumItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="usulan",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="oleh",
    )
    action = models.CharField("tindakan", max_length=40, choices=Action.choices)
    message = models.TextField("keterangan")
    at = models.DateTimeField("waktu", auto_now_add=True)

    class Meta:
        verbose_name = "catatan forum"
        verbose_name_plural = "catatan forum"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["forum", "action"], name="forum_event_action_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.message}"

    @property
    def detail(self) -> str:
        """The message (the name the scoring log used)."""
        return self.message

"""Forms of the forum pages; views hand ``cleaned_data`` to the services."""

from django import forms
from django.db.models import Q

from musrenbang import params
from musrenbang.kamus_forms import add_kamus_fields
from musrenbang.models import Agency, DevelopmentPriority, Sector, Village
from proposals.models import Proposal
from sessions.models import AgendaItem, AgendaTemplate, Commission, Delegate, Forum, Participant


class ForumForm(forms.ModelForm):
    class Meta:
        model = Forum
        fields = [
            "date",
            "venue",
            "address",
            "chair_name",
            "chair_position",
            "chair_nip",
            "team_decree_number",
            "house_rules",
            "priority_guideline",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "house_rules": forms.Textarea(attrs={"rows": 4}),
            "priority_guideline": forms.Textarea(attrs={"rows": 4}),
        }


class UploadForm(forms.Form):
    """One file; the page says which kinds it takes (``accept``) and names the field."""

    file = forms.FileField(label="Berkas")

    def __init__(self, *args, accept: str = "", label: str = "Berkas", css: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        attrs = {"class": f"form-control {css}".strip(), "aria-label": label}
        if accept:
            attrs["accept"] = accept
        self.fields["file"].widget.attrs.update(attrs)


class TeamMemberForm(forms.Form):
    name = forms.CharField(label="Nama", max_length=120)
    role = forms.CharField(label="Kedudukan dalam tim", max_length=120)
    position = forms.CharField(label="Jabatan", max_length=120, required=False)
    nip = forms.CharField(label="NIP", max_length=30, required=False)

    PLACEHOLDERS = {
        "name": ("Nama anggota", "Nama"),
        "role": ("Kedudukan", "Kedudukan (Ketua, Sekretaris, ...)"),
        "position": ("Jabatan", "Jabatan"),
        "nip": ("NIP", "NIP"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, placeholder) in self.PLACEHOLDERS.items():
            self.fields[name].widget.attrs.update(
                {"class": "form-control form-control-sm", "aria-label": label,
                 "placeholder": placeholder}
            )  # fmt: skip


class AgendaItemForm(forms.ModelForm):
    """One agenda line. The agenda page renders these fields, so the limits have one source;
    ``compact`` gives the small inputs of the inline edit row."""

    planned_minutes = forms.IntegerField(label="Durasi (menit)", min_value=1, max_value=32767)

    class Meta:
        model = AgendaItem
        fields = ["order", "title", "planned_minutes", "responsible"]

    LABELS = {
        "order": ("Urutan", ""),
        "title": ("Uraian kegiatan", "Uraian kegiatan"),
        "planned_minutes": ("Durasi (menit)", "Menit"),
        "responsible": ("Pelaksana", "Pelaksana"),
    }

    def __init__(self, *args, compact: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        css = "form-control form-control-sm" if compact else "form-control"
        for name, (label, placeholder) in self.LABELS.items():
            attrs = {"class": css, "aria-label": label}
            if placeholder and not compact:
                attrs["placeholder"] = placeholder
            self.fields[name].widget.attrs.update(attrs)


class TemplateForm(forms.Form):
    template = forms.ModelChoiceField(
        label="Templat",
        queryset=AgendaTemplate.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select mb-2", "aria-label": "Templat agenda"}),
    )

    def __init__(self, *args, regency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = AgendaTemplate.objects.filter(
            Q(regency__isnull=True) | Q(regency=regency)
        )


class CommissionForm(forms.Form):
    name = forms.CharField(
        label="Nama komisi",
        max_length=120,
        widget=forms.TextInput(
            attrs={"class": "form-control", "aria-label": "Nama komisi",
                   "placeholder": "Nama komisi (mis. Kelompok OPD Fisik)"}
        ),
    )  # fmt: skip
    sector = forms.ModelChoiceField(
        label="Bidang",
        queryset=Sector.objects.none(),
        required=False,
        empty_label="– tanpa bidang –",
        widget=forms.Select(attrs={"class": "form-select", "aria-label": "Bidang"}),
    )

    def __init__(self, *args, regency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.filter(regency=regency)


class MoveForm(forms.Form):
    commission = forms.ModelChoiceField(
        label="Pindah ke", queryset=Commission.objects.none(), required=False
    )

    def __init__(self, *args, forum, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commission"].queryset = forum.commissions.all()


class NotesForm(forms.Form):
    notes = forms.CharField(label="Catatan komisi", widget=forms.Textarea, required=False)


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["name", "gender", "category", "village", "institution", "position", "phone"]

    def __init__(self, *args, forum, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.filter(subdistrict=forum.subdistrict_id)
        self.fields["village"].help_text = "Wajib untuk delegasi desa/kelurahan."


class VerifyForm(forms.Form):
    """A delegate's check of one item: confirm it (``aksi=konfirmasi``) or note a correction.

    ``kembali`` is the verification list's query string to return to.
    """

    aksi = forms.ChoiceField(
        choices=[("konfirmasi", "Konfirmasi"), ("koreksi", "Koreksi")], required=False
    )
    note = forms.CharField(label="Catatan koreksi", required=False, max_length=2000)
    kembali = forms.CharField(required=False, strip=False)

    @property
    def confirmed(self) -> bool:
        return self.cleaned_data.get("aksi") == "konfirmasi"


class AdditionForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = [
            "title",
            "problem",
            "location",
            "village",
            "volume",
            "unit",
            "cost",
            "sector",
            "suggested_agency",
            "development_priority",
        ]
        widgets = {"problem": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, forum, **kwargs):
        super().__init__(*args, **kwargs)
        regency_id = forum.subdistrict.regency_id
        self.fields["village"].queryset = Village.objects.filter(subdistrict=forum.subdistrict_id)
        self.fields["village"].help_text = "Boleh kosong untuk kegiatan lintas desa/kelurahan."
        self.fields["sector"].queryset = Sector.objects.filter(regency_id=regency_id)
        self.fields["suggested_agency"].queryset = Agency.objects.filter(
            regency_id=regency_id, is_active=True
        )
        self.fields["development_priority"].queryset = DevelopmentPriority.objects.filter(
            regency_id=regency_id
        )
        add_kamus_fields(self, regency=forum.subdistrict.regency, year=forum.year)
        self.order_fields(["title", "problem", "location", "village", "volume", "unit", "cost",
                           "cost_note", "sector", "suggested_agency", "development_priority",
                           "regional_target"])  # fmt: skip

    def validate_unique(self):
        """Reference and tracking code are set by the service."""


class ElectionForm(forms.Form):
    body = forms.ChoiceField(
        label="Forum tujuan",
        choices=Delegate.Body.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    method = forms.ChoiceField(
        label="Cara pemilihan", choices=Delegate.Method.choices, widget=forms.RadioSelect
    )

    def clean(self) -> dict:
        """Read the candidates too (``cleaned_data["candidates"]``): a bad tick or vote count
        is a refusal of the form, said in Indonesian."""
        from musrenbang.exceptions import DomainError

        cleaned = super().clean()
        if "method" in cleaned:
            try:
                cleaned["candidates"] = self.candidates(self.data)
            except DomainError as error:
                raise forms.ValidationError(str(error)) from error
        return cleaned

    def candidates(self, data) -> list[tuple[int, int | None]]:
        """Read the ticked candidates (``calon``) and their votes (``suara_<id>``)."""
        from musrenbang.exceptions import DomainError

        result = []
        chosen = params.read_ids({f"calon_{v}": "" for v in data.getlist("calon")}, "calon_")
        if chosen is None:
            raise DomainError("Pilihan calon tidak valid.")
        for pk in chosen:
            votes = None
            if self.cleaned_data["method"] == Delegate.Method.VOTE:
                votes = params.number(data.get(f"suara_{pk}"), maximum=1_000_000)
                if votes is None:
                    raise DomainError(
                        "Isikan jumlah suara (0 sampai 1.000.000) untuk setiap calon."
                    )
            result.append((pk, votes))
        return result


# --- Request parameters (read through musrenbang.params) -----------------------------------


class ParticipantListParams(params.ParamsForm):
    q = params.text_field(label="pencarian")
    urut = params.choice_field(["nama", "unsur", "hadir", "desa"], label="urutan", initial="nama")
    hadir = params.choice_field(["ya", "belum"], label="kehadiran")
    hal = params.page_field(label="halaman")


class VerificationParams(params.ParamsForm):
    desa = params.id_field(label="desa")
    hal = params.page_field(label="halaman")


class ProjectorParams(params.ParamsForm):
    komisi = params.id_field(label="komisi")

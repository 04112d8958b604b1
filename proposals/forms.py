"""Forms of proposals: they validate input; the services decide."""

from django import forms

from musrenbang import params
from musrenbang.form_widgets import style_fields
from musrenbang.geo import coordinate_errors
from musrenbang.kamus_forms import add_kamus_fields, kamus_data
from musrenbang.models import Agency, DevelopmentPriority, Sector, Subdistrict, Unit, Village
from proposals.models import Attachment, Proposal, RejectionCategory, Status
from proposals.selectors import SORTS
from proposals.services import EDITABLE_FIELDS


class ProposalForm(forms.ModelForm):
    """Create/edit a proposal; choices scoped to the kecamatan's kabupaten."""

    class Meta:
        model = Proposal
        fields = [
            "title",
            "problem",
            "location",
            "volume",
            "unit",
            "cost",
            "sector",
            "suggested_agency",
            "development_priority",
            "latitude",
            "longitude",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 3}),
            "unit": forms.TextInput(attrs={"list": "satuan-list"}),
        }

    village = forms.ModelChoiceField(
        queryset=Village.objects.none(),
        required=False,
        label="Desa/kelurahan",
        empty_label="(usulan tambahan kecamatan)",
    )
    attachment_kind = forms.ChoiceField(
        label="Jenis lampiran", choices=Attachment.Kind.choices, required=False
    )
    attachment = forms.FileField(
        label="Lampiran (opsional: JPEG, PNG atau PDF)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )
    agreed_volume = forms.DecimalField(
        label="Volume disepakati", required=False, max_digits=12, decimal_places=2
    )
    agreed_cost = forms.IntegerField(
        label="Biaya disepakati (Rp)", required=False, min_value=0, max_value=10**15
    )

    def __init__(
        self,
        *args,
        subdistrict: Subdistrict,
        kecamatan: bool,
        creating: bool,
        year: int | None = None,
        **kw,
    ):
        super().__init__(*args, **kw)
        self.regency_code = subdistrict.regency.code
        regency_id = subdistrict.regency_id
        add_kamus_fields(self, regency=subdistrict.regency, year=year or self.instance.year)
        self.fields["sector"].queryset = Sector.objects.filter(regency_id=regency_id)
        self.fields["suggested_agency"].queryset = Agency.objects.filter(
            regency_id=regency_id, is_active=True
        )
        self.fields["development_priority"].queryset = DevelopmentPriority.objects.filter(
            regency_id=regency_id
        )
        self.fields["cost"].widget.attrs["step"] = 1000
        self.units = list(Unit.objects.values_list("name", flat=True))
        self.fields["latitude"].help_text = "Opsional, mis. -6.2231"
        if kecamatan and creating:
            self.fields["village"].queryset = subdistrict.villages.all()
        else:
            del self.fields["village"]
        if not kecamatan or creating:
            del self.fields["agreed_volume"]
            del self.fields["agreed_cost"]
        self.order_fields(
            ["village", "title", "problem", "location", "volume", "unit", "cost", "cost_note",
             "sector", "suggested_agency", "development_priority", "regional_target"]
        )  # fmt: skip
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_volume(self):
        volume = self.cleaned_data["volume"]
        if volume is not None and volume <= 0:
            raise forms.ValidationError("Volume harus lebih besar dari 0.")
        return volume

    def clean(self):
        data = super().clean()
        errors = coordinate_errors(data.get("latitude"), data.get("longitude"), self.regency_code)
        for name, message in errors.items():
            self.add_error(name, message)
        return data

    def clean_agreed_volume(self):
        volume = self.cleaned_data.get("agreed_volume")
        if volume is not None and volume <= 0:
            raise forms.ValidationError("Volume disepakati harus lebih besar dari 0.")
        return volume

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}
        data.update(kamus_data(self.cleaned_data))
        for name in ("agreed_volume", "agreed_cost"):
            if name in self.fields:
                data[name] = self.cleaned_data[name]
        return data


class _DetailForm(forms.Form):
    """A small form of the proposal page, rendered from its fields (``{{ form.reason }}``)."""

    extra_class = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self, extra=self.extra_class)


class AttachmentForm(_DetailForm):
    kind = forms.ChoiceField(label="Jenis", choices=Attachment.Kind.choices)
    file = forms.FileField(
        label="Berkas (JPEG, PNG atau PDF)",
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )


class ReceiveForm(_DetailForm):
    extra_class = "mb-2"

    register_number = forms.CharField(
        label="Nomor register", max_length=40, required=False, help_text="Kosongkan: otomatis"
    )
    disposition_note = forms.CharField(
        label="Catatan disposisi (camat → kasi → pencatat)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonForm(_DetailForm):
    extra_class = "mb-2"
    reason = forms.CharField(
        label="Alasan",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Alasan wajib diisi."},
    )


class RejectForm(ReasonForm):
    category = forms.ChoiceField(
        label="Kategori",
        choices=RejectionCategory.choices,
        error_messages={
            "required": "Pilih kategori penolakan.",
            "invalid_choice": "Pilih kategori penolakan.",
        },
    )


class BulkForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("terima", "Terima"),
            ("verifikasi", "Verifikasi"),
            ("kembalikan", "Kembalikan"),
            ("tolak", "Tolak"),
        ]
    )
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=[])
    reason = forms.CharField(required=False)
    category = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        raw = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        self.fields["ids"].choices = [(v, v) for v in raw]


class ImportForm(forms.Form):
    file = forms.FileField(label="Berkas Excel (.xlsx)")
    dry_run = forms.BooleanField(label="Periksa saja (tanpa menyimpan)", required=False)


class TrackForm(forms.Form):
    kode = forms.RegexField(
        label="Kode lacak",
        max_length=12,
        regex=r"^\s*[0-9A-Za-z]{4,12}\s*$",
        error_messages={"invalid": "Kode lacak hanya berisi huruf dan angka, misalnya K7M2QX9A."},
    )


# --- Request parameters (read through musrenbang.params) -----------------------------------


# Where an intake proposal came from: imported from SIPD or entered in Musrenbang.
SOURCES = [("sipd", "SIPD"), ("musrenbang", "Musrenbang")]


class IncomingParams(params.ParamsForm):
    desa = params.id_field(label="desa")
    bidang = params.id_field(label="bidang")
    opd = params.id_field(label="OPD")
    status = params.choice_field(Status.choices, label="status")
    q = params.text_field(label="pencarian")
    urut = params.choice_field(list(SORTS), label="urutan")
    asal = params.choice_field(SOURCES, label="asal data")


class PageParams(params.ParamsForm):
    halaman = params.page_field(label="halaman")


class RekapParams(params.ParamsForm):
    lingkup = params.choice_field(["masuk", "terverifikasi"], label="lingkup")

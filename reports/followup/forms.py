"""Forms of the follow-up pages; the services check the rules, the forms only the input."""

from django import forms
from django.utils import timezone

from musrenbang import params
from musrenbang.models import Agency
from reports.followup.models import NotFundedReason, Stage


class MoveForm(forms.Form):
    to = forms.ChoiceField(label="Tahap baru")
    date = forms.DateField(
        label="Tanggal", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    budget_year = forms.IntegerField(label="Tahun anggaran", required=False, min_value=2000)
    budget_amount = forms.IntegerField(label="Nilai anggaran DPA (Rp)", required=False, min_value=0)
    progress = forms.IntegerField(label="Realisasi (%)", required=False, min_value=0, max_value=100)
    reason_category = forms.ChoiceField(
        label="Kategori alasan tidak didanai",
        required=False,
        choices=[("", "—"), *NotFundedReason.choices],
    )
    reason_text = forms.CharField(
        label="Alasan tidak didanai",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    agency = forms.ModelChoiceField(
        label="Dialihkan ke OPD", required=False, queryset=Agency.objects.none()
    )
    note = forms.CharField(label="Keterangan", required=False, max_length=1000)

    def __init__(self, *args, targets: list[str], regency, current_agency_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(t, Stage(t).label) for t in targets]
        self.fields["agency"].queryset = Agency.objects.filter(
            regency=regency, is_active=True
        ).exclude(pk=current_agency_id)
        self.fields["date"].initial = timezone.localdate()


class MilestoneForm(forms.Form):
    date = forms.DateField(
        label="Tanggal", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    title = forms.CharField(label="Judul capaian", max_length=200)
    progress = forms.IntegerField(label="Realisasi (%)", required=False, min_value=0, max_value=100)
    public = forms.BooleanField(label="Tampilkan di halaman publik", required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class WorklistUploadForm(forms.Form):
    file = forms.FileField(label="Lembar kerja (.xlsx)")


class FollowUpListParams(params.ParamsForm):
    """Filters of the follow-up lists; a bad value is ignored with a message (``params.read``)."""

    tahap = params.choice_field(Stage.choices, label="tahap")
    kecamatan = params.code_field(label="kecamatan")
    tahun = params.year_field(label="tahun")
    q = params.text_field(label="pencarian")
    lama = params.choice_field(["1"], label="hanya yang lama")
    hal = params.page_field(label="halaman")

    def __init__(self, *args, subdistrict_codes: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.subdistrict_codes = subdistrict_codes

    def clean_kecamatan(self) -> str:
        code = self.cleaned_data["kecamatan"]
        if code and code not in self.subdistrict_codes:
            raise forms.ValidationError("Kecamatan tidak dikenal.")
        return code

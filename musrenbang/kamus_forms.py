"""Form fields of the kamus usulan, shared by every proposal form (desa, kecamatan, forum).

``add_kamus_fields`` adds the hidden chosen entry, the sasaran daerah and the cost note; the
template includes ``musrenbang/_kamus_picker.html`` (search-as-you-type, static/js/kamus.js).
"""

from django import forms
from django.urls import reverse

from musrenbang.models import KamusEntry, Regency, RegionalTarget


def add_kamus_fields(form: forms.Form, *, regency: Regency, year: int) -> None:
    instance = getattr(form, "instance", None)
    current = getattr(instance, "kamus_id", None)
    entries = KamusEntry.objects.filter(regency=regency, year=year)
    form.fields["kamus"] = forms.ModelChoiceField(
        queryset=entries.filter(is_active=True) | entries.filter(pk=current),
        required=False,
        widget=forms.HiddenInput(attrs={"data-kamus-id": "1"}),
    )
    form.fields["regional_target"] = forms.ModelChoiceField(
        queryset=RegionalTarget.objects.filter(priority__regency=regency).select_related(
            "priority"
        ),
        required=False,
        label="Sasaran daerah",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    form.fields["cost_note"] = forms.CharField(
        label="Catatan penyesuaian biaya",
        required=False,
        max_length=1000,
        help_text="Wajib bila biaya berbeda dari volume × harga satuan kamus.",
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
    chosen = instance.kamus if current else None
    form.kamus_picker = {
        "url": reverse("kamus_search"),
        "year": year,
        "regency": regency.code,
        "chosen": chosen,
    }


def kamus_data(cleaned_data: dict) -> dict:
    """Return the kamus fields of a valid form for the services."""
    return {name: cleaned_data.get(name) for name in ("kamus", "regional_target", "cost_note")}

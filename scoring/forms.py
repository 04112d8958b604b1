from decimal import Decimal

from django import forms

from musrenbang.form_widgets import style_fields
from musrenbang.params import (
    ParamsForm,
    choice_field,
    code_field,
    id_field,
    page_field,
    text_field,
    year_field,
)
from scoring.models import Result


class CriterionWeightForm(forms.Form):
    weight = forms.DecimalField(
        label="Bobot", min_value=Decimal("0.01"), max_digits=6, decimal_places=2
    )


class CriterionAddForm(forms.Form):
    """An extra criterion; the criteria page renders these fields (limits in one place)."""

    name = forms.CharField(label="Nama kriteria", max_length=200)
    weight = forms.DecimalField(
        label="Bobot", min_value=Decimal("0.01"), max_digits=6, decimal_places=2, initial=1
    )
    scale_max = forms.IntegerField(label="Nilai tertinggi", min_value=2, max_value=10, initial=5)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(Result.Decision.PRIORITY, "Prioritas"), (Result.Decision.RESERVE, "Cadangan")]
    )
    reason = forms.CharField(label="Alasan", required=False, max_length=2000)
    agency = forms.IntegerField(required=False)


class MoveForm(forms.Form):
    rank = forms.IntegerField(label="Peringkat baru", min_value=1)
    reason = forms.CharField(label="Alasan", max_length=2000)


# --- Request parameters (read through musrenbang.params) -----------------------------------


class SheetParams(ParamsForm):
    komisi = id_field(label="komisi")
    q = text_field(label="pencarian")
    halaman = page_field(label="halaman")
    semua = choice_field(["1"], label="semua")


class CellParams(ParamsForm):
    item = id_field(label="usulan")
    criterion = id_field(label="kriteria")
    value = forms.IntegerField(required=False, min_value=-1000, max_value=1000, label="nilai")


class PriorityParams(ParamsForm):
    item = id_field(label="usulan")
    priority = id_field(label="prioritas pembangunan daerah")


class ScorerParams(ParamsForm):
    user = id_field(label="pengguna")


class AgencyParams(ParamsForm):
    agency = id_field(label="OPD")


class AgencyListParams(ParamsForm):
    kecamatan = code_field(label="kecamatan")
    tahun = year_field(label="tahun")
    q = text_field(label="pencarian")
    urut = choice_field(["biaya", "nomor", "kecamatan"], label="urutan")
    halaman = page_field(label="halaman")

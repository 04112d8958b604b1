from decimal import Decimal

from django import forms

from scoring.models import Result


class CriterionWeightForm(forms.Form):
    weight = forms.DecimalField(
        label="Bobot", min_value=Decimal("0.01"), max_digits=6, decimal_places=2
    )


class CriterionAddForm(forms.Form):
    name = forms.CharField(label="Nama kriteria", max_length=200)
    weight = forms.DecimalField(
        label="Bobot", min_value=Decimal("0.01"), max_digits=6, decimal_places=2, initial=1
    )
    scale_max = forms.IntegerField(label="Nilai tertinggi", min_value=2, max_value=10, initial=5)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(Result.Decision.PRIORITY, "Prioritas"), (Result.Decision.RESERVE, "Cadangan")]
    )
    reason = forms.CharField(label="Alasan", required=False, max_length=2000)
    agency = forms.IntegerField(required=False)


class MoveForm(forms.Form):
    rank = forms.IntegerField(label="Peringkat baru", min_value=1)
    reason = forms.CharField(label="Alasan", max_length=2000)

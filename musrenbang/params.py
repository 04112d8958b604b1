"""The one place that reads request parameters of lists, filters and id-like fields.

A view declares what it reads as a small form (a subclass of ``ParamsForm`` with the fields
below) and calls ``read(request, TheForm)``: a good value comes back typed, a bad one (``abc``,
``²``, a number out of range, 10,000 characters, a NUL byte) becomes "no filter" (``None`` or
the field's initial value) and the user gets one Indonesian message naming the ignored filter.
No view parses ids or filters itself.
"""

from django import forms
from django.contrib import messages
from django.core.validators import RegexValidator

# Ids are BigAutoField: larger numbers are not ids, whatever their digits.
MAX_ID = 2**63 - 1
MAX_TEXT = 200


def id_field(**kwargs) -> forms.IntegerField:
    """An object id: ASCII digits of a positive 64-bit number."""
    return forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, **kwargs)


def text_field(**kwargs) -> forms.CharField:
    """A search text: at most 200 characters, no NUL bytes, surrounding spaces stripped."""
    return forms.CharField(required=False, max_length=MAX_TEXT, **kwargs)


def choice_field(choices, **kwargs) -> forms.ChoiceField:
    """One of ``choices`` (value, label) pairs or plain values."""
    pairs = [c if isinstance(c, tuple) else (c, c) for c in choices]
    return forms.ChoiceField(required=False, choices=[("", "")] + pairs, **kwargs)


def code_field(**kwargs) -> forms.CharField:
    """A Kemendagri region code (``PP.KK``, ``PP.KK.CC``, ``PP.KK.CC.DDDD``)."""
    return forms.CharField(
        required=False,
        max_length=13,
        validators=[RegexValidator(r"^\d{2}\.\d{2}(\.\d{2}(\.\d{4})?)?$")],
        **kwargs,
    )


def year_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(required=False, min_value=2000, max_value=2100, **kwargs)


def page_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(required=False, min_value=1, max_value=1_000_000, **kwargs)


class ParamsForm(forms.Form):
    """Parameters of a list or an action: every field optional, a bad value ignored."""

    label_suffix = ""

    def values(self) -> dict:
        """Return every field, typed; a missing or bad value gives the field's initial."""
        self.is_valid()
        return {
            name: self.cleaned_data.get(name, field.initial)
            if name not in self.errors
            else field.initial
            for name, field in self.fields.items()
        }

    def ignored(self) -> list[str]:
        """Return the labels of the parameters whose value was refused."""
        self.is_valid()
        return [str(self.fields[name].label or name) for name in self.errors if name in self.fields]


class YearParams(ParamsForm):
    """``?tahun=`` of the dashboards and lists."""

    tahun = year_field(label="tahun")


def year(request, *, source=None) -> int | None:
    """Return the planning year asked for (``tahun``), or None."""
    return read(request, YearParams, source=source)["tahun"]


def read(request, form_class: type[ParamsForm], *, source=None, quiet=False, **kwargs) -> dict:
    """Read ``form_class``'s parameters from ``request.GET`` (or ``source``).

    A refused value is ignored with one warning message (unless ``quiet``, e.g. for htmx
    fragments); the returned dict always has every field of the form.
    """
    form = form_class(request.GET if source is None else source, **kwargs)
    values = form.values()
    ignored = form.ignored()
    if ignored and not quiet:
        messages.warning(request, f"Nilai tidak valid untuk {', '.join(ignored)} diabaikan.")
    return values


def read_ids(source, prefix: str) -> dict[int, str] | None:
    """Return ``{id: value}`` of the keys ``<prefix><id>`` in ``source``; None if one key is bad.

    For forms whose field names carry an id (``urutan_12``, ``suara_7``).
    """
    found = {}
    field = id_field()
    for key in source:
        if not key.startswith(prefix):
            continue
        try:
            pk = field.clean(key[len(prefix) :])
        except forms.ValidationError:
            return None
        if pk is None:
            return None
        found[pk] = source.get(key, "")
    return found


def number(value, *, minimum: int = 0, maximum: int = 2**31 - 1) -> int | None:
    """Return ``value`` as a whole number within the bounds, or None."""
    try:
        return forms.IntegerField(min_value=minimum, max_value=maximum).clean(value)
    except forms.ValidationError:
        return None

"""Bootstrap classes for a form's widgets, so pages render fields from their Form.

A page that writes ``{{ form.weight }}`` gets the field's ``min``, ``max``, ``step``,
``maxlength`` and ``required`` from the Form that validates the POST: one source.
"""

from django import forms


def style_fields(form: forms.BaseForm, *, small: bool = True, extra: str = "") -> None:
    """Give every widget of ``form`` its Bootstrap class (``form-select`` for selects)."""
    size = "-sm" if small else ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = f"form-select form-select{size}" if small else "form-select"
        else:
            css = f"form-control form-control{size}" if small else "form-control"
        widget.attrs["class"] = f"{css} {extra}".strip()

"""``{% stat_card %}``: the one figure card of the dashboards and forum pages.

    {% load cards %}
    {% stat_card "Usulan" stats.total %}{{ stats.n_confirmed }} dikonfirmasi{% endstat_card %}

The block's content is the small note under the figure (may be empty). The card itself is
``templates/_stat_card.html``, so every figure card of the product has one shape.
"""

from django import template
from django.utils.safestring import mark_safe

from musrenbang import formatting

register = template.Library()


@register.simple_block_tag(takes_context=True)
def stat_card(
    context,
    content,
    label,
    value=None,
    *,
    label_extra="",
    total=None,
    sep=" / ",
    empty="–",
    money=False,
    big=True,
    col="col-6 col-lg-3",
    value_class="",
    note_class="text-muted",
    warn=False,
    danger_if_negative=False,
    value_id="",
    testid="",
    compact=False,
):
    """Render a figure card: ``label``, ``value`` (``value sep total`` with a total) and a note.

    ``money`` formats the value as rupiah; a value of None or "" shows ``empty`` (muted).
    ``big`` shows a large figure, else a bold line (dates, names); ``warn`` turns the note red,
    ``danger_if_negative`` the figure.
    """
    missing = value is None or value == ""
    if danger_if_negative and not missing and value < 0:
        value_class = f"{value_class} text-danger".strip()
    if not missing and money:
        value = formatting.rupiah(value)
    card = {
        "label": f"{label} {label_extra}" if label_extra not in ("", None) else label,
        "value": value,
        "missing": missing,
        "total": total,
        "sep": sep,
        "empty": empty,
        "big": big,
        "col": col,
        "value_class": value_class,
        "note": mark_safe(content.strip()),  # noqa: S308 - rendered (escaped) by the template
        "note_class": "text-danger" if warn else note_class,
        "value_id": value_id,
        "testid": testid,
        "compact": compact,
    }
    # Rendered in the caller's context settings (autoescape, ``{% localize off %}``).
    template = context.template.engine.get_template("_stat_card.html")
    return template.render(context.new(card))

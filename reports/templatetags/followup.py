"""Template tags of the follow-ups used by other apps' pages (tracking page, forum, projector).

They keep the dependency pointing from ``reports`` to the lower apps: the proposals and
forum templates ask for a fragment; their views know nothing of follow-ups.
"""

from django import template

from reports.followup import report_card as rc
from reports.followup.selectors import public_followup

register = template.Library()


@register.inclusion_tag("reports/followup/_public_path.html")
def followup_public(proposal) -> dict:
    """The follow-up's path for the public tracking page (four queries, nothing personal)."""
    return {"fu": public_followup(proposal), "public": True}


@register.inclusion_tag("reports/followup/_last_year.html")
def last_year_report(forum, projector: bool = False, css: str = "") -> dict:
    """Rapor tahun lalu: last year's proposals per desa when that forum was sent."""
    year = forum.year - 1
    if rc.sent_forum(forum.subdistrict, year) is None:
        return {"report": None}
    villages = rc.village_counts(subdistrict=forum.subdistrict, year=year)
    report = {
        "year": year,
        "subdistrict": forum.subdistrict,
        "villages": villages,
        "totals": rc._totals(villages),
    }
    return {"report": report, "projector": projector, "css": css}


@register.filter
def not_funded_label(code: str) -> str:
    """The label of a "tidak didanai" reason category (``pagu`` -> ``Pagu tidak cukup``)."""
    from reports.followup.models import NotFundedReason

    return NotFundedReason(code).label if code in NotFundedReason.values else code

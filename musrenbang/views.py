"""Home, dashboards per role and error pages."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from musrenbang import params, selectors
from musrenbang.access import get_for_user
from musrenbang.caching import instance_marks, render_cached
from musrenbang.dashboard import kecamatan_fingerprint, lazy_panels, panel_marks, render_panels
from musrenbang.fastpage import fast_page
from musrenbang.formatting import rupiah
from musrenbang.models import BudgetCeiling, Regency, Subdistrict, Village


def home(request: HttpRequest) -> HttpResponse:
    """Send each user to the dashboard of their role."""
    user = request.user
    if user.subdistrict_id and user.has_perm("musrenbang.manage_subdistrict", user.subdistrict):
        return redirect("subdistrict_dashboard", code=user.subdistrict.code)
    if user.village_id and user.has_perm("musrenbang.manage_village", user.village):
        return redirect("village_dashboard", code=user.village.code)
    if user.regency_id and user.has_perm("musrenbang.view_regency_overview", user.regency):
        return redirect("regency_dashboard", code=user.regency.code)
    if user.has_perm("musrenbang.read_as_agency"):
        return redirect("agency_dashboard")
    if user.is_superuser:
        return redirect(reverse("admin:index"))
    raise PermissionDenied("Akun Anda belum diberi peran. Hubungi admin Bappeda.")


def _dashboard_fingerprint(request, code: str) -> list | None:
    """The fast page's fingerprint of the year the dashboard shows (``?tahun=`` or the latest);
    None for any other or odd parameter: the view says what it makes of it."""
    asked = request.GET.get("tahun", "")
    if set(request.GET) - {"tahun"} or (asked and not (asked.isascii() and asked.isdigit())):
        return None
    return kecamatan_fingerprint(code, int(asked) if asked and len(asked) < 6 else None)


@fast_page(_dashboard_fingerprint)
def subdistrict_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """The kecamatan's planning year at a glance (camat, staff, Bappeda)."""
    subdistrict = get_for_user(
        request.user,
        "musrenbang.view_subdistrict",
        Subdistrict.objects.select_related("regency"),
        code=code,
    )
    year = selectors.current_year(subdistrict.regency, params.year(request))
    ceiling = (
        BudgetCeiling.objects.filter(subdistrict=subdistrict, year=year.year).first()
        if year
        else None
    )
    villages = list(subdistrict.villages.all())
    context = {
        "subdistrict": subdistrict,
        "year": year,
        "years": selectors.planning_years(subdistrict.regency),
        "ceiling": ceiling,
        "villages": villages,
        "desa_count": sum(1 for v in villages if v.kind == Village.Kind.DESA),
        "kelurahan_count": sum(1 for v in villages if v.kind == Village.Kind.KELURAHAN),
        # Cached as one fragment under the marks; rendered only on a miss.
        "panels": lazy_panels("kecamatan", request, subdistrict, year),
        "panel_marks": panel_marks("kecamatan", request, subdistrict, year),
    }
    marks = context["panel_marks"] and (
        context["panel_marks"],
        instance_marks(subdistrict, subdistrict.regency, year, list(context["years"]), ceiling),
        instance_marks(villages),
    )
    return render_cached(request, "musrenbang/subdistrict_dashboard.html", context, marks)


def village_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """The desa/kelurahan's proposals for the year (operator, kecamatan, Bappeda)."""
    village = get_for_user(
        request.user,
        "musrenbang.view_village",
        Village.objects.select_related("subdistrict__regency"),
        code=code,
    )
    year = selectors.current_year(village.subdistrict.regency, params.year(request))
    context = {
        "village": village,
        "year": year,
        "years": selectors.planning_years(village.subdistrict.regency),
        "panels": render_panels("desa", request, village, year),
    }
    return render(request, "musrenbang/village_dashboard.html", context)


def regency_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """Bappeda: the kecamatan of the kabupaten/kota."""
    regency = get_for_user(
        request.user, "musrenbang.view_regency_overview", Regency.objects.all(), code=code
    )
    year = selectors.current_year(regency, params.year(request))
    context = {
        "regency": regency,
        "year": year,
        "years": selectors.planning_years(regency),
        "subdistricts": selectors.subdistricts_with_village_counts(regency),
        "panels": render_panels("kabupaten", request, regency, year),
    }
    return render(request, "musrenbang/regency_dashboard.html", context)


def agency_dashboard(request: HttpRequest) -> HttpResponse:
    """OPD reader: what was sent to their agency."""
    user = request.user
    if not user.has_perm("musrenbang.read_as_agency"):
        raise PermissionDenied("Halaman ini khusus pembaca OPD.")
    agency = get_object_or_404(
        type(user.agency).objects.select_related("regency"), pk=user.agency_id
    )
    year = selectors.current_year(agency.regency, params.year(request))
    context = {
        "agency": agency,
        "year": year,
        "years": selectors.planning_years(agency.regency),
        "panels": render_panels("opd", request, agency, year),
    }
    return render(request, "musrenbang/agency_dashboard.html", context)


@login_not_required
def health(request: HttpRequest) -> HttpResponse:
    """Answer ``ok`` without touching the database: for load balancers and as a speed ceiling."""
    return HttpResponse("ok", content_type="text/plain")


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


class KamusSearchParams(params.ParamsForm):
    kab = params.code_field(label="kabupaten/kota")
    tahun = params.year_field(label="tahun")
    q = params.text_field(label="pencarian")


def kamus_search(request: HttpRequest) -> JsonResponse:
    """Entries of the year's kamus usulan matching ``q`` (search-as-you-type), as JSON.

    The kabupaten/kota is the user's; a superuser names it with ``?kab=``. One query for the
    entries, whatever their number.
    """
    form = KamusSearchParams(request.GET)
    got = form.values()
    if form.ignored():  # a JSON endpoint answers a bad parameter plainly, not with a message
        return JsonResponse(
            {"error": f"Parameter tidak valid: {', '.join(form.ignored())}."}, status=400
        )
    regency_code = got["kab"] if request.user.is_superuser else None
    regency = (
        get_object_or_404(Regency, code=regency_code) if regency_code else request.user.regency
    )
    if regency is None or not request.user.has_perm("musrenbang.search_kamus", regency):
        raise PermissionDenied("Kamus usulan hanya untuk pengguna kabupaten/kota ini.")
    year = got["tahun"]
    if year is None:
        planning = selectors.current_year(regency)
        if planning is None:
            return JsonResponse({"results": []})
        year = planning.year
    text = (got["q"] or "")[:100]
    entries = selectors.kamus_search(regency=regency, year=year, text=text)
    return JsonResponse({"results": [_kamus_json(e) for e in entries]})


def _kamus_json(entry) -> dict:
    sub = entry.sub_activity
    return {
        "id": entry.pk,
        "name": entry.name,
        "description": entry.description,
        "unit": entry.unit,
        "unit_price": entry.unit_price,
        "unit_price_text": rupiah(entry.unit_price),
        "kind": entry.get_kind_display(),
        "sector": entry.sector_id,
        "agency": entry.agency_id,
        "agency_name": entry.agency.name if entry.agency else "",
        "priority": entry.priority_id,
        "target": entry.target_id,
        "sub_activity": f"{sub.code} {sub.name}" if sub else "",
    }

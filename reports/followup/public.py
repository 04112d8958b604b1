"""Public pages of the follow-ups (no login): the report card and its open data."""

import csv
import json

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from musrenbang.formatting import number, rupiah
from musrenbang.models import Subdistrict
from reports.followup import report_card as rc


def _card(code: str, year: int) -> dict:
    subdistrict = get_object_or_404(Subdistrict.objects.select_related("regency"), code=code)
    forum = rc.sent_forum(subdistrict, year)
    if forum is None:
        raise Http404("Rapor tersedia setelah forum tahun itu dikirim ke OPD.")
    return rc.report_card(subdistrict=subdistrict, year=year, forum=forum)


def charts(card: dict) -> dict:
    """The four charts of the report card, as geometry for ``_svg_bars.html``."""
    villages = [
        (row["name"], [row[k] for k in ("submitted", "priority", "funded", "done")],
         [number(row[k]) for k in ("submitted", "priority", "funded", "done")])
        for row in card["villages"]
    ]  # fmt: skip
    sectors = [(s["sector"], [s["total"]], [rupiah(s["total"])]) for s in card["sectors"]]
    part = card["participation"]
    gender = [("Laki-laki", [part["men"]], [number(part["men"])]),
              ("Perempuan", [part["women"]], [number(part["women"])])]  # fmt: skip
    reasons = [(r["label"], [r["count"]], [number(r["count"])]) for r in card["totals"]["reasons"]]
    return {
        "villages": rc.bar_chart(
            villages, series=["Diajukan", "Prioritas", "Didanai (DPA)", "Selesai"]
        ),
        "sectors": rc.bar_chart(sectors, series=["Biaya prioritas"]),
        "gender": rc.bar_chart(gender, series=["Hadir"]),
        "reasons": rc.bar_chart(reasons, series=["Tidak didanai"]),
    }


@login_not_required
@require_GET
def report_card(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Rapor: what became of a kecamatan's proposals of a year, for everyone."""
    card = _card(code, year)
    return render(request, "reports/followup/report_card.html", {**card, "charts": charts(card)})


def _source(request: HttpRequest, code: str, year: int) -> str:
    return request.build_absolute_uri(reverse("reports:report_card", args=[code, year]))


@login_not_required
@require_GET
def report_card_csv(request: HttpRequest, code: str, year: int) -> HttpResponse:
    card = _card(code, year)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rapor-{code}-{year}.csv"'
    writer = csv.writer(response)
    writer.writerow([f"# Lisensi: {rc.LICENCE} ({rc.LICENCE_URL}); sumber: "
                     f"{_source(request, code, year)}"])  # fmt: skip
    writer.writerow(rc.CSV_HEADER)
    for row in rc.csv_rows(card):
        writer.writerow([_safe(value) for value in row])
    return response


def _safe(value):
    """Escape text a spreadsheet would run as a formula (names of places are typed by people)."""
    from musrenbang.excel import escape_text

    return escape_text(value) if isinstance(value, str) else value


@login_not_required
@require_GET
def report_card_json(request: HttpRequest, code: str, year: int) -> HttpResponse:
    card = _card(code, year)
    data = rc.open_data(card, _source(request, code, year))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'inline; filename="rapor-{code}-{year}.json"'
    return response

"""The public report card (rapor) of a kecamatan and year, its charts and its open data.

Figures come from a fixed number of aggregate queries (no query per desa); the same dict
feeds the page, the CSV and the JSON, so the three always agree. Nothing personal: counts,
sums and names of places, sectors and agencies only.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from musrenbang.models import Subdistrict
from proposals.models import Proposal, Status
from reports.followup.models import NotFundedReason, Stage
from reports.followup.services import FUNDED
from scoring.models import Result
from sessions.models import Forum, Participant

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.id"
SUBDISTRICT_ROW = "Usulan tambahan kecamatan"
METRICS = [
    ("submitted", "Usulan diajukan"),
    ("priority", "Prioritas"),
    ("funded", "Didanai (DPA)"),
    ("done", "Selesai"),
    ("not_funded", "Tidak didanai"),
]


def village_counts(*, subdistrict: Subdistrict, year: int) -> list[dict]:
    """Per desa/kelurahan (and the kecamatan's own additions): the proposals' path (2 queries)."""
    reasons = {
        f"nf_{r.value}": Count(
            "id", filter=Q(follow_up__stage=Stage.NOT_FUNDED, follow_up__reason_category=r.value)
        )
        for r in NotFundedReason
    }
    rows = (
        Proposal.objects.filter(subdistrict=subdistrict, year=year)
        .exclude(status=Status.DRAFT)
        .values("village_id")
        .annotate(
            submitted=Count("id"),
            priority=Count("id", filter=Q(forum_item__result__decision=Result.Decision.PRIORITY)),
            funded=Count("id", filter=Q(follow_up__stage__in=FUNDED)),
            done=Count("id", filter=Q(follow_up__stage=Stage.DONE)),
            not_funded=Count("id", filter=Q(follow_up__stage=Stage.NOT_FUNDED)),
            **reasons,
        )
        .order_by()
    )
    by_village = {row.pop("village_id"): row for row in rows}
    empty = {key: 0 for key, _ in METRICS} | {key: 0 for key in reasons}
    result = []
    for village in subdistrict.villages.order_by("code"):
        counts = by_village.get(village.pk, empty)
        result.append({"code": village.code, "name": str(village), **empty, **counts})
    if None in by_village:
        result.append({"code": subdistrict.code, "name": SUBDISTRICT_ROW, **by_village[None]})
    for row in result:
        row["reasons"] = [
            {"code": r.value, "label": r.label, "count": row.get(f"nf_{r.value}", 0)}
            for r in NotFundedReason
        ]
    return result


def _totals(rows: list[dict]) -> dict:
    totals = {key: sum(r[key] for r in rows) for key, _ in METRICS}
    totals["reasons"] = [
        {"code": r.value, "label": r.label, "count": sum(row[f"nf_{r.value}"] for row in rows)}
        for r in NotFundedReason
    ]
    return totals


def sector_budget(forum: Forum) -> list[dict]:
    rows = (
        Result.objects.filter(item__forum=forum, decision=Result.Decision.PRIORITY)
        .values("item__proposal__sector__name")
        .annotate(
            count=Count("id"),
            total=Sum(Coalesce("item__proposal__agreed_cost", "item__proposal__cost")),
        )
        .order_by("-total", "item__proposal__sector__name")
    )
    return [
        {"sector": r["item__proposal__sector__name"], "count": r["count"], "total": r["total"] or 0}
        for r in rows
    ]


def participation(forum: Forum) -> dict:
    counts = dict(
        Participant.objects.filter(forum=forum, present_at__isnull=False)
        .values_list("gender")
        .annotate(n=Count("id"))
        .order_by()
    )
    men, women = counts.get("L", 0), counts.get("P", 0)
    total = men + women
    return {
        "men": men,
        "women": women,
        "total": total,
        "women_share": round(women * 100 / total, 1) if total else None,
    }


def last_year_parts(forum_id: int) -> list[tuple[str, list]]:
    """What "Rapor tahun lalu" on a forum's pages shows changes only with these, as SQL keyed by
    the forum's id (the forum home's cache key and ``musrenbang.fastpage``): last year's forums
    of its kecamatan (every column), their proposals and follow-ups (count, last change)."""
    from reports.followup.models import FollowUp

    f, p, u = Forum._meta.db_table, Proposal._meta.db_table, FollowUp._meta.db_table
    this = f"(SELECT subdistrict_id, year - 1 AS year FROM {f} WHERE id = %s)"  # noqa: S608
    return [
        (
            f"SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM {f} x"  # noqa: S608
            f" JOIN {this} w ON w.subdistrict_id = x.subdistrict_id AND w.year = x.year",
            [forum_id],
        ),
        (
            f"SELECT count(*) || '.' || coalesce(max(q.updated_at)::text, '')"  # noqa: S608
            f" || '.' || count(x.id) || '.' || coalesce(max(x.updated_at)::text, '')"
            f" FROM {p} q JOIN {this} w ON w.subdistrict_id = q.subdistrict_id"
            f" AND w.year = q.year LEFT JOIN {u} x ON x.proposal_id = q.id",
            [forum_id],
        ),
    ]


def sent_forum(subdistrict: Subdistrict, year: int) -> Forum | None:
    return Forum.objects.filter(subdistrict=subdistrict, year=year, state=Forum.State.SENT).first()


def report_card(*, subdistrict: Subdistrict, year: int, forum: Forum) -> dict:
    """Every figure of the report card (constant queries)."""
    villages = village_counts(subdistrict=subdistrict, year=year)
    return {
        "subdistrict": subdistrict,
        "year": year,
        "forum": forum,
        "villages": villages,
        "totals": _totals(villages),
        "sectors": sector_budget(forum),
        "participation": participation(forum),
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
    }


def open_data(card: dict, source_url: str) -> dict:
    """The report card as plain data for the JSON download."""
    sub = card["subdistrict"]
    return {
        "judul": f"Rapor Musrenbang Kecamatan {sub.name} {card['year']}",
        "lisensi": card["licence"],
        "lisensi_url": card["licence_url"],
        "sumber": source_url,
        "kecamatan": {"kode": sub.code, "nama": sub.name, "kabupaten_kota": sub.regency.name},
        "tahun": card["year"],
        "desa_kelurahan": [
            {
                "kode": row["code"],
                "nama": row["name"],
                "usulan_diajukan": row["submitted"],
                "prioritas": row["priority"],
                "didanai_dpa": row["funded"],
                "selesai": row["done"],
                "tidak_didanai": row["not_funded"],
                "tidak_didanai_per_alasan": {r["label"]: r["count"] for r in row["reasons"]},
            }
            for row in card["villages"]
        ],
        "anggaran_prioritas_per_bidang": [
            {"bidang": s["sector"], "jumlah_usulan": s["count"], "biaya_rp": s["total"]}
            for s in card["sectors"]
        ],
        "kehadiran_per_jenis_kelamin": {
            "laki_laki": card["participation"]["men"],
            "perempuan": card["participation"]["women"],
        },
    }


CSV_HEADER = [
    "kode", "desa_kelurahan", "usulan_diajukan", "prioritas", "didanai_dpa", "selesai",
    "tidak_didanai", *[f"tidak_didanai_{r.value}" for r in NotFundedReason],
]  # fmt: skip


def csv_rows(card: dict) -> list[list]:
    return [
        [
            row["code"],
            row["name"],
            row["submitted"],
            row["priority"],
            row["funded"],
            row["done"],
            row["not_funded"],
            *[r["count"] for r in row["reasons"]],
        ]  # fmt: skip
        for row in card["villages"]
    ]


# --- charts drawn by the server ----------------------------------------------------------


@dataclass
class Bar:
    label: str
    value: int
    text: str
    y: int
    width: int
    series: int = 0


def bar_chart(rows: list[tuple[str, list[int], list[str]]], *, series: list[str], width=640):
    """Geometry of a horizontal (grouped) bar chart for an SVG drawn in the template.

    ``rows``: (label, values per series, value texts). Returns the bars and the view box.
    """
    label_w, bar_h, gap = 200, 14, 10
    plot = width - label_w - 130
    top = max((max(values) for _, values, _ in rows if values), default=0) or 1
    bars, groups, y = [], [], 8
    for label, values, texts in rows:
        groups.append({"label": label, "y": y + (bar_h * len(values)) // 2 + 4})
        for index, (value, text) in enumerate(zip(values, texts, strict=True)):
            bars.append(Bar(label, value, text, y, round(plot * value / top), index))
            y += bar_h
        y += gap
    return {
        "bars": bars,
        "groups": groups,
        "height": y + 4,
        "width": width,
        "label_w": label_w,
        "series": [{"index": i, "name": name} for i, name in enumerate(series)],
    }

"""The printed documents: one builder per document, one A4 base template, WeasyPrint.

Each builder takes the forum (and options) and returns the template and its context; ``render``
turns that into PDF bytes. The download buttons, the archive and ``manage.py render_document``
all call ``render``, so a paper looks the same whichever way it was made.
"""

import base64
import logging
import mimetypes
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, partial

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from musrenbang.exceptions import DomainError
from musrenbang.formatting import rupiah, tanggal, tanggal_terbilang
from musrenbang.models import Agency, Village
from proposals.models import Proposal, Status
from reports import selectors, td4_pdf
from reports.models import ForumUpload
from scoring import selectors as scoring_selectors
from sessions.models import Delegate, Forum, Participant

SPARE_ROWS = 15

logging.getLogger("weasyprint").setLevel(logging.WARNING)


@dataclass(frozen=True)
class DocumentKind:
    slug: str
    title: str
    needs_sent: bool


KINDS = {
    kind.slug: kind
    for kind in [
        DocumentKind("daftar-hadir", "Daftar Hadir", needs_sent=False),
        DocumentKind("berita-acara", "Berita Acara Musrenbang Kecamatan", needs_sent=True),
        DocumentKind("daftar-usulan", "Daftar Usulan Desa/Kelurahan", needs_sent=False),
        DocumentKind("hasil-skoring", "Hasil Skoring", needs_sent=False),
        DocumentKind("dsp-opd", "Daftar Skala Prioritas per Perangkat Daerah", needs_sent=True),
        DocumentKind("laporan", "Laporan Hasil Musrenbang Kecamatan", needs_sent=True),
        DocumentKind("surat-mandat", "Surat Mandat Delegasi", needs_sent=True),
    ]
}


@dataclass
class Rendered:
    content: bytes
    filename: str
    title: str


@dataclass
class FinalMark:
    """What a final document prints: its verification URL, code and QR code."""

    url: str
    code: str

    @property
    def qr(self) -> str:
        return qr_data_uri(self.url)


def qr_data_uri(url: str) -> str:
    """Return the QR code of ``url`` as a PNG data URI, one pixel per module, no border.

    CSS scales it with ``image-rendering: pixelated``; tests read the image back from the PDF
    and compare it with ``segno.make(url)``'s matrix.
    """
    return segno.make(url, error="m").png_data_uri(scale=1, border=0)


@cache
def _css() -> str:
    with open(finders.find("reports/print.css"), encoding="utf-8") as handle:
        return handle.read()


def _logo(regency) -> str | None:
    if not regency.logo:
        return None
    try:
        with regency.logo.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError):
        return None
    mime = mimetypes.guess_type(regency.logo.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def _base_context(forum: Forum, title: str) -> dict:
    sub = forum.subdistrict
    return {
        "css": _css(),
        "doc_title": title,
        "forum": forum,
        "subdistrict": sub,
        "regency": sub.regency,
        "logo": _logo(sub.regency),
        "camat_name": sub.camat_name,
        "camat_nip": sub.camat_nip,
        "chair_name": forum.chair_name or sub.camat_name or "Camat",
        "chair_position": forum.chair_position or f"Camat {sub.name}",
        "sign_date": forum.date or timezone.localdate(),
        "footer_text": f"{title} · Kecamatan {sub.name} · {forum.year}",
    }


def to_pdf(template: str, context: dict) -> bytes:
    """The PDF of a template; with ``annex_one`` in the context, Lampiran I joined in (T-D.4)."""
    html = render_to_string(template, context)
    annex = context.get("annex_one")
    if annex is None:
        return _weasyprint(html).write_pdf()
    return td4_pdf.compose(annex, partial(_html_part, html))


def _weasyprint(html: str):
    from weasyprint import HTML  # imported late: it is slow to import and logs while loading

    return HTML(string=html, base_url=str(settings.BASE_DIR)).render()


def _html_part(html: str) -> tuple[bytes, int]:
    """The HTML part of the Berita Acara and the index of the page Lampiran I goes before."""
    document = _weasyprint(html)
    before = next(
        (i for i, page in enumerate(document.pages) if td4_pdf.INSERT_BEFORE in page.anchors),
        len(document.pages),
    )
    return document.write_pdf(), before


# --- Builders: (forum, options) -> (template, context) ---


def build_attendance(forum: Forum, *, blank: bool = False, spare: int = SPARE_ROWS, **_):
    bundle = selectors.forum_bundle(forum)
    if blank:
        people = [p for p in bundle.participants if not p.walk_in]
        spare_rows = range(len(people) + 1, len(people) + spare + 1)
    else:
        people = sorted(bundle.present, key=lambda p: (p.present_at, p.name))
        spare_rows = range(0)
    title = "Daftar Hadir" + (" (formulir)" if blank else "")
    context = _base_context(forum, title)
    context.update(
        people=people,
        spare=spare_rows,
        blank=blank,
        counts=bundle.attendance_counts(present_only=not blank),
    )
    return "reports/pdf/daftar_hadir.html", context


def _person(name: str, role: str, nip: str = "") -> dict:
    return {"name": name, "role": role, "nip": nip}


def _representatives(bundle: selectors.ForumBundle) -> list[dict]:
    """Return the participants' representatives: the elected delegates, else village delegates."""
    chosen: dict[int, Participant] = {}
    for delegate in bundle.delegates:
        if delegate.elected:
            chosen.setdefault(delegate.participant_id, delegate.participant)
    people = list(chosen.values()) or bundle.signers(Participant.Category.VILLAGE_DELEGATE)[:5]
    return [
        _person(p.name, f"{p.get_category_display()}{f' {p.village.name}' if p.village else ''}")
        for p in people
    ]


def _commission_summaries(bundle: selectors.ForumBundle) -> list[dict]:
    """Each commission with its rows in the order it agreed, and its counts (Lampiran III)."""
    rows_of = defaultdict(list)
    for row in bundle.rows:
        rows_of[row.item.commission_id].append(row)
    summaries = []
    for commission in bundle.commissions:
        rows = sorted(rows_of.get(commission.pk, []), key=lambda r: r.item.commission_rank or 10**6)
        priority = [r for r in rows if r.is_priority]
        summaries.append(
            {
                "commission": commission,
                "rows": rows,
                "priority": len(priority),
                "reserve": sum(1 for r in rows if r.is_reserve),
                "priority_total": sum(r.proposal.effective_cost for r in priority),
            }
        )
    return summaries


def _signer_blocks(bundle: selectors.ForumBundle) -> list[dict]:
    """The three tables of people who sign the Berita Acara beside the chair."""
    district = bundle.subdistrict.electoral_district
    return [
        {
            "title": "Anggota DPRD Daerah Pemilihan" + (f" ({district})" if district else ""),
            "people": [
                _person(p.name, p.position or p.institution or "Anggota DPRD")
                for p in bundle.signers(Participant.Category.DPRD)
            ],
            "empty": "Tidak ada anggota DPRD dapil yang tercatat.",
        },
        {
            "title": "Wakil Peserta Musrenbang Kecamatan",
            "people": _representatives(bundle),
            "empty": "Belum ada wakil peserta yang tercatat.",
        },
        {
            "title": f"Tim Bappeda {bundle.regency.name}",
            "people": [
                _person(p.name, p.position or "Tim Bappeda")
                for p in bundle.signers(Participant.Category.BAPPEDA)
            ],
            "empty": "Tidak ada anggota tim Bappeda yang tercatat.",
        },
    ]


def _minutes_figures(bundle: selectors.ForumBundle) -> dict:
    """Counts and sums the Berita Acara states (Lampiran I, II and IV)."""
    priority, reserve = bundle.priority, bundle.reserve
    return {
        "participant_count": bundle.participant_count,
        "ceiling": bundle.ceiling,
        "ceiling_rest": (bundle.ceiling or 0) - bundle.priority_total,
        "groups": bundle.priority_groups(),
        "priority_count": len(priority),
        "priority_total": bundle.priority_total,
        "reserve": reserve,
        "reserve_count": len(reserve),
        "reserve_total": bundle.reserve_total,
        "forum_pd": bundle.elected(Delegate.Body.FORUM_OPD),
        "musrenbang": bundle.elected(Delegate.Body.MUSRENBANG),
        "delegate_bodies": [
            {"label": label, "delegates": bundle.elected(value)}
            for value, label in Delegate.Body.choices
        ],
    }


def _annex_one(forum: Forum, figures: dict, number: str, footer: str, *, draft: bool):
    """Lampiran I, the DSP in table T-D.4, laid out by ReportLab (reports.td4_pdf)."""
    ceiling = figures["ceiling"]
    ceiling_line = ""
    if ceiling:
        ceiling_line = (
            f"Pagu indikatif kewilayahan: {rupiah(ceiling)} · jumlah DSP: "
            f"{rupiah(figures['priority_total'])} · sisa: {rupiah(figures['ceiling_rest'])}"
        )
    sub = forum.subdistrict
    heading = td4_pdf.Heading(
        subdistrict=sub.name,
        regency=sub.regency.name,
        year=forum.year,
        number=number,
        date=tanggal(forum.date),
        ceiling_line=ceiling_line,
    )
    return td4_pdf.AnnexSpec(
        groups=figures["groups"],
        count=figures["priority_count"],
        total=figures["priority_total"],
        heading=heading,
        footer=footer,
        draft=draft,
    )


def build_minutes(forum: Forum, *, final: FinalMark | None = None, number: str = "", **_):
    if forum.date is None:
        raise DomainError("Tanggal pelaksanaan forum belum diisi; Berita Acara belum dapat dibuat.")
    bundle = selectors.forum_bundle(forum)
    context = _base_context(forum, "Berita Acara Musrenbang Kecamatan")
    if final:
        context["footer_text"] = f"Verifikasi: {final.url}"
    figures = _minutes_figures(bundle)
    context.update(
        figures,
        annex_one=_annex_one(forum, figures, number, context["footer_text"], draft=final is None),
        draft=final is None,
        final=final,
        number=number,
        words=tanggal_terbilang(forum.date),
        commissions=_commission_summaries(bundle),
        signer_blocks=_signer_blocks(bundle),
    )
    return "reports/pdf/berita_acara.html", context


def build_village_list(forum: Forum, *, village: Village | None = None, **_):
    groups = [
        (v, proposals, sum(p.cost for p in proposals))
        for v, proposals in selectors.village_proposals(forum.subdistrict, forum.year, village)
        if v is not None
    ]
    title = "Daftar Usulan " + (str(village) if village else "Desa/Kelurahan")
    context = _base_context(forum, title)
    context.update(groups=groups, year=forum.year)
    return "reports/pdf/daftar_usulan.html", context


def build_scoring(forum: Forum, **_):
    bundle = selectors.forum_bundle(forum)
    criteria = scoring_selectors.criteria_of(forum)
    rows = bundle.ranked
    for row in rows:  # the averages of the last Hitung, as the ranking shows them
        values = row.result.averages if row.result else {}
        row.criteria_values = [
            Decimal(values[str(c.pk)]) if str(c.pk) in values else None for c in criteria
        ]
    context = _base_context(forum, "Hasil Skoring")
    context.update(rows=rows, criteria=criteria, colspan=6 + len(criteria))
    return "reports/pdf/hasil_skoring.html", context


def build_agency_list(forum: Forum, *, agency: Agency | None = None, **_):
    bundle = selectors.forum_bundle(forum)
    by_agency: dict[int, list] = defaultdict(list)
    for row in bundle.priority:
        if row.agency:
            by_agency[row.agency.pk].append(row)
    agencies = [agency] if agency else bundle.agencies_with_priority()
    sections = [
        {
            "agency": a,
            "rows": by_agency.get(a.pk, []),
            "total": sum(r.proposal.effective_cost for r in by_agency.get(a.pk, [])),
        }
        for a in agencies
        if by_agency.get(a.pk) or agency
    ]
    title = "DSP " + (agency.abbreviation if agency else "per Perangkat Daerah")
    context = _base_context(forum, title)
    context.update(sections=sections)
    return "reports/pdf/dsp_opd.html", context


def _report_recaps(forum: Forum, bundle: selectors.ForumBundle) -> dict:
    villages: dict = {}
    for v in Village.objects.filter(subdistrict_id=forum.subdistrict_id).order_by("code"):
        villages[v.pk] = {"name": str(v), "received": 0, "verified": 0, "priority": 0,
                          "reserve": 0, "priority_total": 0}  # fmt: skip
    for village_id, status in Proposal.objects.filter(
        subdistrict_id=forum.subdistrict_id, year=forum.year, village__isnull=False
    ).values_list("village_id", "status"):
        if status != Status.DRAFT and village_id in villages:
            villages[village_id]["received"] += 1
            villages[village_id]["verified"] += status == Status.VERIFIED
    by_sector: dict[str, dict] = {}
    by_agency: dict[str, dict] = {}
    for row in bundle.rows:
        record = villages.get(row.proposal.village_id)
        if record is not None and row.decision:
            record["priority" if row.decision == selectors.PRIORITY else "reserve"] += 1
            if row.decision == selectors.PRIORITY:
                record["priority_total"] += row.proposal.effective_cost
        if row.decision == selectors.PRIORITY:
            for table, name in (
                (by_sector, row.proposal.sector.name),
                (by_agency, row.agency.name if row.agency else "Belum ditetapkan"),
            ):
                entry = table.setdefault(name, {"name": name, "count": 0, "total": 0})
                entry["count"] += 1
                entry["total"] += row.proposal.effective_cost
    by_village = list(villages.values())
    keys = ("received", "verified", "priority", "reserve", "priority_total")
    totals = {k: sum(r[k] for r in by_village) for k in keys}
    return {
        "by_village": by_village,
        "village_totals": totals,
        "by_sector": list(by_sector.values()),
        "by_agency": sorted(by_agency.values(), key=lambda e: e["name"]),
    }


def build_report(forum: Forum, *, number: str = "", **_):
    bundle = selectors.forum_bundle(forum)
    kinds = list(ForumUpload.objects.filter(forum=forum).values_list("kind", flat=True))
    context = _base_context(forum, "Laporan Hasil Musrenbang Kecamatan")
    present = bundle.present
    context.update(
        _report_recaps(forum, bundle),
        number=number,
        archived=forum.archived_documents.first(),
        participant_count=bundle.participant_count,
        present_count=len(present),
        present_male=sum(1 for p in present if p.gender == "L"),
        present_female=sum(1 for p in present if p.gender == "P"),
        priority_count=len(bundle.priority),
        priority_total=bundle.priority_total,
        reserve_count=len(bundle.reserve),
        reserve_total=bundle.reserve_total,
        ceiling=bundle.ceiling,
        ceiling_rest=(bundle.ceiling or 0) - bundle.priority_total,
        forum_pd=bundle.elected(Delegate.Body.FORUM_OPD),
        musrenbang=bundle.elected(Delegate.Body.MUSRENBANG),
        photo_count=kinds.count(ForumUpload.Kind.PHOTO),
        video_count=kinds.count(ForumUpload.Kind.VIDEO),
        scan_count=sum(
            kinds.count(k)
            for k in (ForumUpload.Kind.MINUTES_SCAN, ForumUpload.Kind.ATTENDANCE_SCAN)
        ),
    )
    return "reports/pdf/laporan.html", context


def build_mandates(forum: Forum, **_):
    bundle = selectors.forum_bundle(forum)
    delegates = [d for d in bundle.delegates if d.elected]
    context = _base_context(forum, "Surat Mandat Delegasi")
    context.update(
        delegates=delegates,
        number_prefix=f"SM/Musrenbang-Kec.{forum.subdistrict.name}/{forum.year}",
    )
    return "reports/pdf/surat_mandat.html", context


BUILDERS = {
    "daftar-hadir": build_attendance,
    "berita-acara": build_minutes,
    "daftar-usulan": build_village_list,
    "hasil-skoring": build_scoring,
    "dsp-opd": build_agency_list,
    "laporan": build_report,
    "surat-mandat": build_mandates,
}


def render(slug: str, forum: Forum, **options) -> Rendered:
    """Render one document of a forum to PDF bytes, refusing what its state does not allow."""
    kind = KINDS.get(slug)
    if kind is None:
        raise DomainError(f"Jenis dokumen '{slug}' tidak dikenal.")
    if kind.needs_sent and not forum.is_locked:
        raise DomainError(f"{kind.title} baru dapat dicetak setelah hasil forum dikirim ke OPD.")
    template, context = BUILDERS[slug](forum, **options)
    suffix = "-formulir" if options.get("blank") else ""
    filename = f"{slug}{suffix}-{forum.subdistrict.code.replace('.', '')}-{forum.year}.pdf"
    return Rendered(content=to_pdf(template, context), filename=filename, title=kind.title)

"""Reads of the master data."""

import re

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from musrenbang.formatting import rupiah
from musrenbang.models import (
    Agency,
    Instrument,
    KamusEntry,
    Nomenclature,
    PlanningYear,
    Regency,
    Subdistrict,
)


def agencies_of(regency: Regency) -> QuerySet[Agency]:
    return Agency.objects.filter(regency=regency, is_active=True).order_by("name")


def planning_years(regency: Regency) -> list[PlanningYear]:
    return list(PlanningYear.objects.filter(regency=regency).order_by("-year"))


def current_year(regency: Regency, requested: str | int | None = None) -> PlanningYear | None:
    """Return the planning year asked for (``?tahun=``), else the latest one of the regency."""
    years = PlanningYear.objects.filter(regency=regency)
    if requested:
        try:
            found = years.filter(year=int(requested)).first()
        except (TypeError, ValueError):
            found = None
        if found:
            return found
    return years.order_by("-year").first()


def year_and_years(
    regency: Regency, requested: str | int | None = None
) -> tuple[PlanningYear | None, list[PlanningYear]]:
    """``current_year`` and ``planning_years`` in one query (pages that show the year picker)."""
    years = planning_years(regency)
    try:
        wanted = int(requested) if requested else None
    except (TypeError, ValueError):
        wanted = None
    found = next((y for y in years if y.year == wanted), None)
    return found or (years[0] if years else None), years


def subdistricts_with_village_counts(regency: Regency) -> QuerySet[Subdistrict]:
    return (
        Subdistrict.objects.filter(regency=regency)
        .annotate(village_count=Count("villages"))
        .order_by("code")
    )


# --- Nomenclature and kamus usulan ---

KAMUS_SEARCH_LIMIT = 20


def instrument_for_year(year: int) -> Instrument | None:
    """Return the nomenclature instrument in force for a planning year (None if none yet)."""
    return Instrument.objects.filter(first_year__lte=year).order_by("-first_year").first()


def sub_activities_of_year(year: int) -> QuerySet[Nomenclature]:
    """Return the sub kegiatan valid in a year (those of the instrument in force)."""
    instrument = instrument_for_year(year)
    if instrument is None:
        return Nomenclature.objects.none()
    return Nomenclature.objects.filter(instrument=instrument, level=Nomenclature.Level.SUB)


def sub_activity_valid_in(sub_activity: Nomenclature | None, year: int) -> bool:
    """Tell whether a sub kegiatan belongs to the instrument in force for ``year``."""
    if sub_activity is None:
        return False
    instrument = instrument_for_year(year)
    return instrument is not None and sub_activity.instrument_id == instrument.pk


def kamus_of_year(*, regency: Regency, year: int, active_only: bool = True):
    entries = KamusEntry.objects.filter(regency=regency, year=year)
    if active_only:
        entries = entries.filter(is_active=True)
    return entries.select_related(
        "sector", "agency", "sub_activity", "priority", "target"
    ).order_by("name")


def kamus_search(*, regency: Regency, year: int, text: str, limit: int = KAMUS_SEARCH_LIMIT):
    """Return up to ``limit`` active entries whose name, description or sub kegiatan code or
    name contains every word of ``text`` (one query)."""
    entries = kamus_of_year(regency=regency, year=year)
    for word in str(text or "").lower().split()[:8]:
        bare = word.strip(".,;:()\"'")
        entries = entries.filter(
            Q(name__icontains=bare)
            | Q(description__icontains=bare)
            | Q(sub_activity__code__startswith=word)
            | Q(sub_activity__name__icontains=bare)
        )
    return list(entries[:limit])


def normalise_name(text: str) -> str:
    """Lower-case, punctuation as spaces, single spaces: ``"Jalan  Lingkungan (Paving)"`` ->
    ``"jalan lingkungan paving"``."""
    text = re.sub(r"[^\w]+", " ", str(text or "").lower())
    return re.sub(r"\s+", " ", text).strip()


def kamus_matcher(*, regency: Regency, year: int):
    """Return ``match(text) -> KamusEntry | None`` over the year's kamus, loaded once.

    Exact name first, then normalised name; inactive entries match too (an old proposal may
    use an entry retired since). None when nothing or several match. Importers build one
    matcher per file, so a file of any size costs one query.
    """
    entries = list(
        KamusEntry.objects.filter(regency=regency, year=year).select_related(
            "sector", "agency", "sub_activity"
        )
    )
    exact, loose = {}, {}
    for entry in entries:
        exact.setdefault(entry.name, []).append(entry)
        loose.setdefault(normalise_name(entry.name), []).append(entry)

    def match(text) -> KamusEntry | None:
        text = str(text or "").strip()
        if not text:
            return None
        found = exact.get(text, [])
        if len(found) == 1:
            return found[0]
        found = loose.get(normalise_name(text), [])
        return found[0] if len(found) == 1 else None

    return match


def kamus_match(*, regency: Regency, year: int, text: str) -> KamusEntry | None:
    """Return the year's kamus entry named ``text`` (see ``kamus_matcher``)."""
    if not str(text or "").strip():
        return None
    return kamus_matcher(regency=regency, year=year)(text)


_UNSET = object()


def kamus_flags(proposal, *, tolerance: float | None = None, instrument=_UNSET) -> list[str]:
    """Return the verification flags of a proposal as Indonesian sentences.

    - no kamus entry: "usulan langsung", to verify;
    - cost off the kamus cost (volume x unit price) by more than ``tolerance`` (a share);
    - OPD different from the kamus default;
    - sub kegiatan not valid in the proposal's year.
    Reads ``proposal.kamus`` and ``proposal.sub_activity`` (select them with the proposal);
    pass ``instrument`` (the one in force for the year) to flag many proposals without a query.
    """
    if tolerance is None:
        tolerance = settings.KAMUS_COST_TOLERANCE
    flags = []
    kamus = proposal.kamus
    if kamus is None:
        flags.append("Usulan langsung (tanpa kamus usulan): perlu diverifikasi.")
    else:
        expected = proposal.kamus_cost
        cost = proposal.effective_cost
        if expected and abs(cost - expected) > expected * tolerance:
            share = round(tolerance * 100)
            flags.append(
                f"Biaya berbeda lebih dari {share}% dari harga kamus "
                f"({rupiah(cost)} dibanding {rupiah(expected)})."
            )
        if kamus.agency_id and proposal.suggested_agency_id != kamus.agency_id:
            flags.append(f"OPD berbeda dari OPD kamus ({kamus.agency}).")
    sub = proposal.sub_activity
    if instrument is _UNSET:
        instrument = instrument_for_year(proposal.year)
    if sub is not None and (instrument is None or sub.instrument_id != instrument.pk):
        flags.append(f"Sub kegiatan {sub.code} tidak berlaku pada tahun {proposal.year}.")
    return flags

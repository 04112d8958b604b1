"""Reads of the forum, shared by pages, the projector and other apps' reports."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from musrenbang.models import Role
from sessions.models import AgendaItem, Commission, Delegate, Forum, ForumItem, Participant

WOMEN_SHARE_MINIMUM = 30  # percent; below it the attendance page warns


def forums_for(user) -> QuerySet[Forum]:
    """Return the forums a user may see."""
    qs = Forum.objects.select_related("subdistrict__regency")
    if user.is_superuser:
        return qs
    if user.role in (Role.CAMAT, Role.STAFF, Role.OPERATOR):
        return qs.filter(subdistrict_id=user.subdistrict_id)
    if user.role in (Role.BAPPEDA, Role.OPD):
        return qs.filter(subdistrict__regency_id=user.regency_id)
    return qs.none()


def forums_for_all() -> QuerySet[Forum]:
    """All forums with what every page needs; views check permission on the one they fetch."""
    return Forum.objects.select_related("subdistrict__regency")


def forum_of(subdistrict, year: int) -> Forum | None:
    return Forum.objects.filter(subdistrict=subdistrict, year=year).first()


def regency_year_sent(*, regency_id: int, year: int) -> bool:
    """Return whether a forum of the kabupaten/kota and year was sent (its kamus is closed)."""
    return Forum.objects.filter(
        subdistrict__regency_id=regency_id, year=year, state=Forum.State.SENT
    ).exists()


@dataclass
class AttendanceCounts:
    """Who is present, by category and gender; women's share and its warning."""

    registered: int = 0
    present: int = 0
    men: int = 0
    women: int = 0
    walk_ins: int = 0
    by_category: list[tuple[str, int, int]] = field(default_factory=list)  # label, present, all

    @property
    def women_share(self) -> float:
        return round(100 * self.women / self.present, 1) if self.present else 0.0

    @property
    def women_warning(self) -> bool:
        return self.present > 0 and self.women_share < WOMEN_SHARE_MINIMUM


def attendance_counts(forum: Forum) -> AttendanceCounts:
    """Count participants in one query (grouped by category, gender and presence)."""
    rows = (
        Participant.objects.filter(forum=forum)
        .values("category", "gender")
        .annotate(
            total=Count("id"),
            present=Count("id", filter=Q(present_at__isnull=False)),
            walk_ins=Count("id", filter=Q(present_at__isnull=False, walk_in=True)),
        )
    )
    counts = AttendanceCounts()
    per_category: dict[str, list[int]] = {}
    for row in rows:
        counts.registered += row["total"]
        counts.present += row["present"]
        counts.walk_ins += row["walk_ins"]
        if row["gender"] == Participant.Gender.FEMALE:
            counts.women += row["present"]
        else:
            counts.men += row["present"]
        pair = per_category.setdefault(row["category"], [0, 0])
        pair[0] += row["present"]
        pair[1] += row["total"]
    counts.by_category = [
        (label, *per_category[value])
        for value, label in Participant.Category.choices
        if value in per_category
    ]
    return counts


def participant_search(forum: Forum, query: str = "", *, present: str = "") -> QuerySet:
    """Participants of a forum matching a name, institution or desa (for the door)."""
    qs = Participant.objects.filter(forum=forum).select_related("village")
    query = query.strip()
    if query:
        qs = qs.filter(
            Q(name__icontains=query)
            | Q(institution__icontains=query)
            | Q(village__name__icontains=query)
            | Q(phone__icontains=query)
        )
    if present == "ya":
        qs = qs.filter(present_at__isnull=False)
    elif present == "belum":
        qs = qs.filter(present_at__isnull=True)
    return qs.order_by("name", "id")


def present_participants(forum: Forum) -> QuerySet:
    return forum.participants.filter(present_at__isnull=False).order_by("name")


def agenda(forum: Forum) -> list[AgendaItem]:
    return list(forum.agenda.all())


def current_agenda_item(items: list[AgendaItem]) -> AgendaItem | None:
    """Return the running agenda item (started, not ended), if any."""
    return next((i for i in items if i.started_at and not i.ended_at), None)


def next_agenda_item(items: list[AgendaItem]) -> AgendaItem | None:
    return next((i for i in items if not i.started_at), None)


def remaining_seconds(item: AgendaItem | None) -> int | None:
    if item is None or item.started_at is None:
        return None
    elapsed = (timezone.now() - item.started_at).total_seconds()
    return int(item.planned_minutes * 60 - elapsed)


def format_seconds(seconds: int | None) -> str:
    """Return ``m:ss`` (or ``h:mm:ss``), negative when the item runs over its planned time."""
    if seconds is None:
        return ""
    sign, rest = ("-" if seconds < 0 else ""), abs(seconds)
    hours, minutes, secs = rest // 3600, rest % 3600 // 60, rest % 60
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes}:{secs:02d}"


def forum_items() -> QuerySet[ForumItem]:
    return ForumItem.objects.select_related(
        "proposal__village",
        "proposal__sector",
        "proposal__suggested_agency",
        "proposal__kamus",
        "proposal__sub_activity",
        "commission",
    )


def commissions_with_items(forum: Forum) -> list[Commission]:
    """Commissions with their proposals in draft priority order (2 queries), plus the
    unassigned proposals as ``forum.unassigned_items``."""
    items = forum_items().filter(forum=forum).order_by("commission_rank", "id")
    commissions = list(
        forum.commissions.select_related("sector").prefetch_related(
            Prefetch("items", queryset=items, to_attr="ordered_items")
        )
    )
    return commissions


PROJECTOR_ITEMS = 12  # the most items of one commission the projector shows


def commissions_with_top_items(forum: Forum, top: int = PROJECTOR_ITEMS) -> list[Commission]:
    """Commissions with only their first ``top`` items in draft priority order (``top_items``)
    and the number of all of them (``item_count``): what the projector shows, in 2 queries
    whatever the number of proposals (a window function numbers the items per commission)."""
    numbered = (
        forum_items()
        .filter(forum=forum)
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("commission_id")],
                order_by=[F("commission_rank"), F("id")],
            )
        )
        .filter(place__lte=top)
        .order_by("commission_rank", "id")
    )
    return list(
        forum.commissions.select_related("sector")
        .annotate(item_count=Count("items"))
        .prefetch_related(Prefetch("items", queryset=numbered, to_attr="top_items"))
    )


def unassigned_items(forum: Forum) -> list[ForumItem]:
    return list(forum_items().filter(forum=forum, commission__isnull=True).order_by("id"))


def verification_items(forum: Forum, *, village_id: int | None = None) -> QuerySet[ForumItem]:
    qs = forum_items().filter(forum=forum)
    if village_id:
        qs = qs.filter(proposal__village_id=village_id)
    return qs.order_by("proposal__village__code", "proposal__village_rank", "proposal__id")


def item_stats(forum: Forum) -> dict:
    return forum.items.aggregate(
        total=Count("id"),
        n_confirmed=Count("id", filter=Q(confirmed=True)),
        n_corrected=Count("id", filter=Q(confirmed=False) & ~Q(correction_note="")),
        n_additions=Count("id", filter=Q(proposal__origin="kecamatan")),
        n_unassigned=Count("id", filter=Q(commission__isnull=True)),
    )


def delegates_by_body(forum: Forum) -> dict[str, list[Delegate]]:
    rows = forum.delegates.select_related("participant__village").order_by("body", "order", "id")
    grouped: dict[str, list[Delegate]] = {value: [] for value in Delegate.Body.values}
    for row in rows:
        grouped[row.body].append(row)
    return grouped


def delegates_by_body_name(forum: Forum) -> dict[str, list[Delegate]]:
    """``delegates_by_body`` under the name of each body (its label), for pages."""
    labels = dict(Delegate.Body.choices)
    return {labels[body]: rows for body, rows in delegates_by_body(forum).items()}

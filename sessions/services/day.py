"""The forum day: start, agenda clock, verification, kecamatan additions, delegates."""

from dataclasses import dataclass, field

from django.utils import timezone

from musrenbang.exceptions import DomainError
from sessions.models import AgendaItem, Delegate, Forum, ForumItem, Participant
from sessions.services._base import Action, forum_action, forum_transition
from sessions.workflow import TRANSITIONS  # noqa: F401 - re-exported by sessions.services

State = Forum.State


def forum_start(*, actor, forum: Forum) -> Forum:
    """Open the forum (Langkat step 8): the clock starts; attendance is possible from now."""
    perm, action = "forum.start_forum", Action.STATE
    with forum_action(actor=actor, forum=forum, perm=perm, action=action) as step:
        forum = forum_transition(
            actor=actor, forum=step.forum, to=State.RUNNING, started_at=timezone.now()
        )
    return forum


def agenda_item_start(*, actor, item: AgendaItem) -> AgendaItem:
    """Start an agenda item now; the item still running (if any) ends at the same moment."""
    perm, action = "forum.run_agenda", Action.AGENDA_START
    with forum_action(actor=actor, forum=item.forum, perm=perm, action=action) as step:
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if item.started_at:
            raise DomainError(f"Agenda '{item.title}' sudah dimulai.")
        now = timezone.now()
        step.forum.agenda.filter(started_at__isnull=False, ended_at__isnull=True).update(
            ended_at=now
        )
        item.started_at = now
        item.save(update_fields=["started_at"])
        step.say(f"Agenda dimulai: {item.title}.")
    return item


def agenda_item_end(*, actor, item: AgendaItem) -> AgendaItem:
    """End the running agenda item now."""
    perm, action = "forum.run_agenda", Action.AGENDA_END
    with forum_action(actor=actor, forum=item.forum, perm=perm, action=action) as step:
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if not item.started_at:
            raise DomainError(f"Agenda '{item.title}' belum dimulai.")
        if item.ended_at:
            raise DomainError(f"Agenda '{item.title}' sudah selesai.")
        item.ended_at = timezone.now()
        item.save(update_fields=["ended_at"])
        step.say(f"Agenda selesai: {item.title}.")
    return item


def item_verify(*, actor, item: ForumItem, confirmed: bool, note: str = "") -> ForumItem:
    """Record the desa delegates' verification: confirmed, or a correction note."""
    note = note.strip()
    perm, action = "forum.verify_item", Action.VERIFY
    with forum_action(actor=actor, forum=item.forum, perm=perm, action=action) as step:
        if not confirmed and not note:
            raise DomainError("Tuliskan catatan koreksi dari delegasi.")
        item = ForumItem.objects.select_for_update().select_related("proposal").get(pk=item.pk)
        item.confirmed = confirmed
        item.correction_note = note
        item.save(update_fields=["confirmed", "correction_note"])
        what = "dikonfirmasi" if confirmed else "dicatat koreksinya"
        step.say(f"Usulan {item.proposal.reference} {what}.")
    return item


def kecamatan_addition_create(
    *,
    actor,
    forum: Forum,
    title: str,
    location: str,
    volume,
    unit: str,
    cost: int,
    sector,
    problem: str = "",
    village=None,
    suggested_agency=None,
    development_priority=None,
    kamus=None,
    regional_target=None,
    cost_note: str = "",
) -> ForumItem:
    """Add a proposal the forum finds necessary and no desa proposed (origin kecamatan).

    It is verified at once (the forum agreed it) and joins the commission of its bidang.
    A kamus entry fills what it implies and proposes cost = volume x unit price.
    """
    data = {
        "location": location, "volume": volume, "unit": unit, "cost": cost, "sector": sector,
        "problem": problem, "village": village, "suggested_agency": suggested_agency,
        "development_priority": development_priority, "kamus": kamus,
        "regional_target": regional_target, "cost_note": cost_note,
    }  # fmt: skip
    perm, action = "forum.add_kecamatan_proposal", Action.ADDITION
    with forum_action(actor=actor, forum=forum, perm=perm, action=action) as step:
        forum = step.forum
        _check_addition_places(forum, data)
        proposal = _addition_proposal(forum, actor, title=title, data=data)
        item = _addition_item(forum, proposal)
        step.say(f"Tambahan kecamatan: {proposal.reference} {title}.")
    return item


# What a kamus entry may fill or check (``proposals.services.lifecycle._apply_kamus``).
MATERIAL_FIELDS = (
    "unit", "cost", "volume", "sector", "suggested_agency", "development_priority", "kamus",
    "regional_target", "cost_note",
)  # fmt: skip


def _check_addition_places(forum: Forum, data: dict) -> None:
    """Refuse a bidang, desa, OPD or priority of another kabupaten/kecamatan."""
    regency_id = forum.subdistrict.regency_id
    if data["sector"].regency_id != regency_id:
        raise DomainError("Bidang bukan milik kabupaten/kota forum ini.")
    village = data["village"]
    if village is not None and village.subdistrict_id != forum.subdistrict_id:
        raise DomainError("Desa/kelurahan bukan bagian dari kecamatan ini.")
    for other in (data["suggested_agency"], data["development_priority"]):
        if other is not None and other.regency_id != regency_id:
            raise DomainError("OPD/prioritas bukan milik kabupaten/kota forum ini.")


def _addition_proposal(forum: Forum, actor, *, title: str, data: dict):
    """Create the verified proposal of an addition (with its first transition)."""
    from proposals.codes import new_tracking_code, next_reference
    from proposals.models import Origin, Proposal, Status, Transition
    from proposals.services.lifecycle import _apply_kamus

    fields = {name: data[name] for name in MATERIAL_FIELDS} | {"sub_activity": None}
    fields.update(_apply_kamus(forum.subdistrict, forum.year, fields))
    proposal = Proposal(
        year=forum.year,
        origin=Origin.SUBDISTRICT,
        subdistrict_id=forum.subdistrict_id,
        village=data["village"],
        title=title,
        problem=data["problem"],
        location=data["location"],
        **fields,
        reference=next_reference(subdistrict=forum.subdistrict, year=forum.year),
        tracking_code=new_tracking_code(),
        status=Status.VERIFIED,
        created_by=actor,
    )
    try:
        proposal.full_clean()
    except Exception as error:  # ValidationError: show its messages in Indonesian
        messages = getattr(error, "messages", [str(error)])
        raise DomainError("Usulan tidak valid: " + " ".join(messages))
    proposal.save()
    Transition.objects.create(
        proposal=proposal,
        from_status="",
        to_status=Status.VERIFIED,
        actor=actor,
        reason="Tambahan kecamatan yang disepakati dalam Musrenbang Kecamatan.",
    )
    return proposal


def _addition_item(forum: Forum, proposal) -> ForumItem:
    """Put the addition at the end of the commission of its bidang."""
    commission = forum.commissions.filter(sector=proposal.sector).order_by("order", "id").first()
    rank = commission.items.count() + 1 if commission else None
    return ForumItem.objects.create(
        forum=forum, proposal=proposal, commission=commission, commission_rank=rank
    )


# --- Delegates ---


@dataclass
class ElectionResult:
    elected: list[Delegate]
    ties: list[list[Delegate]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def seats_for(forum: Forum, body: str) -> int:
    regency = forum.subdistrict.regency
    if body == Delegate.Body.FORUM_OPD:
        return regency.delegates_forum_opd
    return regency.delegates_musrenbang


def delegates_elect(
    *, actor, forum: Forum, body: str, method: str, candidates: list[tuple[int, int | None]]
) -> ElectionResult:
    """Record the election of the kecamatan's delegates to one body (replaces an earlier one).

    ``candidates`` are (participant id, votes) pairs; votes are None for an agreement
    (musyawarah). Candidates must be present participants, each named once. By vote the
    candidates with the most votes fill the seats; equal votes across the last seat are
    refused (a run-off is needed) and reported by name.
    """
    if body not in Delegate.Body.values or method not in Delegate.Method.values:
        raise DomainError("Forum tujuan atau cara pemilihan tidak dikenal.")
    perm, action = "forum.elect_delegates", Action.DELEGATES
    with forum_action(actor=actor, forum=forum, perm=perm, action=action) as step:
        forum = step.forum
        seats = seats_for(forum, body)
        ranked, elected_ids = _rank(_candidates(forum, candidates), dict(candidates), method, seats)
        forum.delegates.filter(body=body).delete()
        rows = Delegate.objects.bulk_create(
            Delegate(
                forum=forum,
                participant=p,
                body=body,
                method=method,
                votes=v,
                elected=p.pk in elected_ids,
                order=n,
            )
            for n, (p, v) in enumerate(ranked, 1)
        )
        result = ElectionResult(elected=[d for d in rows if d.elected])
        result.ties = _ties(rows) if method == Delegate.Method.VOTE else []
        result.warnings = _warnings(result.elected, seats)
        names = ", ".join(d.participant.name for d in result.elected)
        how = f"{Delegate.Body(body).label} ({Delegate.Method(method).label})"
        step.say(f"Delegasi {how}: {names}")
    return result


def _rank(people: list[Participant], votes: dict, method: str, seats: int) -> tuple[list, set]:
    """Return the candidates in order with their votes, and the ids of those elected."""
    if method == Delegate.Method.AGREEMENT:
        if len(people) > seats:
            raise DomainError(f"Jumlah delegasi yang disepakati paling banyak {seats} orang.")
        return [(p, None) for p in people], {p.pk for p in people}
    if any(votes[p.pk] is None or votes[p.pk] < 0 for p in people):
        raise DomainError("Isikan jumlah suara (0 atau lebih) untuk setiap calon.")
    ranked = sorted(((p, votes[p.pk]) for p in people), key=lambda pv: -pv[1])
    _refuse_boundary_tie(ranked, seats)
    return ranked, {p.pk for p, _v in ranked[:seats]}


def _candidates(forum: Forum, candidates: list[tuple[int, int | None]]) -> list[Participant]:
    ids = [pid for pid, _votes in candidates]
    if not ids:
        raise DomainError("Pilih sedikitnya satu calon delegasi.")
    if len(set(ids)) != len(ids):
        raise DomainError("Seorang peserta tidak dapat dipilih dua kali untuk forum yang sama.")
    people = {p.pk: p for p in forum.participants.filter(pk__in=ids)}
    if len(people) != len(ids):
        raise DomainError("Calon delegasi harus peserta forum ini.")
    absent = [p.name for p in people.values() if p.present_at is None]
    if absent:
        raise DomainError("Calon delegasi harus peserta yang hadir: " + ", ".join(absent) + ".")
    return [people[pid] for pid in ids]


def _refuse_boundary_tie(ranked: list[tuple[Participant, int]], seats: int) -> None:
    if len(ranked) <= seats:
        return
    last_votes = ranked[seats - 1][1]
    if ranked[seats][1] == last_votes:
        tied = [p.name for p, v in ranked if v == last_votes]
        raise DomainError(
            f"Suara sama pada kursi terakhir: {', '.join(tied)} (masing-masing {last_votes} "
            "suara). Lakukan pemungutan suara ulang di antara calon tersebut."
        )


def _ties(rows: list[Delegate]) -> list[list[Delegate]]:
    groups: dict[int, list[Delegate]] = {}
    for row in rows:
        groups.setdefault(row.votes, []).append(row)
    return [group for group in groups.values() if len(group) > 1]


def _warnings(elected: list[Delegate], seats: int) -> list[str]:
    warnings = []
    if not any(d.participant.gender == Participant.Gender.FEMALE for d in elected):
        warnings.append("Tidak ada perempuan di antara delegasi terpilih.")
    if len(elected) < seats:
        warnings.append(f"Delegasi terpilih {len(elected)} dari {seats} kursi.")
    return warnings

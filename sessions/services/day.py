"""The forum day: start, agenda clock, verification, kecamatan additions, delegates."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from musrenbang.exceptions import DomainError
from sessions.models import AgendaItem, Delegate, Forum, ForumItem, Participant
from sessions.services._base import guard_lead, guard_record, guard_state, lock_forum, log

State = Forum.State
# The allowed moves of a forum. Sending (RUNNING -> SENT) belongs to scoring.services.forum_send.
TRANSITIONS = {
    State.PREPARATION: {State.RUNNING},
    State.RUNNING: {State.SENT},
    State.SENT: set(),
}


def forum_transition(*, actor, forum: Forum, to: str) -> Forum:
    """Move a locked forum row to another state, checked against ``TRANSITIONS`` and logged."""
    if to not in TRANSITIONS[forum.state]:
        raise DomainError(
            f"Forum {forum.get_state_display().lower()} tidak dapat berpindah ke tahap "
            f"{State(to).label.lower()}."
        )
    old = forum.get_state_display()
    forum.state = to
    forum.save(update_fields=["state"])
    log(forum, actor, "state", f"Tahap forum: {old} -> {forum.get_state_display()}.")
    return forum


def forum_start(*, actor, forum: Forum) -> Forum:
    """Open the forum (Langkat step 8): the clock starts; attendance is possible from now."""
    with transaction.atomic():
        forum = lock_forum(forum)
        guard_lead(actor, forum)
        guard_state(forum, State.PREPARATION, action="Memulai forum")
        forum_transition(actor=actor, forum=forum, to=State.RUNNING)
        forum.started_at = timezone.now()
        forum.save(update_fields=["started_at"])
    return forum


def agenda_item_start(*, actor, item: AgendaItem) -> AgendaItem:
    """Start an agenda item now; the item still running (if any) ends at the same moment."""
    with transaction.atomic():
        forum = lock_forum(item.forum)
        guard_record(actor, forum)
        guard_state(forum, State.RUNNING, action="Memulai agenda")
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if item.started_at:
            raise DomainError(f"Agenda '{item.title}' sudah dimulai.")
        now = timezone.now()
        forum.agenda.filter(started_at__isnull=False, ended_at__isnull=True).update(ended_at=now)
        item.started_at = now
        item.save(update_fields=["started_at"])
        log(forum, actor, "agenda_start", f"Agenda dimulai: {item.title}.")
    return item


def agenda_item_end(*, actor, item: AgendaItem) -> AgendaItem:
    """End the running agenda item now."""
    with transaction.atomic():
        forum = lock_forum(item.forum)
        guard_record(actor, forum)
        guard_state(forum, State.RUNNING, action="Mengakhiri agenda")
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if not item.started_at:
            raise DomainError(f"Agenda '{item.title}' belum dimulai.")
        if item.ended_at:
            raise DomainError(f"Agenda '{item.title}' sudah selesai.")
        item.ended_at = timezone.now()
        item.save(update_fields=["ended_at"])
        log(forum, actor, "agenda_end", f"Agenda selesai: {item.title}.")
    return item


def item_verify(*, actor, item: ForumItem, confirmed: bool, note: str = "") -> ForumItem:
    """Record the desa delegates' verification: confirmed, or a correction note."""
    note = note.strip()
    with transaction.atomic():
        forum = lock_forum(item.forum)
        guard_record(actor, forum)
        guard_state(forum, State.RUNNING, action="Verifikasi usulan oleh delegasi")
        if not confirmed and not note:
            raise DomainError("Tuliskan catatan koreksi dari delegasi.")
        item = ForumItem.objects.select_for_update().select_related("proposal").get(pk=item.pk)
        item.confirmed = confirmed
        item.correction_note = note
        item.save(update_fields=["confirmed", "correction_note"])
        what = "dikonfirmasi" if confirmed else "dicatat koreksinya"
        log(forum, actor, "verify", f"Usulan {item.proposal.reference} {what}.")
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
):
    """Add a proposal the forum finds necessary and no desa proposed (origin kecamatan).

    It is verified at once (the forum agreed it) and joins the commission of its bidang.
    A kamus entry fills what it implies and proposes cost = volume x unit price.
    """
    from proposals.codes import new_tracking_code, next_reference
    from proposals.models import Origin, Proposal, Status, Transition
    from proposals.services.lifecycle import _apply_kamus

    with transaction.atomic():
        forum = lock_forum(forum)
        guard_record(actor, forum)
        guard_state(forum, State.RUNNING, action="Menambah usulan kecamatan")
        regency_id = forum.subdistrict.regency_id
        if sector.regency_id != regency_id:
            raise DomainError("Bidang bukan milik kabupaten/kota forum ini.")
        if village is not None and village.subdistrict_id != forum.subdistrict_id:
            raise DomainError("Desa/kelurahan bukan bagian dari kecamatan ini.")
        for other in (suggested_agency, development_priority):
            if other is not None and other.regency_id != regency_id:
                raise DomainError("OPD/prioritas bukan milik kabupaten/kota forum ini.")
        fields = {
            "unit": unit,
            "cost": cost,
            "volume": volume,
            "sector": sector,
            "suggested_agency": suggested_agency,
            "development_priority": development_priority,
            "kamus": kamus,
            "regional_target": regional_target,
            "cost_note": cost_note,
            "sub_activity": None,
        }
        fields.update(_apply_kamus(forum.subdistrict, forum.year, fields))
        proposal = Proposal(
            year=forum.year,
            origin=Origin.SUBDISTRICT,
            subdistrict_id=forum.subdistrict_id,
            village=village,
            title=title,
            problem=problem,
            location=location,
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
        commission = forum.commissions.filter(sector=sector).order_by("order", "id").first()
        rank = commission.items.count() + 1 if commission else None
        item = ForumItem.objects.create(
            forum=forum, proposal=proposal, commission=commission, commission_rank=rank
        )
        log(forum, actor, "addition", f"Tambahan kecamatan: {proposal.reference} {title}.")
    return item


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
    with transaction.atomic():
        forum = lock_forum(forum)
        guard_lead(actor, forum)
        guard_state(forum, State.RUNNING, action="Pemilihan delegasi")
        seats = seats_for(forum, body)
        people = _candidates(forum, candidates)
        votes = dict(candidates)
        if method == Delegate.Method.AGREEMENT:
            if len(people) > seats:
                raise DomainError(f"Jumlah delegasi yang disepakati paling banyak {seats} orang.")
            ranked = [(p, None) for p in people]
            elected_ids = {p.pk for p in people}
        else:
            if any(votes[p.pk] is None or votes[p.pk] < 0 for p in people):
                raise DomainError("Isikan jumlah suara (0 atau lebih) untuk setiap calon.")
            ranked = sorted(((p, votes[p.pk]) for p in people), key=lambda pv: -pv[1])
            _refuse_boundary_tie(ranked, seats)
            elected_ids = {p.pk for p, _v in ranked[:seats]}
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
        label = Delegate.Body(body).label
        log(
            forum,
            actor,
            "delegates",
            f"Delegasi {label} ({Delegate.Method(method).label}): {names}",
        )
    return result


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

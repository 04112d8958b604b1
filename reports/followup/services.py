"""Writes of follow-ups: open them when a forum is sent, move their stage, add milestones.

Every stage change goes through ``followup_move``, the single place that enforces the one
table ``TRANSITIONS``, locks the row and writes a ``FollowUpMove``. Pages, the Excel worklist,
commands and the demo all call it; each writing service checks its actor once, first, against
its named permission (``reports.update_followup``, ``reports.record_milestone``).
"""

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from musrenbang import uploads
from musrenbang.exceptions import DomainError
from musrenbang.models import Agency, User
from musrenbang.rulebook import authorize
from proposals.models import Proposal, Status
from reports.followup.models import (
    FollowUp,
    FollowUpMove,
    Milestone,
    MilestoneFile,
    NotFundedReason,
    Stage,
)
from reports.followup.photos import read_place
from scoring.models import Result
from sessions.models import Forum

logger = logging.getLogger("musrenbang.audit")

S = Stage
# from -> the stages a follow-up may move to. The one table of allowed moves. The main path
# may skip steps forward (an OPD often learns of Renja and RKPD at once); "pelaksanaan" to
# itself is a progress update; selesai and tidak didanai are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.KECAMATAN: frozenset({S.TRANSFERRED, S.NOT_FUNDED}),
    S.TRANSFERRED: frozenset({S.RECEIVED, S.RENJA, S.TRANSFERRED, S.NOT_FUNDED}),
    S.RECEIVED: frozenset({S.RENJA, S.RKPD, S.DPA, S.TRANSFERRED, S.NOT_FUNDED}),
    S.RENJA: frozenset({S.RKPD, S.DPA, S.TRANSFERRED, S.NOT_FUNDED}),
    S.RKPD: frozenset({S.DPA, S.TRANSFERRED, S.NOT_FUNDED}),
    S.DPA: frozenset({S.RUNNING, S.DONE, S.NOT_FUNDED}),
    S.RUNNING: frozenset({S.RUNNING, S.DONE, S.NOT_FUNDED}),
    S.DONE: frozenset(),
    S.NOT_FUNDED: frozenset(),
}
# Stages counted as funded (in the DPA or beyond) by the report card and the overview.
FUNDED = frozenset({S.DPA, S.RUNNING, S.DONE})
# Not-discussed proposals: reached the kecamatan but were never loaded into the forum.
NOT_AT_KECAMATAN = (Status.DRAFT, Status.RETURNED, Status.REJECTED)


def allowed_targets(stage: str) -> list[str]:
    """Return the stages a follow-up in ``stage`` may move to, in the order of ``Stage``."""
    targets = TRANSITIONS.get(stage, frozenset())
    return [value for value in Stage.values if value in targets]


# --- opening ------------------------------------------------------------------------------


def _owner(item) -> tuple[int | None, str]:
    result = getattr(item, "result", None)
    if result and result.decision == Result.Decision.PRIORITY and result.responsible_agency_id:
        return result.responsible_agency_id, Stage.RECEIVED
    return None, Stage.KECAMATAN


@transaction.atomic
def followups_open(*, forum: Forum) -> int:
    """Open one follow-up per proposal of a sent forum; return how many were new (idempotent).

    A system step, run when the forum is sent (``forum_sent``) and for forums sent before
    follow-ups existed (the migration, ``followup_open``): its only rule is the forum's phase.
    Priorities go to their OPD (diterima OPD); reserves and proposals the forum never
    discussed stay with the kecamatan.
    """
    forum = Forum.objects.select_for_update().get(pk=forum.pk)
    if not forum.is_locked:
        raise DomainError("Tindak lanjut dibuka setelah forum dikirim ke OPD.")
    done = set(FollowUp.objects.filter(forum=forum).values_list("proposal_id", flat=True))
    owners = {
        item.proposal_id: _owner(item)
        for item in forum.items.select_related("result").order_by("id")
    }
    not_discussed = (
        Proposal.objects.filter(subdistrict_id=forum.subdistrict_id, year=forum.year)
        .filter(forum_item__isnull=True)
        .exclude(status__in=NOT_AT_KECAMATAN)
        .values_list("pk", flat=True)
    )
    for pk in not_discussed:
        owners.setdefault(pk, (None, Stage.KECAMATAN))
    when = forum.sent_at or timezone.now()
    created = FollowUp.objects.bulk_create(
        FollowUp(
            proposal_id=pk,
            forum=forum,
            subdistrict_id=forum.subdistrict_id,
            agency_id=agency_id,
            stage=stage,
            updated_at=when,
        )
        for pk, (agency_id, stage) in owners.items()
        if pk not in done
    )
    FollowUpMove.objects.bulk_create(
        FollowUpMove(
            follow_up=f,
            to_stage=f.stage,
            to_agency_id=f.agency_id,
            date=timezone.localdate(when),
            actor_id=forum.sent_by_id,
            note="Forum dikirim ke OPD.",
        )
        for f in created
    )
    return len(created)


# --- moving -------------------------------------------------------------------------------


def _check_date(date: dt.date | None, follow_up: FollowUp) -> dt.date:
    today = timezone.localdate()
    date = date or today
    if date > today:
        raise DomainError("Tanggal tidak boleh di masa depan.")
    sent = follow_up.forum.sent_at
    if sent and date < timezone.localdate(sent):
        raise DomainError("Tanggal tidak boleh sebelum forum dikirim ke OPD.")
    return date


def _figures(follow_up: FollowUp, to: str, data: dict) -> dict:
    """Check what the target stage needs; return the fields to write."""
    if to == S.DPA:
        year, amount = data.get("budget_year"), data.get("budget_amount")
        if not year or amount is None:
            raise DomainError("Masuk DPA wajib mengisi tahun anggaran dan nilai anggaran.")
        if not follow_up.forum.year - 1 <= int(year) <= follow_up.forum.year + 5:
            raise DomainError(f"Tahun anggaran {year} di luar rentang yang wajar.")
        if int(amount) <= 0:
            raise DomainError("Nilai anggaran DPA harus lebih dari 0.")
        return {"budget_year": int(year), "budget_amount": int(amount)}
    if to == S.RUNNING:
        progress = data.get("progress")
        if progress is None or not 0 <= int(progress) <= 100:
            raise DomainError("Realisasi pelaksanaan wajib diisi, 0 sampai 100 persen.")
        return {"progress": int(progress)}
    if to == S.DONE:
        return {"progress": 100}
    if to == S.NOT_FUNDED:
        category, text = data.get("reason_category") or "", (data.get("reason_text") or "").strip()
        if category not in NotFundedReason.values:
            raise DomainError("Pilih kategori alasan tidak didanai.")
        if not text:
            raise DomainError("Tuliskan alasan tidak didanai.")
        return {"reason_category": category, "reason_text": text}
    return {}


def _transfer_target(follow_up: FollowUp, agency: Agency | None) -> Agency:
    if agency is None:
        raise DomainError("Pilih OPD yang mengambil alih usulan ini.")
    if agency.regency_id != follow_up.subdistrict.regency_id or not agency.is_active:
        raise DomainError("OPD tujuan harus OPD aktif kabupaten/kota yang sama.")
    if agency.pk == follow_up.agency_id:
        raise DomainError("OPD tujuan sama dengan OPD sekarang.")
    return agency


def followup_move(
    *,
    actor: User,
    follow_up: FollowUp,
    to: str,
    date: dt.date | None = None,
    agency: Agency | None = None,
    note: str = "",
    **data,
) -> FollowUp:
    """Move a follow-up to stage ``to``: the single place that enforces ``TRANSITIONS``.

    ``data`` carries what the target needs: ``budget_year`` and ``budget_amount`` (DPA),
    ``progress`` (pelaksanaan), ``reason_category`` and ``reason_text`` (tidak didanai);
    ``agency`` is the OPD that takes over (dialihkan).
    """
    with transaction.atomic():
        follow_up = (
            FollowUp.objects.select_for_update(of=("self",))
            .select_related("forum", "subdistrict", "proposal")
            .get(pk=follow_up.pk)
        )
        # The one permission check, on the stored (locked) stage rather than a stale copy.
        authorize(actor, "reports.update_followup", follow_up)
        frm = follow_up.stage
        if to not in TRANSITIONS.get(frm, ()):
            label = Stage(to).label if to in Stage.values else to
            raise DomainError(
                f"Usulan {follow_up.proposal.reference} pada tahap "
                f"{follow_up.get_stage_display()} tidak dapat dipindah ke {label}."
            )
        date = _check_date(date, follow_up)
        changes = _figures(follow_up, to, data)
        from_agency_id = follow_up.agency_id
        if to == S.TRANSFERRED:
            changes["agency"] = _transfer_target(follow_up, agency)
        if to == S.RUNNING and frm == S.RUNNING and changes["progress"] < follow_up.progress:
            raise DomainError("Realisasi tidak boleh turun; periksa angkanya.")
        changes.update(stage=to, updated_at=timezone.now())
        for name, value in changes.items():
            setattr(follow_up, name, value)
        follow_up.save(update_fields=[*changes])
        FollowUpMove.objects.create(
            follow_up=follow_up,
            from_stage=frm,
            to_stage=to,
            from_agency_id=from_agency_id,
            to_agency_id=follow_up.agency_id,
            date=date,
            budget_year=changes.get("budget_year"),
            budget_amount=changes.get("budget_amount"),
            progress=changes.get("progress"),
            reason_category=changes.get("reason_category", ""),
            note=(changes.get("reason_text") or note or "").strip(),
            actor=actor,
        )
    logger.info("tindak lanjut %s: %s -> %s oleh %s", follow_up.pk, frm, to, actor.pk)
    return follow_up


# --- milestones ---------------------------------------------------------------------------

PHOTO_TYPES = (uploads.JPEG, uploads.PNG)
DOCUMENT_TYPES = (uploads.PDF, uploads.OFFICE)


def _file(milestone: Milestone, upload, kind: str) -> MilestoneFile:
    allowed = PHOTO_TYPES if kind == MilestoneFile.Kind.PHOTO else DOCUMENT_TYPES
    file_type, name, digest = uploads.inspect(upload, allowed)
    place = read_place(upload) if kind == MilestoneFile.Kind.PHOTO else None
    row = MilestoneFile(
        milestone=milestone,
        kind=kind,
        original_name=name,
        content_type=file_type.content_type,
        size=upload.size,
        sha256=digest,
        taken_at=place.taken_at if place else None,
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
    )
    row.file.save(name, upload, save=False)
    row.save()
    return row


def milestone_add(
    *,
    actor: User,
    follow_up: FollowUp,
    date: dt.date,
    title: str,
    progress: int | None = None,
    public: bool = True,
    photos=(),
    documents=(),
) -> Milestone:
    """Record a milestone with its photos (EXIF place/time kept) and documents, all or nothing."""
    authorize(actor, "reports.record_milestone", follow_up)
    title = (title or "").strip()
    if not title:
        raise DomainError("Judul capaian wajib diisi.")
    if progress is not None and not 0 <= int(progress) <= 100:
        raise DomainError("Realisasi capaian 0 sampai 100 persen.")
    date = _check_date(date, follow_up)
    stored: list[MilestoneFile] = []
    try:
        with transaction.atomic():
            milestone = Milestone.objects.create(
                follow_up=follow_up,
                date=date,
                title=title[:200],
                progress=progress,
                public=public,
                created_by=actor,
            )
            for upload in photos:
                stored.append(_file(milestone, upload, MilestoneFile.Kind.PHOTO))
            for upload in documents:
                stored.append(_file(milestone, upload, MilestoneFile.Kind.DOCUMENT))
            FollowUp.objects.filter(pk=follow_up.pk).update(updated_at=timezone.now())
    except Exception:
        for row in stored:
            row.file.delete(save=False)
        raise
    return milestone


def stale_filter(days: int = 60, now: dt.datetime | None = None) -> Q:
    """Open follow-ups without an update for ``days`` days."""
    since = (now or timezone.now()) - dt.timedelta(days=days)
    return Q(updated_at__lt=since) & ~Q(stage__in=[S.DONE, S.NOT_FUNDED])

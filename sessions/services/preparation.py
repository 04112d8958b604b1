"""Preparation: the forum, its team, guideline, agenda and commissions."""

import datetime as dt
import uuid
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q

from musrenbang import uploads
from musrenbang.exceptions import DomainError
from musrenbang.models import PlanningYear, Sector, Subdistrict
from musrenbang.rulebook import authorize
from sessions.models import (
    AgendaItem,
    AgendaTemplate,
    Commission,
    Forum,
    ForumItem,
    TeamMember,
)
from sessions.services._base import Action, forum_action, record

EDITABLE_FIELDS = {
    "date",
    "venue",
    "address",
    "chair_name",
    "chair_position",
    "chair_nip",
    "team_decree_number",
    "house_rules",
    "priority_guideline",
}
GUIDELINE_TYPES = (uploads.PDF, uploads.OFFICE, uploads.LEGACY_DOC)


def forum_create(*, actor, subdistrict: Subdistrict, year: int) -> Forum:
    """Create the one forum of a kecamatan and planning year, with the default agenda and
    one commission per bidang (both can be changed during preparation)."""
    authorize(actor, "forum.create_forum", subdistrict)
    planning = PlanningYear.objects.filter(regency_id=subdistrict.regency_id, year=year).first()
    if planning is None:
        raise DomainError(f"Tahun perencanaan {year} belum ditetapkan oleh Bappeda.")
    with transaction.atomic():
        if Forum.objects.filter(subdistrict=subdistrict, year=year).exists():
            raise DomainError(f"Forum {subdistrict} tahun {year} sudah ada.")
        forum = Forum(
            subdistrict=subdistrict,
            year=year,
            address=subdistrict.address,
            venue=f"Aula Kantor {subdistrict}",
            chair_name=subdistrict.camat_name,
            chair_position=f"Camat {subdistrict.name}",
            chair_nip=subdistrict.camat_nip,
        )
        try:
            with transaction.atomic():
                forum.save()
        except IntegrityError:
            raise DomainError(f"Forum {subdistrict} tahun {year} sudah ada.")
        message = f"Forum {subdistrict} {year} dibuat."
        record(forum=forum, actor=actor, action=Action.CREATE, message=message)
        template = default_template(subdistrict.regency_id)
        if template is not None:
            _copy_template(forum, template)
        _commissions_by_sector(forum)
    return forum


def default_template(regency_id: int | None) -> AgendaTemplate | None:
    """Return the kabupaten's default agenda template, else the national default."""
    templates = AgendaTemplate.objects.filter(is_default=True)
    return (
        templates.filter(regency_id=regency_id).first()
        or templates.filter(regency__isnull=True).first()
    )


def forum_update(*, actor, forum: Forum, **fields) -> Forum:
    """Change the preparation data (date, venue, chair, SK Tim, house rules, guideline)."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    perm, action = "forum.prepare_forum", Action.UPDATE
    with forum_action(actor=actor, forum=forum, perm=perm, action=action) as step:
        forum = step.forum
        if fields.get("date"):
            _check_date(forum, fields["date"])
        for name, value in fields.items():
            setattr(forum, name, value)
        forum.full_clean(exclude=["guideline_file"])
        forum.save(update_fields=sorted(fields))
        step.say("Data persiapan forum diubah.")
    return forum


def _check_date(forum: Forum, date: dt.date) -> None:
    planning = PlanningYear.objects.filter(
        regency_id=forum.subdistrict.regency_id, year=forum.year
    ).first()
    if planning and not planning.forum_start <= date <= planning.forum_end:
        raise DomainError(
            "Tanggal pelaksanaan harus dalam periode musrenbang kecamatan "
            f"({planning.forum_start:%d-%m-%Y} s.d. {planning.forum_end:%d-%m-%Y})."
        )


def forum_attach_guideline(*, actor, forum: Forum, upload) -> Forum:
    """Store the house rules / priority guideline attachment (PDF or Word, size-checked).

    The actor is refused before the file is read; ``forum_action`` checks again under the lock.
    """
    perm, action = "forum.prepare_forum", Action.GUIDELINE
    authorize(actor, perm, forum)
    file_type, original_name, _sha256 = uploads.inspect(upload, GUIDELINE_TYPES)
    extension = PurePosixPath(original_name).suffix.lower()
    with forum_action(actor=actor, forum=forum, perm=perm, action=action) as step:
        forum = step.forum
        old = forum.guideline_file.name if forum.guideline_file else None
        forum.guideline_file.save(
            f"{uuid.uuid4().hex}{extension}", ContentFile(upload.read()), save=False
        )
        forum.guideline_file_name = original_name
        forum.save(update_fields=["guideline_file", "guideline_file_name"])
        step.say(f"Lampiran pedoman diunggah: {forum.guideline_file_name}")
        if old:
            transaction.on_commit(lambda: forum.guideline_file.storage.delete(old))
    return forum


def team_member_add(
    *, actor, forum: Forum, name: str, role: str, position: str = "", nip: str = ""
) -> TeamMember:
    """Add a member of the SK Tim."""
    perm, action = "forum.prepare_forum", Action.TEAM
    with forum_action(actor=actor, forum=forum, perm=perm, action=action) as step:
        forum = step.forum
        order = (forum.team.aggregate(m=Max("order"))["m"] or 0) + 1
        member = TeamMember(
            forum=forum, name=name, role=role, position=position, nip=nip, order=order
        )
        member.full_clean()
        member.save()
        step.say(f"Anggota tim ditambahkan: {name} ({role}).")
    return member


def team_member_remove(*, actor, member: TeamMember) -> None:
    """Remove a member of the SK Tim."""
    perm, action = "forum.prepare_forum", Action.TEAM
    with forum_action(actor=actor, forum=member.forum, perm=perm, action=action) as step:
        member.delete()
        step.say(f"Anggota tim dihapus: {member.name}.")


# --- Agenda ---


def agenda_apply_template(*, actor, forum: Forum, template: AgendaTemplate) -> int:
    """Replace the agenda with the items of a template (only before the forum starts)."""
    perm, action = "forum.edit_agenda", Action.AGENDA
    with forum_action(actor=actor, forum=forum, perm=perm, action=action) as step:
        forum = step.forum
        if template.regency_id not in (None, forum.subdistrict.regency_id):
            raise DomainError("Templat agenda ini milik kabupaten/kota lain.")
        forum.agenda.all().delete()
        count = _copy_template(forum, template)
        step.say(f"Agenda diisi dari templat {template.name}.")
    return count


def _copy_template(forum: Forum, template: AgendaTemplate) -> int:
    items = AgendaItem.objects.bulk_create(
        AgendaItem(
            forum=forum,
            order=item.order,
            title=item.title,
            planned_minutes=item.planned_minutes,
            responsible=item.responsible,
        )
        for item in template.items.all()
    )
    return len(items)


def agenda_item_save(
    *,
    actor,
    forum: Forum,
    title: str,
    planned_minutes: int,
    responsible: str = "",
    order: int | None = None,
    item: AgendaItem | None = None,
) -> AgendaItem:
    """Add an agenda item or change one (only before the forum starts)."""
    perm, action = "forum.edit_agenda", Action.AGENDA
    with forum_action(actor=actor, forum=forum, perm=perm, action=action) as step:
        forum = step.forum
        if item is None:
            item = AgendaItem(forum=forum)
            if order is None:
                order = (forum.agenda.aggregate(m=Max("order"))["m"] or 0) + 1
        elif item.forum_id != forum.pk:
            raise DomainError("Butir agenda bukan milik forum ini.")
        item.title, item.planned_minutes, item.responsible = title, planned_minutes, responsible
        if order is not None:
            item.order = order
        if planned_minutes < 1:
            raise DomainError("Durasi agenda minimal 1 menit.")
        item.full_clean()
        item.save()
        step.say(f"Agenda disimpan: {title}.")
    return item


def agenda_item_delete(*, actor, item: AgendaItem) -> None:
    """Remove an agenda item (only before the forum starts)."""
    perm, action = "forum.edit_agenda", Action.AGENDA
    with forum_action(actor=actor, forum=item.forum, perm=perm, action=action) as step:
        item.delete()
        step.say(f"Agenda dihapus: {item.title}.")


# --- Commissions ---


def commissions_create_by_sector(*, actor, forum: Forum) -> int:
    """Create one commission per bidang of the kabupaten/kota (skips those that exist)."""
    perm, action = "forum.prepare_forum", Action.COMMISSION
    with forum_action(actor=actor, forum=forum, perm=perm, action=action) as step:
        forum = step.forum
        created = _commissions_by_sector(forum)
        step.say(f"{created} komisi dibuat per bidang.")
    return created


def _commissions_by_sector(forum: Forum) -> int:
    existing = set(forum.commissions.values_list("sector_id", flat=True))
    names = set(forum.commissions.values_list("name", flat=True))
    start = forum.commissions.aggregate(m=Max("order"))["m"] or 0
    new = []
    for sector in Sector.objects.filter(regency_id=forum.subdistrict.regency_id):
        name = f"Komisi {sector.name}"
        if sector.pk in existing or name in names:
            continue
        new.append(Commission(forum=forum, name=name, sector=sector, order=start + len(new) + 1))
    Commission.objects.bulk_create(new)
    return len(new)


def commission_add(*, actor, forum: Forum, name: str, sector: Sector | None = None) -> Commission:
    """Add a freely defined commission (e.g. per OPD group)."""
    perm, action = "forum.prepare_forum", Action.COMMISSION
    with forum_action(actor=actor, forum=forum, perm=perm, action=action) as step:
        forum = step.forum
        name = name.strip()
        if not name:
            raise DomainError("Nama komisi wajib diisi.")
        if forum.commissions.filter(name__iexact=name).exists():
            raise DomainError(f"Komisi {name} sudah ada.")
        if sector is not None and sector.regency_id != forum.subdistrict.regency_id:
            raise DomainError("Bidang bukan milik kabupaten/kota forum ini.")
        order = (forum.commissions.aggregate(m=Max("order"))["m"] or 0) + 1
        commission = Commission.objects.create(forum=forum, name=name, sector=sector, order=order)
        step.say(f"Komisi ditambahkan: {name}.")
    return commission


def commission_delete(*, actor, commission: Commission) -> None:
    """Remove an empty commission."""
    perm, action = "forum.prepare_forum", Action.COMMISSION
    with forum_action(actor=actor, forum=commission.forum, perm=perm, action=action) as step:
        if commission.items.exists():
            raise DomainError("Komisi masih berisi usulan; pindahkan usulannya dahulu.")
        commission.delete()
        step.say(f"Komisi dihapus: {commission.name}.")


def commission_notes_save(*, actor, commission: Commission, notes: str) -> Commission:
    """Record the commission's notes."""
    perm, action = "forum.prepare_forum", Action.COMMISSION
    with forum_action(actor=actor, forum=commission.forum, perm=perm, action=action) as step:
        commission.notes = notes
        commission.save(update_fields=["notes"])
        step.say(f"Catatan {commission.name} disimpan.")
    return commission


def _items_in_order(commission_id: int | None, forum: Forum) -> list[ForumItem]:
    return list(
        ForumItem.objects.select_for_update()
        .filter(forum=forum, commission_id=commission_id)
        .order_by("commission_rank", "id")
    )


def _renumber(items: list[ForumItem]) -> None:
    for rank, item in enumerate(items, 1):
        item.commission_rank = rank
    ForumItem.objects.bulk_update(items, ["commission_rank"])


def item_move(*, actor, item: ForumItem, commission: Commission | None) -> ForumItem:
    """Move a forum proposal to another commission (to the end of its list)."""
    perm, action = "forum.prepare_forum", Action.ITEM_MOVE
    with forum_action(actor=actor, forum=item.forum, perm=perm, action=action) as step:
        forum = step.forum
        if commission is not None and commission.forum_id != forum.pk:
            raise DomainError("Komisi bukan milik forum ini.")
        old_id = item.commission_id
        target_id = commission.pk if commission else None
        if old_id == target_id:
            return item
        remaining = [i for i in _items_in_order(old_id, forum) if i.pk != item.pk]
        _renumber(remaining)
        item.commission_id = target_id
        item.commission_rank = len(_items_in_order(target_id, forum)) + 1
        item.save(update_fields=["commission", "commission_rank"])
        name = commission.name if commission else "tanpa komisi"
        step.say(f"{item.proposal.reference} dipindah ke {name}.")
    return item


def item_shift(*, actor, item: ForumItem, direction: str) -> ForumItem:
    """Move a proposal one place up or down in its commission's draft priority list."""
    if direction not in ("up", "down"):
        raise ValueError(direction)
    perm, action = "forum.prepare_forum", Action.RANK
    with forum_action(actor=actor, forum=item.forum, perm=perm, action=action) as step:
        forum = step.forum
        items = _items_in_order(item.commission_id, forum)
        index = next(i for i, other in enumerate(items) if other.pk == item.pk)
        target = index - 1 if direction == "up" else index + 1
        if 0 <= target < len(items):
            items[index], items[target] = items[target], items[index]
        _renumber(items)
        step.say(f"Urutan {item.proposal.reference} diubah.")
    return item


def commission_rank_set(*, actor, commission: Commission, ranks: dict[int, int]) -> None:
    """Order a commission's list by the ranks typed in (ties keep the previous order)."""
    perm, action = "forum.prepare_forum", Action.RANK
    with forum_action(actor=actor, forum=commission.forum, perm=perm, action=action) as step:
        forum = step.forum
        items = _items_in_order(commission.pk, forum)
        unknown = set(ranks) - {i.pk for i in items}
        if unknown:
            raise DomainError("Ada usulan yang bukan milik komisi ini.")
        if any(rank < 1 for rank in ranks.values()):
            raise DomainError("Urutan harus bilangan bulat mulai dari 1.")
        position = {item.pk: n for n, item in enumerate(items)}
        items.sort(key=lambda i: (ranks.get(i.pk, 10_000), position[i.pk]))
        _renumber(items)
        step.say(f"Urutan prioritas {commission.name} disimpan.")


def forum_load_data(*, actor, forum: Forum) -> int:
    """Take the kecamatan's verified proposals of the year into the forum (Langkat step 7).

    Each one becomes a ``ForumItem`` in the commission of its bidang. Runs once: afterwards the
    forum's list is fixed, only kecamatan additions join it.
    """
    from proposals.models import Origin, Proposal, Status

    perm, action = "forum.load_data", Action.LOAD_DATA
    with forum_action(actor=actor, forum=forum, perm=perm, action=action) as step:
        forum = step.forum
        if forum.data_loaded_at:
            raise DomainError(
                "Data usulan sudah dimuat; daftar usulan forum sudah tetap "
                "(hanya tambahan kecamatan yang dapat masuk)."
            )
        proposals = (
            Proposal.objects.filter(
                subdistrict_id=forum.subdistrict_id,
                year=forum.year,
                status=Status.VERIFIED,
                origin=Origin.VILLAGE,
            )
            .filter(Q(forum_item__isnull=True))
            .select_related("village")
            .order_by("sector_id", "village__code", "village_rank", "id")
        )
        by_sector = _commission_by_sector(forum)
        counters: dict[int | None, int] = {}
        items = []
        for proposal in proposals:
            commission_id = by_sector.get(proposal.sector_id)
            counters[commission_id] = counters.get(commission_id, 0) + 1
            items.append(
                ForumItem(
                    forum=forum,
                    proposal=proposal,
                    commission_id=commission_id,
                    commission_rank=counters[commission_id],
                )
            )
        ForumItem.objects.bulk_create(items)
        forum.data_loaded_at = _now()
        forum.save(update_fields=["data_loaded_at"])
        step.say(f"{len(items)} usulan terverifikasi dimuat ke forum.")
    return len(items)


def _commission_by_sector(forum: Forum) -> dict[int, int]:
    mapping: dict[int, int] = {}
    for commission_id, sector_id in forum.commissions.order_by("order", "id").values_list(
        "id", "sector_id"
    ):
        if sector_id is not None:
            mapping.setdefault(sector_id, commission_id)
    return mapping


def _now():
    from django.utils import timezone

    return timezone.now()

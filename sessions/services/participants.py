"""Participants: the pre-registered list, its Excel import, attendance and walk-ins."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from musrenbang.exceptions import DomainError
from musrenbang.models import Village
from musrenbang.rulebook import authorize
from sessions.models import Forum, Participant
from sessions.services._base import Action, forum_action, record
from sessions.workflow import refuse_unless_phase

PREP = Forum.State.PREPARATION
RUNNING = Forum.State.RUNNING
Category = Participant.Category
FIELDS = ("name", "gender", "category", "village", "institution", "position", "phone")
IMPORT_COLUMNS = [
    "Nama",
    "Jenis kelamin (L/P)",
    "Unsur",
    "Desa/Kelurahan",
    "Lembaga/Instansi",
    "Jabatan",
    "Telepon",
]


class ImportRejected(DomainError):
    """The workbook had errors; nothing was imported. ``errors`` lists them per row."""

    def __init__(self, errors: list[str]):
        super().__init__(
            f"Impor dibatalkan: {len(errors)} kesalahan. Tidak ada data yang disimpan."
        )
        self.errors = errors


def _validate(forum: Forum, data: dict) -> None:
    if not (data.get("name") or "").strip():
        raise DomainError("Nama peserta wajib diisi.")
    if data.get("gender") not in Participant.Gender.values:
        raise DomainError("Jenis kelamin harus Laki-laki (L) atau Perempuan (P).")
    if data.get("category") not in Category.values:
        raise DomainError("Unsur peserta tidak dikenal.")
    village = data.get("village")
    if data["category"] == Category.VILLAGE_DELEGATE and village is None:
        raise DomainError("Delegasi desa/kelurahan wajib memilih desa/kelurahan asalnya.")
    if village is not None and village.subdistrict_id != forum.subdistrict_id:
        raise DomainError("Desa/kelurahan bukan bagian dari kecamatan ini.")


def participant_save(
    *, actor, forum: Forum, participant: Participant | None = None, **data
) -> Participant:
    """Register a participant before or during the forum, or correct one."""
    data = {key: data.get(key) for key in FIELDS} | {
        key: (data.get(key) or "").strip() for key in FIELDS if key != "village"
    }
    perm, action = "forum.edit_participants", Action.PARTICIPANT
    with forum_action(actor=actor, forum=forum, perm=perm, action=action) as step:
        forum = step.forum
        _validate(forum, data)
        if participant is None:
            participant = Participant(forum=forum)
        elif participant.forum_id != forum.pk:
            raise DomainError("Peserta bukan milik forum ini.")
        for key, value in data.items():
            setattr(participant, key, value)
        participant.full_clean()
        participant.save()
        step.say(f"Peserta disimpan: {participant.name}.")
    return participant


def participant_delete(*, actor, participant: Participant) -> None:
    """Remove a participant who is not yet present and not a delegate candidate."""
    perm, action = "forum.edit_participants", Action.PARTICIPANT
    with forum_action(actor=actor, forum=participant.forum, perm=perm, action=action) as step:
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if participant.present_at or participant.delegations.exists():
            raise DomainError(
                "Peserta yang sudah hadir atau tercatat sebagai calon delegasi tidak dapat dihapus."
            )
        participant.delete()
        step.say(f"Peserta dihapus: {participant.name}.")


def participants_import(*, actor, forum: Forum, upload) -> int:
    """Import the pre-registered list from an Excel workbook (all rows or none).

    Columns (first sheet, header in row 1): Nama, Jenis kelamin (L/P), Unsur, Desa/Kelurahan,
    Lembaga/Instansi, Jabatan, Telepon. Unsur may be the label or its code.
    """
    import zipfile

    from openpyxl import load_workbook

    perm, action = "forum.edit_participants", Action.IMPORT
    authorize(actor, perm, forum)  # before the workbook is read; again under the lock below
    limit = settings.UPLOAD_MAX_DOCUMENT_BYTES
    if upload.size > limit:
        raise DomainError(f"Berkas terlalu besar (maksimal {limit // (1024 * 1024)} MB).")
    if not upload.read(4).startswith(b"PK\x03\x04"):
        raise DomainError("Berkas harus berupa buku kerja Excel (.xlsx).")
    upload.seek(0)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise DomainError("Berkas Excel tidak dapat dibaca.")
    rows = list(workbook.worksheets[0].iter_rows(min_row=2, values_only=True))
    workbook.close()
    with forum_action(actor=actor, forum=forum, perm=perm, action=action) as step:
        forum = step.forum
        villages = _village_lookup(forum)
        participants, errors = [], []
        for number, row in enumerate(rows, 2):
            cells = [("" if c is None else str(c).strip()) for c in (list(row) + [None] * 7)[:7]]
            if not any(cells):
                continue
            try:
                participants.append(_row_to_participant(forum, cells, villages))
            except DomainError as error:
                errors.append(f"Baris {number}: {error}")
        if errors:
            raise ImportRejected(errors)
        if not participants:
            raise DomainError("Tidak ada baris peserta di berkas ini.")
        Participant.objects.bulk_create(participants)
        step.say(f"{len(participants)} peserta diimpor dari Excel.")
    return len(participants)


GENDER_WORDS = {"l": "L", "laki-laki": "L", "laki laki": "L", "p": "P", "perempuan": "P"}


def _village_lookup(forum: Forum) -> dict[str, Village]:
    lookup = {}
    for village in Village.objects.filter(subdistrict_id=forum.subdistrict_id):
        lookup[village.name.lower()] = village
        lookup[str(village).lower()] = village
        lookup[village.code] = village
    return lookup


def _row_to_participant(forum: Forum, cells: list[str], villages: dict) -> Participant:
    name, gender, category, village_name, institution, position, phone = cells
    categories = {c.value: c.value for c in Category} | {c.label.lower(): c.value for c in Category}
    data = {
        "name": name,
        "gender": GENDER_WORDS.get(gender.lower(), "?"),
        "category": categories.get(category.lower(), "?"),
        "village": None,
    }
    if village_name:
        data["village"] = villages.get(village_name.lower())
        if data["village"] is None:
            raise DomainError(f"desa/kelurahan '{village_name}' tidak ada di kecamatan ini.")
    try:
        _validate(forum, data)
    except DomainError as error:
        raise DomainError(str(error)[0].lower() + str(error)[1:])
    return Participant(
        forum=forum,
        institution=institution[:200],
        position=position[:120],
        phone=phone[:30],
        **{key: (value[:120] if key == "name" else value) for key, value in data.items()},
    )


# --- Attendance (the door) ---


@dataclass
class Marked:
    participant: Participant
    newly_marked: bool


def attendance_mark(*, actor, forum: Forum, participant_id: int) -> Marked:
    """Mark a participant present now; marking again changes nothing (never counted twice).

    Fast path for the door: one conditional UPDATE (which also checks the forum is running),
    one read and the audit row.
    """
    authorize(actor, "forum.mark_attendance", forum)
    now = timezone.now()
    with transaction.atomic():
        updated = Participant.objects.filter(
            pk=participant_id,
            forum_id=forum.pk,
            forum__state=RUNNING,
            present_at__isnull=True,
        ).update(present_at=now)
        participant = (
            Participant.objects.select_related("forum")
            .filter(pk=participant_id, forum=forum)
            .first()
        )
        if participant is None:
            raise DomainError("Peserta tidak ditemukan di forum ini.")
        refuse_unless_phase("forum.mark_attendance", participant.forum)  # the stored phase
        if updated:
            message = f"Hadir: {participant.name} ({now:%H:%M})."
            record(forum=forum, actor=actor, action=Action.ATTENDANCE, message=message)
    return Marked(participant, bool(updated))


def attendance_walk_in(*, actor, forum: Forum, **data) -> Participant:
    """Register a walk-in at the door and mark them present at once."""
    data = {key: data.get(key) for key in FIELDS} | {
        key: (data.get(key) or "").strip() for key in FIELDS if key != "village"
    }
    perm, action = "forum.mark_attendance", Action.ATTENDANCE
    with forum_action(actor=actor, forum=forum, perm=perm, action=action) as step:
        forum = step.forum
        _validate(forum, data)
        participant = Participant(forum=forum, walk_in=True, present_at=timezone.now(), **data)
        participant.full_clean()
        participant.save()
        step.say(f"Hadir (daftar di tempat): {participant.name}.")
    return participant

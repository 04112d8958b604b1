"""Role x phase grid of the forum's actions: the permission and its service agree."""

import pytest

from musrenbang.exceptions import DomainError
from sessions import services
from sessions.models import Delegate, Forum, Participant
from tests.rulebook_grid import CAMAT, KECAMATAN, OPEN, Case, build_world, cells, check_cell
from tests.rulebook_grid import persona as get_persona

pytestmark = pytest.mark.django_db

PREP, RUNNING = Forum.State.PREPARATION, Forum.State.RUNNING
RECORDERS = "Hanya camat dan staf kecamatan ini yang dapat mengubah data forum."
LEADER = "Hanya camat kecamatan ini yang dapat melakukan tindakan ini."


def _phase(action: str, needed: str, now: str) -> str:
    return f"{action} hanya dapat dilakukan saat forum {needed}; forum sekarang {now}."


def _only_running(action: str) -> dict:
    return {PREP: _phase(action, "berlangsung", "persiapan")}


CASES = [
    Case(
        "forum.prepare_forum", KECAMATAN, OPEN, RECORDERS, {},
        lambda actor, w: services.commission_notes_save(
            actor=actor, commission=w.commission, notes="Catatan"
        ),
    ),
    Case(
        "forum.edit_agenda", KECAMATAN, {PREP}, RECORDERS,
        {RUNNING: _phase("Mengubah agenda", "persiapan", "berlangsung")},
        lambda actor, w: services.agenda_item_save(
            actor=actor, forum=w.forum, title="Doa", planned_minutes=5
        ),
    ),
    Case(
        "forum.load_data", KECAMATAN, OPEN, RECORDERS, {},
        lambda actor, w: services.forum_load_data(actor=actor, forum=w.forum),
    ),
    Case(
        "forum.edit_participants", KECAMATAN, OPEN, RECORDERS, {},
        lambda actor, w: services.participant_save(
            actor=actor, forum=w.forum, name="Budi", gender="L",
            category=Participant.Category.VILLAGE_DELEGATE, village=w.village,
        ),
    ),
    Case(
        "forum.start_forum", CAMAT, {PREP}, LEADER,
        {RUNNING: _phase("Memulai forum", "persiapan", "berlangsung")},
        lambda actor, w: services.forum_start(actor=actor, forum=w.forum),
    ),
    Case(
        "forum.run_agenda", KECAMATAN, {RUNNING}, RECORDERS, _only_running("Menjalankan agenda"),
        lambda actor, w: services.agenda_item_start(actor=actor, item=w.agenda_item),
    ),
    Case(
        "forum.mark_attendance", KECAMATAN, {RUNNING}, RECORDERS,
        _only_running("Mencatat kehadiran"),
        lambda actor, w: services.attendance_mark(
            actor=actor, forum=Forum.objects.get(pk=w.forum.pk), participant_id=w.absent.pk
        ),
    ),
    Case(
        "forum.verify_item", KECAMATAN, {RUNNING}, RECORDERS,
        _only_running("Verifikasi usulan oleh delegasi"),
        lambda actor, w: services.item_verify(actor=actor, item=w.item, confirmed=True),
    ),
    Case(
        "forum.add_kecamatan_proposal", KECAMATAN, {RUNNING}, RECORDERS,
        _only_running("Menambah usulan kecamatan"),
        lambda actor, w: services.kecamatan_addition_create(
            actor=actor, forum=w.forum, title="Drainase pasar", location="Pasar", volume=50,
            unit="meter", cost=150_000_000, sector=w.sector,
        ),
    ),
    Case(
        "forum.elect_delegates", CAMAT, {RUNNING}, LEADER, _only_running("Pemilihan delegasi"),
        lambda actor, w: services.delegates_elect(
            actor=actor, forum=w.forum, body=Delegate.Body.FORUM_OPD,
            method=Delegate.Method.AGREEMENT, candidates=[(w.present.pk, None)],
        ),
    ),
]  # fmt: skip


@pytest.mark.parametrize(("case", "name", "phase"), cells(CASES))
def test_forum_action_grid(
    request, case, name, phase, subdistrict, village, sector, agency, camat, clerk
):
    world = build_world(
        subdistrict=subdistrict, village=village, sector=sector, agency=agency,
        camat=camat, clerk=clerk, phase=phase, scored=case.scored,
    )  # fmt: skip
    check_cell(case, get_persona(request, name), name, phase, world)


@pytest.mark.parametrize(
    "name", ["camat", "clerk", "other_clerk", "operator", "opd_reader", "bappeda", "superuser"]
)
def test_creating_a_forum_is_the_kecamatans(request, name, subdistrict, year):
    user = get_persona(request, name)
    allowed = name in KECAMATAN
    assert user.has_perm("forum.create_forum", subdistrict) is allowed
    if allowed:
        forum = services.forum_create(actor=user, subdistrict=subdistrict, year=2027)
        assert forum.events.filter(action="create").exists()
        return
    with pytest.raises(DomainError, match="Hanya camat dan staf kecamatan ini"):
        services.forum_create(actor=user, subdistrict=subdistrict, year=2027)
    assert not Forum.objects.exists()

"""Role x phase grid of the scoring actions: the permission and its service agree.

Hitung, decisions and "Kirim ke OPD" now check their actor themselves (they trusted the view
before): a wrong actor is refused by the service with the rule's message.
"""

import pytest

from musrenbang.exceptions import DomainError
from scoring import services
from scoring.models import Result, Score
from sessions.models import Forum
from tests.rulebook_grid import CAMAT, OPEN, Case, build_world, cells, check_cell
from tests.rulebook_grid import persona as get_persona

pytestmark = pytest.mark.django_db

PREP, RUNNING, SENT = Forum.State.PREPARATION, Forum.State.RUNNING, Forum.State.SENT
CAMAT_ONLY = "Hanya camat kecamatan ini yang dapat mengatur skoring forum ini."


def _score(actor, w) -> None:
    services.score_save(item=w.item, criterion=w.criterion, scorer=actor, value=5)
    assert Score.objects.get(item=w.item, scorer=actor).value == 5


def _send(actor, w) -> None:
    sent = services.forum_send(forum=w.forum, actor=actor)
    assert sent is (w.forum.state == RUNNING)
    assert Forum.objects.get(pk=w.forum.pk).state == SENT


CASES = [
    Case(
        "scoring.edit_criteria", CAMAT, OPEN, CAMAT_ONLY, {},
        lambda actor, w: services.criterion_add(forum=w.forum, actor=actor, name="Dampak"),
        scored=False,  # criteria freeze at the first score
    ),
    Case(
        "scoring.manage_scorers", CAMAT, OPEN, CAMAT_ONLY, {},
        lambda actor, w: services.scorer_add(forum=w.forum, user=w.clerk, actor=actor),
    ),
    Case(
        "scoring.set_development_priority", CAMAT, OPEN, CAMAT_ONLY, {},
        lambda actor, w: services.proposal_set_development_priority(
            proposal=w.item.proposal, priority=None, actor=actor
        ),
    ),
    Case(
        "scoring.score", CAMAT, {RUNNING}, "Anda tidak terdaftar sebagai penilai forum ini.",
        {PREP: "Penilaian hanya dapat dilakukan saat forum berlangsung."},
        _score,
        audited=False,
    ),
    Case(
        "scoring.compute", CAMAT, {RUNNING},
        "Hanya camat kecamatan ini yang dapat menjalankan Hitung.",
        {PREP: "Hitung hanya saat forum berlangsung."},
        lambda actor, w: services.forum_compute(forum=w.forum, actor=actor),
    ),
    Case(
        "scoring.decide", CAMAT, {RUNNING},
        "Hanya camat kecamatan ini yang dapat memutuskan prioritas.",
        {PREP: "Keputusan hanya saat forum berlangsung."},
        lambda actor, w: services.result_decide(
            result=w.result, decision=Result.Decision.RESERVE, reason="Melebihi pagu",
            actor=actor,
        ),
    ),
    Case(
        "scoring.send_forum", CAMAT, {RUNNING},
        "Hanya camat kecamatan ini yang dapat mengirim hasil forum ke OPD.",
        # Sending a sent forum again is the camat's double click: nothing happens (False).
        {PREP: "Forum belum berlangsung.", SENT: None},
        _send,
    ),
]  # fmt: skip


@pytest.mark.parametrize(("case", "name", "phase"), cells(CASES))
def test_scoring_action_grid(
    request, case, name, phase, subdistrict, village, sector, agency, camat, clerk
):
    world = build_world(
        subdistrict=subdistrict, village=village, sector=sector, agency=agency,
        camat=camat, clerk=clerk, phase=phase, scored=case.scored,
    )  # fmt: skip
    check_cell(case, get_persona(request, name), name, phase, world)


# --- wrong actors of the services that trusted their view --------------------------------


@pytest.mark.parametrize("name", ["clerk", "other_clerk", "operator", "bappeda", "superuser"])
def test_a_wrong_actor_cannot_send_the_forum(request, name, subdistrict, village, sector,
                                              agency, camat, clerk):  # fmt: skip
    world = build_world(
        subdistrict=subdistrict, village=village, sector=sector, agency=agency,
        camat=camat, clerk=clerk, phase=RUNNING,
    )  # fmt: skip
    with pytest.raises(DomainError, match="Hanya camat kecamatan ini"):
        services.forum_send(forum=world.forum, actor=get_persona(request, name))
    assert Forum.objects.get(pk=world.forum.pk).state == RUNNING
    assert services.forum_send(forum=world.forum, actor=camat) is True
    # The state changed through the forum's one transition: its row and the sending's row.
    events = world.forum.events.order_by("id")
    assert [(e.action, e.actor) for e in events] == [("state", camat), ("kirim", camat)]
    assert "Berlangsung -> Terkirim ke OPD" in events[0].message
    # Sending again is one click for the camat, a refusal for anyone else.
    assert services.forum_send(forum=world.forum, actor=camat) is False
    with pytest.raises(DomainError, match="Hanya camat kecamatan ini"):
        services.forum_send(forum=world.forum, actor=get_persona(request, name))


@pytest.mark.parametrize("name", ["clerk", "other_clerk", "operator", "opd_reader", "superuser"])
def test_a_wrong_actor_cannot_decide(request, name, subdistrict, village, sector, agency,
                                     camat, clerk):  # fmt: skip
    world = build_world(
        subdistrict=subdistrict, village=village, sector=sector, agency=agency,
        camat=camat, clerk=clerk, phase=RUNNING,
    )  # fmt: skip
    actor = get_persona(request, name)
    calls = [
        lambda: services.result_decide(
            result=world.result, decision="cadangan", reason="x", actor=actor
        ),  # fmt: skip
        lambda: services.result_undo(result=world.result, actor=actor),
        lambda: services.result_set_agency(result=world.result, agency=None, actor=actor),
        lambda: services.result_move(result=world.result, new_rank=1, reason="x", actor=actor),
        lambda: services.results_apply_ceiling(forum=world.forum, actor=actor),
        lambda: services.forum_compute(forum=world.forum, actor=actor),
    ]
    for call in calls:
        with pytest.raises(DomainError, match="Hanya camat kecamatan ini"):
            call()
    result = Result.objects.get(pk=world.result.pk)
    assert (result.decision, result.responsible_agency) == (Result.Decision.PRIORITY, agency)
    assert not world.forum.events.exists()

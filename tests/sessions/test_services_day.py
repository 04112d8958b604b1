"""Services of the day: start, agenda clock, attendance, counts, verification, additions,
delegates; role and state rules and the lock of a sent forum."""

import pytest
from django.utils import timezone

from musrenbang.exceptions import DomainError, Locked
from proposals.models import Origin, Status, Transition
from sessions import selectors, services
from sessions.models import Delegate, Forum, ForumEvent, Participant
from tests import factories as f
from tests.sessions.factories import AgendaItemFactory, present, running, sent


@pytest.fixture
def forum(subdistrict, year, sector):
    return f.ForumFactory(subdistrict=subdistrict, year=2027)


# --- start ---


def test_camat_starts_the_forum_and_the_clock_runs(camat, forum):
    services.forum_start(actor=camat, forum=forum)
    forum.refresh_from_db()
    assert forum.state == Forum.State.RUNNING
    assert forum.started_at is not None
    assert ForumEvent.objects.filter(forum=forum, action="state").count() == 1


@pytest.mark.parametrize("persona", ["clerk", "operator", "opd_reader", "bappeda", "other_clerk"])
def test_only_the_camat_starts_the_forum(request, persona, forum):
    with pytest.raises(DomainError, match="camat"):
        services.forum_start(actor=request.getfixturevalue(persona), forum=forum)
    forum.refresh_from_db()
    assert forum.state == Forum.State.PREPARATION


def test_a_running_forum_cannot_start_again(camat, forum):
    running(forum)
    with pytest.raises(DomainError, match="persiapan"):
        services.forum_start(actor=camat, forum=forum)


def test_transitions_follow_the_table(camat, forum):
    with pytest.raises(DomainError):
        services.forum_transition(actor=camat, forum=forum, to=Forum.State.SENT)


# --- agenda clock ---


def test_agenda_items_record_actual_times_and_the_next_one_ends_the_previous(clerk, forum):
    first = AgendaItemFactory(forum=forum, order=1, planned_minutes=30)
    second = AgendaItemFactory(forum=forum, order=2)
    running(forum)
    services.agenda_item_start(actor=clerk, item=first)
    first.refresh_from_db()
    assert first.started_at and not first.ended_at
    assert 1790 <= selectors.remaining_seconds(first) <= 1800
    services.agenda_item_start(actor=clerk, item=second)
    first.refresh_from_db()
    assert first.ended_at is not None
    services.agenda_item_end(actor=clerk, item=second)
    second.refresh_from_db()
    assert second.ended_at >= second.started_at
    with pytest.raises(DomainError, match="sudah selesai"):
        services.agenda_item_end(actor=clerk, item=second)
    with pytest.raises(DomainError, match="sudah dimulai"):
        services.agenda_item_start(actor=clerk, item=second)


def test_agenda_clock_needs_a_running_forum(clerk, forum):
    item = AgendaItemFactory(forum=forum)
    with pytest.raises(DomainError, match="berlangsung"):
        services.agenda_item_start(actor=clerk, item=item)
    item.refresh_from_db()
    assert item.started_at is None


# --- attendance ---


def test_attendance_is_marked_once_with_the_time(clerk, forum):
    p = f.ParticipantFactory(forum=forum)
    running(forum)
    first = services.attendance_mark(actor=clerk, forum=forum, participant_id=p.pk)
    again = services.attendance_mark(actor=clerk, forum=forum, participant_id=p.pk)
    assert first.newly_marked and not again.newly_marked
    assert first.participant.present_at == again.participant.present_at
    assert selectors.attendance_counts(forum).present == 1
    assert ForumEvent.objects.filter(forum=forum, action="attendance").count() == 1


def test_no_attendance_before_the_start(clerk, forum):
    p = f.ParticipantFactory(forum=forum)
    with pytest.raises(DomainError, match="berlangsung"):
        services.attendance_mark(actor=clerk, forum=forum, participant_id=p.pk)
    p.refresh_from_db()
    assert p.present_at is None


def test_attendance_refuses_a_participant_of_another_forum(clerk, forum, other_subdistrict):
    stranger = f.ParticipantFactory(forum=f.ForumFactory(subdistrict=other_subdistrict))
    running(forum)
    with pytest.raises(DomainError, match="tidak ditemukan"):
        services.attendance_mark(actor=clerk, forum=forum, participant_id=stranger.pk)


@pytest.mark.parametrize("persona", ["operator", "opd_reader", "bappeda", "other_clerk"])
def test_only_kecamatan_users_mark_attendance(request, persona, forum):
    p = f.ParticipantFactory(forum=forum)
    running(forum)
    with pytest.raises(DomainError):
        services.attendance_mark(
            actor=request.getfixturevalue(persona), forum=forum, participant_id=p.pk
        )


def test_walk_in_is_registered_and_present(clerk, forum, village):
    running(forum)
    p = services.attendance_walk_in(
        actor=clerk, forum=forum, name="Tamu", gender="P", category="delegasi", village=village
    )
    assert p.walk_in and p.present_at
    counts = selectors.attendance_counts(forum)
    assert (counts.present, counts.walk_ins, counts.women) == (1, 1, 1)


def test_walk_in_needs_a_running_forum(clerk, forum):
    with pytest.raises(DomainError):
        services.attendance_walk_in(actor=clerk, forum=forum, name="A", gender="L", category="lain")
    assert forum.participants.count() == 0


def test_counts_by_category_and_gender_and_women_share_warning(forum):
    present(forum, 3, gender="L", category="tokoh")
    present(forum, 1, gender="P", category="delegasi")
    f.ParticipantFactory(forum=forum, gender="P", category="delegasi")  # not present
    counts = selectors.attendance_counts(forum)
    assert (counts.registered, counts.present, counts.men, counts.women) == (5, 4, 3, 1)
    assert counts.women_share == 25.0 and counts.women_warning
    assert ("Delegasi desa/kelurahan", 1, 2) in counts.by_category
    assert ("Tokoh masyarakat", 3, 3) in counts.by_category
    present(forum, 1, gender="P", category="perempuan")
    counts = selectors.attendance_counts(forum)
    assert counts.women_share == 40.0 and not counts.women_warning


def test_women_share_exactly_thirty_percent_is_not_warned(forum):
    present(forum, 7, gender="L", category="tokoh")
    present(forum, 3, gender="P", category="tokoh")
    assert not selectors.attendance_counts(forum).women_warning


def test_no_warning_when_nobody_is_present_yet(forum):
    assert not selectors.attendance_counts(forum).women_warning


# --- verification and kecamatan additions ---


def test_delegates_confirm_or_correct_proposals(clerk, forum):
    item = f.ForumItemFactory(forum=forum)
    running(forum)
    services.item_verify(actor=clerk, item=item, confirmed=True)
    item.refresh_from_db()
    assert item.confirmed
    with pytest.raises(DomainError, match="catatan koreksi"):
        services.item_verify(actor=clerk, item=item, confirmed=False)
    services.item_verify(actor=clerk, item=item, confirmed=False, note="Volume 80 meter")
    item.refresh_from_db()
    assert (item.confirmed, item.correction_note) == (False, "Volume 80 meter")


def test_verification_needs_a_running_forum(clerk, forum):
    item = f.ForumItemFactory(forum=forum)
    with pytest.raises(DomainError):
        services.item_verify(actor=clerk, item=item, confirmed=True)


def _addition(actor, forum, sector, **kwargs):
    data = dict(
        title="Drainase pasar kecamatan",
        location="Pasar",
        volume=50,
        unit="meter",
        cost=150_000_000,
        sector=sector,
    )
    return services.kecamatan_addition_create(actor=actor, forum=forum, **(data | kwargs))


def test_kecamatan_addition_is_a_verified_proposal_in_the_commission_of_its_bidang(
    clerk, forum, sector, subdistrict
):
    commission = services.commission_add(actor=clerk, forum=forum, name="Sarpras", sector=sector)
    running(forum)
    item = _addition(clerk, forum, sector)
    proposal = item.proposal
    assert proposal.origin == Origin.SUBDISTRICT and proposal.status == Status.VERIFIED
    assert proposal.village is None and proposal.subdistrict == subdistrict
    assert proposal.reference == f"2027/{subdistrict.code}/0001"
    assert len(proposal.tracking_code) == 8
    assert (item.commission, item.commission_rank) == (commission, 1)
    assert Transition.objects.get(proposal=proposal).to_status == Status.VERIFIED


def test_kecamatan_addition_only_while_running_and_with_own_places(
    clerk, forum, sector, far_village
):
    with pytest.raises(DomainError, match="berlangsung"):
        _addition(clerk, forum, sector)
    running(forum)
    with pytest.raises(DomainError, match="bukan bagian"):
        _addition(clerk, forum, sector, village=far_village)
    with pytest.raises(DomainError, match="tidak valid"):
        _addition(clerk, forum, sector, volume=0)
    assert forum.items.count() == 0


# --- delegates ---


def test_delegates_elected_by_agreement(camat, forum):
    people = present(forum, 3, gender="P")
    running(forum)
    result = services.delegates_elect(
        actor=camat,
        forum=forum,
        body=Delegate.Body.MUSRENBANG,
        method=Delegate.Method.AGREEMENT,
        candidates=[(p.pk, None) for p in people],
    )
    assert [d.participant for d in result.elected] == people
    assert result.warnings == [] and result.ties == []
    assert forum.delegates.filter(elected=True, method="musyawarah").count() == 3


def test_delegates_elected_by_vote_take_the_most_votes_and_report_ties(camat, forum):
    a, b, c, d, e = present(forum, 5, gender="L")
    running(forum)
    result = services.delegates_elect(
        actor=camat,
        forum=forum,
        body=Delegate.Body.FORUM_OPD,
        method=Delegate.Method.VOTE,
        candidates=[(a.pk, 5), (b.pk, 12), (c.pk, 12), (d.pk, 7), (e.pk, 1)],
    )
    assert [x.participant for x in result.elected] == [b, c, d]
    assert [x.votes for x in result.elected] == [12, 12, 7]
    assert [[x.participant for x in group] for group in result.ties] == [[b, c]]
    assert "Tidak ada perempuan di antara delegasi terpilih." in result.warnings
    assert forum.delegates.filter(body="forum_pd").count() == 5
    assert not forum.delegates.get(participant=a).elected


def test_a_tie_across_the_last_seat_is_refused_and_named(camat, forum):
    a, b, c, d = present(forum, 4)
    running(forum)
    with pytest.raises(DomainError, match="Suara sama") as error:
        services.delegates_elect(
            actor=camat,
            forum=forum,
            body=Delegate.Body.FORUM_OPD,
            method=Delegate.Method.VOTE,
            candidates=[(a.pk, 9), (b.pk, 8), (c.pk, 4), (d.pk, 4)],
        )
    assert c.name in str(error.value) and d.name in str(error.value)
    assert forum.delegates.count() == 0


def test_seats_come_from_the_kabupaten(camat, forum, regency):
    regency.delegates_musrenbang = 2
    regency.save()
    people = present(forum, 3)
    running(forum)
    with pytest.raises(DomainError, match="paling banyak 2"):
        services.delegates_elect(
            actor=camat,
            forum=forum,
            body=Delegate.Body.MUSRENBANG,
            method=Delegate.Method.AGREEMENT,
            candidates=[(p.pk, None) for p in people],
        )


def test_candidates_must_be_present_and_named_once(camat, forum):
    here = present(forum, 1)[0]
    absent = f.ParticipantFactory(forum=forum)
    running(forum)
    elect = dict(actor=camat, forum=forum, body="musrenbang", method="musyawarah")
    with pytest.raises(DomainError, match="hadir"):
        services.delegates_elect(**elect, candidates=[(here.pk, None), (absent.pk, None)])
    with pytest.raises(DomainError, match="dua kali"):
        services.delegates_elect(**elect, candidates=[(here.pk, None), (here.pk, None)])
    assert Delegate.objects.count() == 0


def test_a_new_election_replaces_the_earlier_result_of_that_body(camat, forum):
    a, b = present(forum, 2)
    running(forum)
    elect = dict(actor=camat, forum=forum, body="musrenbang", method="musyawarah")
    services.delegates_elect(**elect, candidates=[(a.pk, None)])
    services.delegates_elect(**elect, candidates=[(b.pk, None)])
    assert [d.participant for d in forum.delegates.all()] == [b]


@pytest.mark.parametrize("persona", ["clerk", "operator", "opd_reader", "bappeda"])
def test_only_the_camat_elects_delegates(request, persona, forum):
    a = present(forum, 1)[0]
    running(forum)
    with pytest.raises(DomainError, match="camat"):
        services.delegates_elect(
            actor=request.getfixturevalue(persona),
            forum=forum,
            body="musrenbang",
            method="musyawarah",
            candidates=[(a.pk, None)],
        )


def test_delegates_only_while_running(camat, forum):
    a = present(forum, 1)[0]
    with pytest.raises(DomainError, match="berlangsung"):
        services.delegates_elect(
            actor=camat, forum=forum, body="musrenbang", method="musyawarah",
            candidates=[(a.pk, None)],
        )  # fmt: skip


# --- the lock ---


def test_a_sent_forum_refuses_every_service_of_the_day(camat, clerk, forum, sector, village):
    item = AgendaItemFactory(forum=forum)
    forum_item = f.ForumItemFactory(forum=forum)
    participant = present(forum, 1)[0]
    waiting = f.ParticipantFactory(forum=forum)
    sent(forum)
    calls = [
        lambda: services.forum_start(actor=camat, forum=forum),
        lambda: services.agenda_item_start(actor=clerk, item=item),
        lambda: services.agenda_item_end(actor=clerk, item=item),
        lambda: services.attendance_mark(actor=clerk, forum=forum, participant_id=waiting.pk),
        lambda: services.attendance_walk_in(
            actor=clerk, forum=forum, name="A", gender="L", category="lain"
        ),
        lambda: services.item_verify(actor=clerk, item=forum_item, confirmed=True),
        lambda: _addition(clerk, forum, sector),
        lambda: services.delegates_elect(
            actor=camat,
            forum=forum,
            body="musrenbang",
            method="musyawarah",
            candidates=[(participant.pk, None)],
        ),  # fmt: skip
    ]
    for call in calls:
        with pytest.raises(Locked):
            call()
    waiting.refresh_from_db()
    assert waiting.present_at is None
    assert Participant.objects.filter(walk_in=True).count() == 0
    assert forum.delegates.count() == 0


def test_attendance_marking_costs_a_few_queries(clerk, forum, django_assert_max_num_queries):
    people = f.ParticipantFactory.create_batch(5, forum=forum)
    running(forum)
    forum = Forum.objects.select_related("subdistrict__regency").get(pk=forum.pk)
    # UPDATE, SELECT participant+forum, INSERT event, the forum's version, savepoint handling
    with django_assert_max_num_queries(6):
        services.attendance_mark(actor=clerk, forum=forum, participant_id=people[0].pk)
    assert timezone.now() >= Participant.objects.get(pk=people[0].pk).present_at


@pytest.mark.parametrize(
    ("seconds", "text"), [(1795, "29:55"), (5, "0:05"), (-65, "-1:05"), (3725, "1:02:05")]
)
def test_remaining_time_is_written_as_minutes_and_seconds(seconds, text):
    assert selectors.format_seconds(seconds) == text

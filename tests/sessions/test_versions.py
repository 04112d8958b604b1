"""The forum's version key, the polls that answer 304 while it holds, and the fragments cached
under it (``sessions.versions``, ``musrenbang.caching``)."""

import re

import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from proposals.models import Transition
from scoring.models import Result
from scoring.services import forum_compute, result_decide, score_save
from sessions import services
from sessions.models import Forum
from tests import factories as f
from tests.forums import send
from tests.scoring.factories import forum_with_items, score_all
from tests.sessions.factories import AgendaItemFactory, running


@pytest.fixture
def forum(subdistrict, year, sector, village):
    forum = f.ForumFactory(subdistrict=subdistrict, year=2027)
    running(forum)
    return forum


def _version(forum) -> int:
    """The three counters together: every page of the forum but /lacak/ is keyed on all."""
    return sum(Forum.objects.get(pk=forum.pk).versions)


def _counters(forum) -> dict:
    return Forum.objects.values("version", "attendance_version", "scores_version").get(pk=forum.pk)


def test_forum_save_bumps_version_and_a_stale_copy_never_moves_it_back(forum):
    stale = Forum.objects.get(pk=forum.pk)
    start = _version(forum)
    forum.venue = "Aula baru"
    forum.save()
    stale.save()  # an older copy in memory: still counts up, never writes its old number
    assert _version(forum) == start + 2


def test_forum_save_with_update_fields_bumps_version(forum):
    start = _version(forum)
    forum.venue = "Balai desa"
    forum.save(update_fields=["venue"])
    assert _version(forum) == start + 1
    assert Forum.objects.get(pk=forum.pk).venue == "Balai desa"


def _mark(forum, camat):
    person = f.ParticipantFactory(forum=forum)
    start = _version(forum)
    services.attendance_mark(actor=camat, forum=forum, participant_id=person.pk)
    return start


def _commission_notes(forum, camat):
    commission = f.CommissionFactory(forum=forum)
    start = _version(forum)
    services.commission_notes_save(actor=camat, commission=commission, notes="Catatan baru")
    return start


def _shift(forum, camat):
    commission = f.CommissionFactory(forum=forum)
    f.ForumItemFactory(forum=forum, commission=commission, commission_rank=1)
    second = f.ForumItemFactory(forum=forum, commission=commission, commission_rank=2)
    start = _version(forum)
    services.item_shift(actor=camat, item=second, direction="up")
    return start


def _agenda_start(forum, camat):
    item = AgendaItemFactory(forum=forum)
    start = _version(forum)
    services.agenda_item_start(actor=camat, item=item)
    return start


def _proposal_edit(forum, camat):
    item = f.ForumItemFactory(forum=forum)
    start = _version(forum)
    item.proposal.title = "Judul dikoreksi"
    item.proposal.save()
    return start


def _decide(forum, camat):
    item = f.ForumItemFactory(forum=forum)
    result = Result.objects.create(item=item, rank=1, computed_rank=1)
    start = _version(forum)
    result_decide(result=result, decision=Result.Decision.PRIORITY, actor=camat)
    return start


WRITES = {
    "attendance_mark": _mark,
    "commission_notes": _commission_notes,
    "item_shift": _shift,
    "agenda_start": _agenda_start,
    "proposal_edit": _proposal_edit,
    "result_decide": _decide,
}


@pytest.mark.parametrize("write", WRITES)
def test_each_write_of_the_forum_bumps_its_version(forum, camat, write):
    start = WRITES[write](forum, camat)
    assert _version(forum) > start


def test_score_save_bumps_version_after_commit(forum, camat, django_capture_on_commit_callbacks):
    item = f.ForumItemFactory(forum=forum)
    criterion = f.CriterionFactory(forum=forum)
    start = _version(forum)
    with django_capture_on_commit_callbacks(execute=True):
        score_save(item=item, criterion=criterion, scorer=camat, value=3)
    assert _version(forum) == start + 1


def test_the_door_and_the_scores_move_their_own_counters_only(
    forum, camat, django_capture_on_commit_callbacks
):
    start = _counters(forum)
    _mark(forum, camat)
    after_mark = _counters(forum)
    assert after_mark["version"] == start["version"]  # what /lacak/ reads
    assert after_mark["attendance_version"] > start["attendance_version"]
    item = f.ForumItemFactory(forum=forum)  # a forum row: moves ``version``
    criterion = f.CriterionFactory(forum=forum)
    before = _counters(forum)
    with django_capture_on_commit_callbacks(execute=True):
        score_save(item=item, criterion=criterion, scorer=camat, value=3)
    after = _counters(forum)
    assert after == {**before, "scores_version": before["scores_version"] + 1}


def test_write_in_another_forum_leaves_this_version(forum, camat, other_subdistrict):
    other = running(f.ForumFactory(subdistrict=other_subdistrict, year=2027))
    start = _version(forum)
    f.ParticipantFactory(forum=other)
    assert _version(forum) == start


# --- The projector's poll ---------------------------------------------------------------


def test_projector_poll_answers_304_until_the_forum_changes(
    as_user, camat, forum, django_assert_max_num_queries
):
    client = as_user(camat)
    url = reverse("forum:projector_body", args=[forum.pk])
    first = client.get(url)
    assert first.status_code == 200
    tag = first["ETag"]
    assert first["Cache-Control"] == "private, no-cache"

    # the forum's version, read by PollMiddleware before the session; nothing is rendered
    with django_assert_max_num_queries(1):
        unchanged = client.get(url, headers={"if-none-match": tag})
    assert unchanged.status_code == 304
    assert unchanged.content == b""

    person = f.ParticipantFactory(forum=forum)
    services.attendance_mark(actor=camat, forum=forum, participant_id=person.pk)
    changed = client.get(url, headers={"if-none-match": tag})
    assert changed.status_code == 200
    assert changed["ETag"] != tag
    assert 'data-testid="projector-present">1<' in changed.content.decode()


def test_projector_etag_differs_per_user_and_per_commission(as_user, camat, clerk, forum):
    url = reverse("forum:projector_body", args=[forum.pk])
    tag_camat = as_user(camat).get(url)["ETag"]
    client = Client()
    client.force_login(clerk, backend="musrenbang.auth.PlacesBackend")
    assert client.get(url)["ETag"] != tag_camat
    assert client.get(url + "?komisi=1")["ETag"] != client.get(url)["ETag"]


def test_projector_poll_of_another_kecamatan_is_refused_even_with_an_etag(
    as_user, other_clerk, camat, forum
):
    url = reverse("forum:projector_body", args=[forum.pk])
    response = as_user(other_clerk).get(url, headers={"if-none-match": "*"})
    assert response.status_code == 403


# --- The public tracking page -----------------------------------------------------------


def test_tracking_page_answers_304_until_its_proposal_changes(
    client, forum, django_assert_max_num_queries
):
    item = f.ForumItemFactory(forum=forum)
    url = reverse("proposals:track", args=[item.proposal.tracking_code])
    first = client.get(url)
    assert first.status_code == 200
    tag = first["ETag"]
    with django_assert_max_num_queries(1):
        assert client.get(url, headers={"if-none-match": tag}).status_code == 304

    Transition.objects.create(
        proposal=item.proposal, from_status="terverifikasi", to_status="terverifikasi"
    )
    assert client.get(url, headers={"if-none-match": tag}).status_code == 200


def test_tracking_page_stays_304_while_the_door_and_scorers_work(
    as_user, camat, forum, django_capture_on_commit_callbacks
):
    """Citizens' polls are not answered anew for writes the page does not show; the projector,
    which shows the attendance, is."""
    item = f.ForumItemFactory(forum=forum)
    criterion = f.CriterionFactory(forum=forum)
    url = reverse("proposals:track", args=[item.proposal.tracking_code])
    client = Client()  # a citizen, not logged in
    tag = client.get(url)["ETag"]
    projector = as_user(camat)
    body = reverse("forum:projector_body", args=[forum.pk])
    screen_tag = projector.get(body)["ETag"]
    _mark(forum, camat)
    assert client.get(url, headers={"if-none-match": tag}).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        score_save(item=item, criterion=criterion, scorer=camat, value=4)
    assert client.get(url, headers={"if-none-match": tag}).status_code == 304
    assert projector.get(body, headers={"if-none-match": screen_tag}).status_code == 200


def test_tracking_page_changes_when_the_forum_is_sent(client, forum):
    item = f.ForumItemFactory(forum=forum)
    url = reverse("proposals:track", args=[item.proposal.tracking_code])
    tag = client.get(url)["ETag"]
    send(forum)
    assert client.get(url, headers={"if-none-match": tag}).status_code == 200


def test_unknown_tracking_code_is_404_without_etag(client, db):
    response = client.get(reverse("proposals:track", args=["TIDAKADA"]))
    assert response.status_code == 404
    assert "ETag" not in response


# --- Fragments cached by version --------------------------------------------------------


def test_commissions_fragment_is_served_from_cache_until_a_write(
    as_user, camat, forum, django_assert_max_num_queries
):
    commission = f.CommissionFactory(forum=forum, name="Komisi Fisik")
    item = f.ForumItemFactory(forum=forum, commission=commission, commission_rank=1)
    client = as_user(camat)
    url = reverse("forum:commissions", args=[forum.pk])
    assert item.proposal.title in client.get(url).content.decode()
    # session, user, forum, sectors of the add form: the 1,000-row lists are not read
    with django_assert_max_num_queries(5):
        assert client.get(url).status_code == 200

    services.commission_notes_save(actor=camat, commission=commission, notes="Catatan rapat")
    assert "Catatan rapat" in client.get(url).content.decode()

    item.proposal.title = "Judul setelah koreksi"
    item.proposal.save()
    assert "Judul setelah koreksi" in client.get(url).content.decode()


def test_cached_commissions_fragment_carries_each_users_own_csrf_token(camat, clerk, forum):
    commission = f.CommissionFactory(forum=forum)
    f.ForumItemFactory(forum=forum, commission=commission, commission_rank=1)
    second = f.ForumItemFactory(forum=forum, commission=commission, commission_rank=2)
    url = reverse("forum:commissions", args=[forum.pk])
    first = Client(enforce_csrf_checks=True)
    first.force_login(camat, backend="musrenbang.auth.PlacesBackend")
    first.get(url)  # fills the cache with the camat's page
    other = Client(enforce_csrf_checks=True)
    other.force_login(clerk, backend="musrenbang.auth.PlacesBackend")
    html = other.get(url).content.decode()
    assert "__csrf_token_of_this_request__" not in html
    pattern = (
        f'id="pindah-{second.pk}"[^>]*>' + r'\s*<input type="hidden" name="csrfmiddlewaretoken"'
        r' value="([^"]+)"'
    )
    form = re.search(pattern, html)
    assert form is not None
    response = other.post(
        reverse("forum:item_move", args=[forum.pk, second.pk]),
        {"csrfmiddlewaretoken": form.group(1), "commission": commission.pk},
    )
    assert response.status_code == 302  # the clerk's own token: accepted


def test_commissions_fragment_differs_for_a_reader_without_record_rights(
    as_user, camat, bappeda, forum
):
    commission = f.CommissionFactory(forum=forum)
    f.ForumItemFactory(forum=forum, commission=commission, commission_rank=1)
    url = reverse("forum:commissions", args=[forum.pk])
    assert "Simpan urutan" in as_user(camat).get(url).content.decode()
    client = Client()
    client.force_login(bappeda, backend="musrenbang.auth.PlacesBackend")
    assert "Simpan urutan" not in client.get(url).content.decode()


def _computed(subdistrict, camat):
    forum, items, crits = forum_with_items(subdistrict, items=3, criteria=(1,))
    score_all(items, crits, camat)
    forum_compute(forum=forum, actor=camat)
    return forum, items, crits


def test_ranking_fragment_is_served_from_cache_until_a_decision(
    as_user, camat, subdistrict, django_assert_max_num_queries
):
    forum, _items, _crits = _computed(subdistrict, camat)
    client = as_user(camat)
    url = reverse("scoring:results", args=[forum.pk])
    assert "Batalkan keputusan" not in client.get(url).content.decode()
    # session, user, forum, the tabs' scorer check: none of the ranking's reads
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200

    result = Result.objects.order_by("rank").first()
    result_decide(result=result, decision=Result.Decision.PRIORITY, actor=camat)
    assert "Batalkan keputusan" in client.get(url).content.decode()


def test_ranking_fragment_shows_stale_after_a_score_save(
    as_user, camat, subdistrict, django_capture_on_commit_callbacks
):
    forum, items, crits = _computed(subdistrict, camat)
    client = as_user(camat)
    url = reverse("scoring:results", args=[forum.pk])
    assert "Ada nilai yang berubah" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        score_save(item=items[0], criterion=crits[0], scorer=camat, value=5)
    assert "Ada nilai yang berubah" in client.get(url).content.decode()


def test_a_score_save_renders_the_banner_again_but_not_the_rows(
    as_user, camat, subdistrict, django_capture_on_commit_callbacks
):
    forum, items, crits = _computed(subdistrict, camat)
    client = as_user(camat)
    url = reverse("scoring:results", args=[forum.pk])
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        score_save(item=items[0], criterion=crits[0], scorer=camat, value=5)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert "Ada nilai yang berubah" in page
    assert items[0].proposal.reference in page  # the rows are there, from the cache
    # neither the page's full rows nor the narrow list of every result (the send checks,
    # rendered again with the banner, read only counts and undecided references)
    rows_read = [
        q["sql"]
        for q in queries
        if '"scoring_result"."averages"' in q["sql"] or '"proposals_proposal"."cost"' in q["sql"]
    ]
    assert rows_read == []


def test_attendance_counts_poll_answers_304_until_someone_is_marked(as_user, clerk, forum):
    person = f.ParticipantFactory(forum=forum)
    client = as_user(clerk)
    url = reverse("forum:attendance_counts", args=[forum.pk])
    tag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": tag}).status_code == 304
    services.attendance_mark(actor=clerk, forum=forum, participant_id=person.pk)
    assert client.get(url, headers={"if-none-match": tag}).status_code == 200


def test_forum_home_fragment_is_served_from_cache_until_a_write(
    as_user, camat, forum, django_assert_max_num_queries
):
    person = f.ParticipantFactory(forum=forum)
    client = as_user(camat)
    url = reverse("forum:detail", args=[forum.pk])
    client.get(url)
    # session, user, forum: none of the home's counts and lists
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200
    services.attendance_mark(actor=camat, forum=forum, participant_id=person.pk)
    html = client.get(url).content.decode()
    assert "Hadir: " + person.name in html  # the newest forum event


def test_attendance_page_is_served_from_cache_until_someone_is_marked(
    as_user, clerk, forum, settings, django_assert_num_queries
):
    settings.FAST_PAGE_SECONDS = 0  # the view's own cache (the fast path: test_fastpage.py)
    people = [f.ParticipantFactory(forum=forum) for _ in range(3)]
    client = as_user(clerk)
    url = reverse("forum:attendance", args=[forum.pk])
    client.get(url)
    # session, user, forum, the walk-in form's desa: no counts, no rows, no page count
    with django_assert_num_queries(4):
        html = client.get(url).content.decode()
    assert 'data-testid="hadir"' not in html and "0</span> <span" in html
    for _ in range(10):  # more rows, the same queries
        f.ParticipantFactory(forum=forum)
    client.get(url)
    with django_assert_num_queries(4):
        client.get(url)
    services.attendance_mark(actor=clerk, forum=forum, participant_id=people[0].pk)
    html = client.get(url).content.decode()
    assert html.count('data-testid="hadir"') == 1  # the row
    assert '<span data-testid="present-count">1</span>' in html  # the counts


def test_attendance_fragment_keys_by_search_and_never_reaches_a_non_recorder(
    client, as_user, clerk, operator, forum
):
    f.ParticipantFactory(forum=forum, name="Siti Aminah")
    f.ParticipantFactory(forum=forum, name="Budi Santoso")
    url = reverse("forum:attendance", args=[forum.pk])
    staff = as_user(clerk)
    assert "Budi Santoso" in staff.get(url).content.decode()
    searched = staff.get(url, {"q": "Siti"}).content.decode()
    assert "Siti Aminah" in searched and "Budi Santoso" not in searched
    other = Client()
    other.force_login(operator, backend="musrenbang.auth.PlacesBackend")
    assert other.get(url).status_code == 403  # after the recorder's render was cached


def test_cached_attendance_rows_carry_each_users_own_csrf_token(clerk, forum):
    person = f.ParticipantFactory(forum=forum)
    url = reverse("forum:attendance", args=[forum.pk])
    tokens = []
    for _ in range(2):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(clerk, backend="musrenbang.auth.PlacesBackend")
        html = browser.get(url).content.decode()
        assert "__csrf_token_of_this_request__" not in html
        row = re.search(
            f'id="peserta-{person.pk}".*?name="csrfmiddlewaretoken" value="([^"]+)"', html, re.S
        )
        tokens.append((browser, row.group(1)))
    assert tokens[0][1] != tokens[1][1]
    browser, token = tokens[1]  # the second browser got the cached rows
    mark = reverse("forum:attendance_mark", args=[forum.pk, person.pk])
    assert browser.post(mark, {"csrfmiddlewaretoken": token}).status_code in (200, 302)
    assert forum.participants.get(pk=person.pk).present_at is not None


# --- Pages keyed on the counters of what they show --------------------------------------


def test_forum_home_is_kept_through_score_saves_and_renewed_by_the_door(
    as_user, camat, forum, settings, django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.FAST_PAGE_SECONDS = 0  # the cached page itself, not the fast path before it
    item = f.ForumItemFactory(forum=forum)
    criterion = f.CriterionFactory(forum=forum)
    person = f.ParticipantFactory(forum=forum)
    client = as_user(camat)
    url = reverse("forum:detail", args=[forum.pk])
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        score_save(item=item, criterion=criterion, scorer=camat, value=2)
    with django_assert_max_num_queries(4):  # still the kept page: the home shows no scores
        assert client.get(url).status_code == 200
    services.attendance_mark(actor=camat, forum=forum, participant_id=person.pk)
    assert "Hadir: " + person.name in client.get(url).content.decode()


def test_ranking_is_kept_through_the_door_and_renewed_by_a_score_save(
    as_user, camat, subdistrict, settings, django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.FAST_PAGE_SECONDS = 0
    forum, items, crits = _computed(subdistrict, camat)
    client = as_user(camat)
    url = reverse("scoring:results", args=[forum.pk])
    assert "Ada nilai yang berubah" not in client.get(url).content.decode()
    person = f.ParticipantFactory(forum=forum)
    services.attendance_mark(actor=camat, forum=forum, participant_id=person.pk)
    with django_assert_max_num_queries(6):  # still the kept page: the ranking shows no attendance
        assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        score_save(item=items[0], criterion=crits[0], scorer=camat, value=1)
    assert "Ada nilai yang berubah" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("unread", "moved", "same"),
    [
        (("attendance_version",), "scores_version", False),
        (("attendance_version",), "attendance_version", True),
        (("scores_version",), "attendance_version", False),
        (("scores_version",), "scores_version", True),
    ],
)
def test_fingerprint_and_marks_leave_out_exactly_the_unread_counters(forum, unread, moved, same):
    """The fast path's SQL fingerprint and the cache key move together, on the counters read."""
    from django.db import connection

    from sessions.views._common import forum_fingerprint, forum_marks

    def both():
        fresh = Forum.objects.select_related("subdistrict__regency").get(pk=forum.pk)
        ((sql, params),) = forum_fingerprint(None, forum.pk, unread=unread)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0], forum_marks(fresh, unread=unread)

    before = both()
    Forum.objects.filter(pk=forum.pk).update(**{moved: F(moved) + 1})
    after = both()
    assert (after[0] == before[0]) is same
    assert (after[1] == before[1]) is same


def test_projector_lists_are_kept_through_the_door_and_renewed_by_a_forum_change(
    as_user, camat, forum
):
    commission = f.CommissionFactory(forum=forum, name="Komisi Jalan")
    item = f.ForumItemFactory(forum=forum, commission=commission)
    client = as_user(camat)
    url = reverse("forum:projector_body", args=[forum.pk])
    assert item.proposal.title in client.get(url).content.decode()

    # an attendance mark: the count is new, the commissions' lists come from the cache
    person = f.ParticipantFactory(forum=forum)
    services.attendance_mark(actor=camat, forum=forum, participant_id=person.pk)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert 'data-testid="projector-present">1<' in page
    assert item.proposal.title in page
    assert not [q for q in queries if "ROW_NUMBER()" in q["sql"]]

    # a change of the forum's data (a new commission) moves the version: the lists are new
    services.commission_add(actor=camat, forum=forum, name="Komisi Air Bersih")
    assert "Komisi Air Bersih" in client.get(url).content.decode()

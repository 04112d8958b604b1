"""Actions on one result, criterion or scorer: methods, roles, states and side effects."""

import pytest
from django.urls import reverse

from scoring import services
from scoring.models import Criterion, Result, Score, Scorer
from sessions.models import Forum, ForumEvent
from tests import factories as f
from tests.scoring.factories import forum_with_items, score_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(subdistrict, camat, agency):
    forum, items, crits = forum_with_items(subdistrict, items=3, criteria=(1,))
    score_all(items, crits, camat, value=lambda i, c: 5 - items.index(i))
    services.forum_compute(forum=forum, actor=camat)
    return forum


RESULT_ACTIONS = {
    "decide": {"decision": "prioritas"},
    "undo": {},
    "set_agency": {"agency": ""},
    "move": {"rank": 1, "reason": "Mendesak"},
}


@pytest.mark.parametrize("name", RESULT_ACTIONS)
def test_result_actions_refuse_get(as_user, camat, computed, name):
    result = Result.objects.first()
    response = as_user(camat).get(reverse(f"scoring:{name}", args=[result.pk]))
    assert response.status_code == 405


@pytest.mark.parametrize("name", RESULT_ACTIONS)
def test_result_actions_send_anonymous_to_login(client, computed, name):
    result = Result.objects.first()
    response = client.post(reverse(f"scoring:{name}", args=[result.pk]), RESULT_ACTIONS[name])
    assert response.status_code == 302 and "/masuk/" in response.url


@pytest.mark.parametrize("name", RESULT_ACTIONS)
@pytest.mark.parametrize("persona", ["clerk", "other_clerk", "bappeda", "opd_reader", "operator"])
def test_result_actions_are_the_camats(request, as_user, computed, name, persona):
    result = Result.objects.order_by("rank").last()
    user = request.getfixturevalue(persona)
    url = reverse(f"scoring:{name}", args=[result.pk])
    assert as_user(user).post(url, RESULT_ACTIONS[name]).status_code == 403
    assert not ForumEvent.objects.exclude(action="hitung").exists()


def test_camat_of_another_kecamatan_gets_403(as_user, computed, other_subdistrict):
    stranger = f.UserFactory(username="camat2", role="camat", subdistrict=other_subdistrict)
    result = Result.objects.first()
    url = reverse("scoring:decide", args=[result.pk])
    assert as_user(stranger).post(url, {"decision": "prioritas"}).status_code == 403
    assert as_user(stranger).get(reverse("scoring:results", args=[computed.pk])).status_code == 403


def test_decide_undo_and_opd_through_the_views(as_user, camat, computed, agency):
    client = as_user(camat)
    result = Result.objects.order_by("rank").first()
    client.post(reverse("scoring:decide", args=[result.pk]), {"decision": "prioritas"})
    client.post(reverse("scoring:set_agency", args=[result.pk]), {"agency": agency.pk})
    result.refresh_from_db()
    assert (result.decision, result.responsible_agency) == ("prioritas", agency)
    response = client.post(reverse("scoring:undo", args=[result.pk]), follow=True)
    assert "dibatalkan" in response.content.decode()
    result.refresh_from_db()
    assert result.decision == ""
    actions = set(ForumEvent.objects.values_list("action", flat=True))
    assert {"keputusan", "opd", "batal"} <= actions


def test_move_without_reason_changes_nothing(as_user, camat, computed):
    last = Result.objects.order_by("rank").last()
    response = as_user(camat).post(
        reverse("scoring:move", args=[last.pk]), {"rank": 1, "reason": ""}, follow=True
    )
    assert "alasan" in response.content.decode()
    last.refresh_from_db()
    assert last.rank == 3


def test_move_with_reason_is_shown_on_the_results(as_user, camat, computed):
    last = Result.objects.order_by("rank").last()
    client = as_user(camat)
    client.post(reverse("scoring:move", args=[last.pk]), {"rank": 1, "reason": "Jalan putus"})
    text = client.get(reverse("scoring:results", args=[computed.pk])).content.decode()
    assert "Urutan diubah: Jalan putus" in text
    assert "hitung 3" in text


def test_hitung_again_keeps_decisions_and_opds(camat, computed, agency):
    result = Result.objects.order_by("rank").first()
    services.result_decide(result=result, decision="prioritas", agency=agency, actor=camat)
    services.forum_compute(forum=computed, actor=camat)
    result.refresh_from_db()
    assert (result.decision, result.responsible_agency) == ("prioritas", agency)


def test_decisions_are_refused_on_a_sent_forum_with_a_message(as_user, camat, computed):
    Result.objects.update(
        decision="prioritas",
        responsible_agency=f.AgencyFactory(
            regency=computed.subdistrict.regency, abbreviation="PUPR"
        ),
    )
    services.forum_send(forum=computed, actor=camat)
    result = Result.objects.first()
    response = as_user(camat).post(reverse("scoring:undo", args=[result.pk]), follow=True)
    assert "tidak dapat diubah" in response.content.decode()
    result.refresh_from_db()
    assert result.decision == "prioritas"


def test_running_totals_continue_across_pages(as_user, camat, subdistrict, monkeypatch):
    from scoring.views import ranking

    monkeypatch.setattr(ranking, "RESULTS_PER_PAGE", 2)
    forum, items, crits = forum_with_items(subdistrict, items=3, criteria=(1,))
    for item in items:
        item.proposal.cost = 10_000_000
        item.proposal.save()
    score_all(items, crits, camat, value=lambda i, c: 5 - items.index(i))
    services.forum_compute(forum=forum, actor=camat)
    url = reverse("scoring:results", args=[forum.pk])
    text = as_user(camat).get(url + "?halaman=2").content.decode()
    assert "Rp 30.000.000" in text  # running total of rank 3 includes page 1
    assert "Halaman 2 dari 2" in text


def test_tie_break_is_explained_on_the_results(as_user, camat, subdistrict):
    forum, items, crits = forum_with_items(subdistrict, items=2, criteria=(1,))
    for item, cost in zip(items, [20_000_000, 10_000_000], strict=True):
        item.proposal.cost, item.proposal.village_rank = cost, None
        item.proposal.save()
    score_all(items, crits, camat, value=3)
    services.forum_compute(forum=forum, actor=camat)
    text = as_user(camat).get(reverse("scoring:results", args=[forum.pk])).content.decode()
    assert "Nilai sama; diurutkan menurut biaya lebih rendah." in text


# --- Criteria and scorers ---


def test_criteria_page_copies_and_adjusts_until_frozen(as_user, camat, subdistrict):
    forum = f.ForumFactory(subdistrict=subdistrict, state=Forum.State.RUNNING)
    client = as_user(camat)
    client.post(reverse("scoring:criteria_copy", args=[forum.pk]))
    assert forum.criteria.count() == 8
    first = forum.criteria.first()
    client.post(reverse("scoring:criterion_weight", args=[first.pk]), {"weight": "2.5"})
    client.post(
        reverse("scoring:criterion_add", args=[forum.pk]),
        {"name": "Kesiapan lahan", "weight": "1", "scale_max": "5"},
    )
    client.post(reverse("scoring:criterion_remove", args=[first.pk]))
    names = list(forum.criteria.values_list("name", flat=True))
    assert "Keterdesakan" not in names and "Kesiapan lahan" in names
    item = f.ForumItemFactory(forum=forum)
    Score.objects.create(item=item, criterion=forum.criteria.first(), scorer=camat, value=3)
    page = client.get(reverse("scoring:criteria", args=[forum.pk])).content.decode()
    assert "dibekukan" in page and 'name="weight"' not in page
    second = forum.criteria.last()
    response = client.post(
        reverse("scoring:criterion_weight", args=[second.pk]), {"weight": "4"}, follow=True
    )
    assert "dibekukan" in response.content.decode()
    assert Criterion.objects.get(pk=second.pk).weight == 1


@pytest.mark.parametrize("persona", ["clerk", "bappeda", "other_clerk"])
def test_criteria_actions_are_the_camats(request, as_user, subdistrict, persona):
    forum = f.ForumFactory(subdistrict=subdistrict, state=Forum.State.RUNNING)
    criterion = f.CriterionFactory(forum=forum)
    client = as_user(request.getfixturevalue(persona))
    assert client.post(reverse("scoring:criteria_copy", args=[forum.pk])).status_code == 403
    url = reverse("scoring:criterion_weight", args=[criterion.pk])
    assert client.post(url, {"weight": "3"}).status_code == 403
    url = reverse("scoring:criterion_remove", args=[criterion.pk])
    assert client.post(url).status_code == 403
    assert Criterion.objects.filter(pk=criterion.pk, weight=1).exists()


def test_camat_registers_scorers_who_then_score_their_own_sheet(as_user, camat, clerk, subdistrict):
    forum, items, crits = forum_with_items(
        subdistrict, items=1, criteria=(1,), scoring_mode=Forum.ScoringMode.MULTIPLE
    )
    as_user(camat).post(reverse("scoring:scorer_add", args=[forum.pk]), {"user": clerk.pk})
    assert Scorer.objects.filter(forum=forum, user=clerk).exists()
    Score.objects.create(item=items[0], criterion=crits[0], scorer=camat, value=5)
    client = as_user(clerk)
    sheet = client.get(reverse("scoring:sheet", args=[forum.pk])).content.decode()
    assert "score-input" in sheet
    assert 'value="5"' not in sheet  # the camat's score is not on the clerk's sheet
    client.post(
        reverse("scoring:score_cell", args=[forum.pk]),
        {"item": items[0].pk, "criterion": crits[0].pk, "value": "2"},
    )
    assert Score.objects.get(scorer=clerk).value == 2
    assert Score.objects.get(scorer=camat).value == 5


def test_scorer_with_scores_cannot_be_removed(as_user, camat, clerk, subdistrict):
    forum, items, crits = forum_with_items(
        subdistrict, items=1, criteria=(1,), scoring_mode=Forum.ScoringMode.MULTIPLE
    )
    scorer = services.scorer_add(forum=forum, user=clerk, actor=camat)
    Score.objects.create(item=items[0], criterion=crits[0], scorer=clerk, value=2)
    response = as_user(camat).post(reverse("scoring:scorer_remove", args=[scorer.pk]), follow=True)
    assert "sudah memberi nilai" in response.content.decode()
    assert Scorer.objects.filter(pk=scorer.pk).exists()


def test_development_priority_is_linked_from_the_sheet(as_user, camat, subdistrict):
    forum, items, _ = forum_with_items(subdistrict, items=1)
    priority = f.DevelopmentPriorityFactory(regency=subdistrict.regency, name="Infrastruktur")
    response = as_user(camat).post(
        reverse("scoring:development_priority", args=[forum.pk]),
        {"item": items[0].pk, "priority": priority.pk},
        HTTP_HX_REQUEST="true",
    )
    assert "disimpan" in response.content.decode()
    items[0].proposal.refresh_from_db()
    assert items[0].proposal.development_priority == priority


# --- Menu, entry and dashboard ---


def test_menu_entries_lead_to_the_latest_forum(as_user, camat, subdistrict, year):
    forum, _items, _crits = forum_with_items(subdistrict, items=1)
    client = as_user(camat)
    page = client.get(reverse("subdistrict_dashboard", args=[subdistrict.code])).content.decode()
    assert "Hasil Skoring" in page and "Skoring forum 2027" in page
    response = client.get(reverse("scoring:entry", args=[subdistrict.code]))
    assert response.url == reverse("scoring:sheet", args=[forum.pk])
    response = client.get(reverse("scoring:entry_results", args=[subdistrict.code]))
    assert response.url == reverse("scoring:results", args=[forum.pk])


def test_entry_without_a_forum_says_so(as_user, camat, subdistrict):
    text = as_user(camat).get(reverse("scoring:entry", args=[subdistrict.code])).content.decode()
    assert "Belum ada forum" in text


def test_entry_of_another_kecamatan_is_refused(as_user, other_clerk, subdistrict):
    response = as_user(other_clerk).get(reverse("scoring:entry", args=[subdistrict.code]))
    assert response.status_code == 403

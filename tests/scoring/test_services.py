"""Services of scoring: criteria, scores, Hitung, decisions and sending."""

from decimal import Decimal

import pytest

from musrenbang.exceptions import DomainError, Locked
from scoring import selectors, services
from scoring.models import Criterion, Result, Score
from sessions.models import Forum, ForumEvent
from sessions.signals import forum_sent
from tests import factories as f
from tests.scoring.factories import forum_with_items, running_forum, score_all

pytestmark = pytest.mark.django_db


# --- Criteria ---


def test_default_template_holds_langkats_eight_criteria(regency):
    template = services.template_get_default(regency=regency, year=2027)
    names = list(template.criteria.values_list("name", flat=True))
    assert len(names) == 8
    assert names[0] == "Keterdesakan"
    assert names[-1] == "Kelengkapan dokumen/bukti pendukung"
    first = template.criteria.first()
    assert first.scale_min == 1 and first.scale_max == 5
    assert set(first.levels) == {"1", "2", "3", "4", "5"}
    # asked again: the same template, not a second one
    assert services.template_get_default(regency=regency, year=2027) == template


def test_forum_copies_criteria_and_adjusts_them_until_the_first_score(subdistrict, camat):
    forum = running_forum(subdistrict)
    criteria = services.criteria_copy_from_template(forum=forum, actor=camat)
    assert forum.criteria.count() == 8
    services.criterion_update(criterion=criteria[0], actor=camat, weight=Decimal("2"))
    extra = services.criterion_add(forum=forum, actor=camat, name="Kearifan lokal")
    services.criterion_remove(criterion=criteria[7], actor=camat)
    assert forum.criteria.count() == 8
    assert Criterion.objects.get(pk=criteria[0].pk).weight == 2
    item = f.ForumItemFactory(forum=forum)
    services.score_save(item=item, criterion=extra, scorer=camat, value=4)
    with pytest.raises(DomainError, match="dibekukan"):
        services.criterion_update(criterion=extra, actor=camat, weight=Decimal("3"))
    with pytest.raises(DomainError, match="dibekukan"):
        services.criterion_add(forum=forum, actor=camat, name="Terlambat")
    with pytest.raises(DomainError, match="dibekukan"):
        services.criterion_remove(criterion=extra, actor=camat)
    with pytest.raises(DomainError, match="dibekukan"):
        services.criteria_copy_from_template(forum=forum, actor=camat)
    assert ForumEvent.objects.filter(forum=forum, action="kriteria").count() == 4


def test_development_priority_link_is_refused_for_another_regency(subdistrict, camat):
    forum, items, _ = forum_with_items(subdistrict, items=1)
    mine = f.DevelopmentPriorityFactory(regency=subdistrict.regency, name="Infrastruktur")
    foreign = f.DevelopmentPriorityFactory(regency=f.RegencyFactory(code="93.03"))
    proposal = items[0].proposal
    services.proposal_set_development_priority(proposal=proposal, priority=mine, actor=camat)
    proposal.refresh_from_db()
    assert proposal.development_priority == mine
    with pytest.raises(DomainError):
        services.proposal_set_development_priority(proposal=proposal, priority=foreign, actor=camat)


# --- Scores ---


@pytest.mark.parametrize("value", [0, 6, None, -1])
def test_score_outside_the_scale_is_refused(subdistrict, camat, value):
    forum, items, crits = forum_with_items(subdistrict, items=1)
    with pytest.raises(DomainError, match="1–5"):
        services.score_save(item=items[0], criterion=crits[0], scorer=camat, value=value)
    assert not Score.objects.exists()


def test_saving_a_cell_again_updates_it(subdistrict, camat):
    forum, items, crits = forum_with_items(subdistrict, items=1)
    services.score_save(item=items[0], criterion=crits[0], scorer=camat, value=2)
    services.score_save(item=items[0], criterion=crits[0], scorer=camat, value=5)
    assert list(Score.objects.values_list("value", flat=True)) == [5]


def test_staff_cannot_score_in_single_mode(subdistrict, clerk):
    forum, items, crits = forum_with_items(subdistrict, items=1)
    with pytest.raises(DomainError, match="penilai"):
        services.score_save(item=items[0], criterion=crits[0], scorer=clerk, value=3)


def test_multiple_mode_only_registered_scorers_score(subdistrict, camat, clerk):
    forum, items, crits = forum_with_items(
        subdistrict, items=1, scoring_mode=Forum.ScoringMode.MULTIPLE
    )
    with pytest.raises(DomainError):
        services.score_save(item=items[0], criterion=crits[0], scorer=clerk, value=3)
    services.scorer_add(forum=forum, user=clerk, actor=camat)
    services.score_save(item=items[0], criterion=crits[0], scorer=clerk, value=3)
    assert Score.objects.get().scorer == clerk


def test_scoring_is_closed_before_the_forum_runs(subdistrict, camat):
    forum, items, crits = forum_with_items(subdistrict, items=1)
    forum.state = Forum.State.PREPARATION
    forum.save()
    with pytest.raises(DomainError, match="berlangsung"):
        services.score_save(item=items[0], criterion=crits[0], scorer=camat, value=3)


def test_progress_counts_the_scorers_cells(subdistrict, camat):
    forum, items, crits = forum_with_items(subdistrict, items=3, criteria=(1, 1))
    score_all(items[:2], crits, camat)
    assert services.progress(forum=forum, user=camat) == {
        "done": 4,
        "total": 6,
        "complete": False,
    }


# --- Hitung ---


def test_hitung_is_refused_while_a_proposal_lacks_a_score_and_names_it(subdistrict, camat):
    forum, items, crits = forum_with_items(subdistrict, items=3)
    score_all(items[:2], crits, camat)
    Score.objects.create(item=items[2], criterion=crits[0], scorer=camat, value=3)
    with pytest.raises(DomainError) as error:
        services.forum_compute(forum=forum, actor=camat)
    assert items[2].proposal.reference in str(error.value)
    assert items[0].proposal.reference not in str(error.value)
    assert not Result.objects.exists()


def test_weighted_totals_match_a_hand_computed_example(subdistrict, camat):
    # weights 2 and 1; item A scores (5, 1) -> 2*5+1*1 = 11; item B (3, 4) -> 6+4 = 10
    forum, (a, b), (c1, c2) = forum_with_items(subdistrict, items=2, criteria=(2, 1))
    values = {(a, c1): 5, (a, c2): 1, (b, c1): 3, (b, c2): 4}
    score_all([a, b], [c1, c2], camat, value=lambda i, c: values[(i, c)])
    assert services.forum_compute(forum=forum, actor=camat) == 2
    ra, rb = Result.objects.get(item=a), Result.objects.get(item=b)
    assert (ra.total, ra.rank) == (Decimal("11"), 1)
    assert (rb.total, rb.rank) == (Decimal("10"), 2)
    assert ForumEvent.objects.filter(action="hitung").count() == 1


def test_several_scorers_are_averaged(subdistrict, camat, clerk):
    # weights 1.5 and 1; scorers give c1: 4 and 5 (avg 4.5), c2: 2 and 3 (avg 2.5)
    # total = 1.5*4.5 + 1*2.5 = 6.75 + 2.5 = 9.25
    forum, (item,), (c1, c2) = forum_with_items(
        subdistrict, items=1, criteria=(Decimal("1.5"), 1), scoring_mode="banyak"
    )
    services.scorer_add(forum=forum, user=camat, actor=camat)
    services.scorer_add(forum=forum, user=clerk, actor=camat)
    score_all([item], [c1, c2], camat, value=lambda i, c: 4 if c == c1 else 2)
    score_all([item], [c1], clerk, value=5)
    with pytest.raises(DomainError, match="belum dinilai lengkap") as error:
        services.forum_compute(forum=forum, actor=camat)
    assert f"{clerk.get_full_name()} (1 sel)" in str(error.value)
    assert f"{camat.get_full_name()} (" not in str(error.value)
    score_all([item], [c2], clerk, value=3)
    services.forum_compute(forum=forum, actor=camat)
    result = Result.objects.get(item=item)
    assert result.total == Decimal("9.25")
    # the averages the total was weighted from, kept with it for the ranking
    assert result.averages == {str(c1.pk): "4.50", str(c2.pk): "2.50"}


def test_the_ranking_shows_the_averages_of_the_last_hitung(subdistrict, camat):
    forum, (item,), (c1, c2) = forum_with_items(subdistrict, items=1, criteria=(1, 1))
    score_all([item], [c1, c2], camat, value=lambda i, c: 4 if c == c1 else 2)
    services.forum_compute(forum=forum, actor=camat)
    assert selectors.ranking(forum=forum)["rows"][0]["scores"] == [Decimal("4"), Decimal("2")]

    # a score saved after Hitung changes neither the total nor its averages until Hitung
    services.score_save(item=item, criterion=c1, scorer=camat, value=1)
    (row,) = selectors.ranking(forum=forum)["rows"]
    assert (row["result"].total, row["scores"]) == (Decimal("6"), [Decimal("4"), Decimal("2")])
    assert selectors.scores_changed_since_hitung(forum)

    services.forum_compute(forum=forum, actor=camat)
    (row,) = selectors.ranking(forum=forum)["rows"]
    assert (row["result"].total, row["scores"]) == (Decimal("3"), [Decimal("1"), Decimal("2")])
    assert not selectors.scores_changed_since_hitung(forum)


def test_no_banner_before_the_first_hitung(subdistrict, camat):
    forum, items, crits = forum_with_items(subdistrict, items=1, criteria=(1,))
    score_all(items, crits, camat)
    assert not selectors.scores_changed_since_hitung(forum)


def test_ties_break_by_village_priority_then_lower_cost_then_reference(subdistrict, camat):
    forum, items, crits = forum_with_items(subdistrict, items=4, criteria=(1,))
    specs = [  # (village_rank, cost, reference)
        (2, 50_000_000, "R/004"),  # loses on village priority
        (1, 90_000_000, "R/003"),  # village 1, more expensive
        (1, 60_000_000, "R/002"),  # village 1, cheaper, later reference
        (1, 60_000_000, "R/001"),  # same as above, earlier reference
    ]
    for item, (vrank, cost, ref) in zip(items, specs, strict=True):
        p = item.proposal
        p.village_rank, p.cost, p.reference = vrank, cost, ref
        p.save()
    score_all(items, crits, camat, value=3)
    services.forum_compute(forum=forum, actor=camat)
    order = list(
        Result.objects.order_by("rank").values_list("item__proposal__reference", flat=True)
    )
    assert order == ["R/001", "R/002", "R/003", "R/004"]


def test_agreed_cost_counts_and_ceiling_is_filled_in_rank_order(subdistrict, camat):
    f.BudgetCeilingFactory(subdistrict=subdistrict, year=2027, amount=250_000_000)
    forum, items, crits = forum_with_items(subdistrict, items=4, criteria=(1,))
    costs = [100_000_000, 100_000_000, 80_000_000, 10_000_000]
    for item, cost in zip(items, costs, strict=True):
        item.proposal.cost = 999_000_000
        item.proposal.agreed_cost = cost
        item.proposal.save()
    score_all(items, crits, camat, value=lambda i, c: 5 - items.index(i))
    services.forum_compute(forum=forum, actor=camat)
    within = list(Result.objects.order_by("rank").values_list("within_ceiling", flat=True))
    # 100 + 100 fit, + 80 = 280 exceeds 250: that one and every later one are proposed reserve
    assert within == [True, True, False, False]


def test_hitung_gives_commission_ranks(subdistrict, camat):
    forum, items, crits = forum_with_items(subdistrict, items=4, criteria=(1,))
    k1, k2 = f.CommissionFactory(forum=forum), f.CommissionFactory(forum=forum)
    for item, k in zip(items, [k1, k2, k1, k2], strict=True):
        item.commission = k
        item.save()
    score_all(items, crits, camat, value=lambda i, c: 5 - items.index(i))
    services.forum_compute(forum=forum, actor=camat)
    ranks = {r.item_id: (r.rank, r.commission_rank) for r in Result.objects.all()}
    assert [ranks[i.pk] for i in items] == [(1, 1), (2, 1), (3, 2), (4, 2)]


# --- Decisions ---


@pytest.fixture
def computed(subdistrict, camat, agency):
    forum, items, crits = forum_with_items(subdistrict, items=3, criteria=(1,))
    for item in items:
        item.proposal.suggested_agency = agency
        item.proposal.save()
    score_all(items, crits, camat, value=lambda i, c: 5 - items.index(i))
    services.forum_compute(forum=forum, actor=camat)
    return forum, list(Result.objects.order_by("rank"))


def test_reserve_requires_a_written_reason(computed, camat):
    _forum, results = computed
    with pytest.raises(DomainError, match="alasan"):
        services.result_decide(result=results[0], decision="cadangan", reason="  ", actor=camat)
    services.result_decide(result=results[0], decision="cadangan", reason="Dana desa", actor=camat)
    results[0].refresh_from_db()
    assert (results[0].decision, results[0].reason) == ("cadangan", "Dana desa")


def test_priority_takes_the_suggested_agency_and_can_be_undone(computed, camat, agency):
    _forum, results = computed
    result = services.result_decide(result=results[0], decision="prioritas", actor=camat)
    assert result.responsible_agency == agency
    services.result_undo(result=result, actor=camat)
    result.refresh_from_db()
    assert result.decision == ""
    assert ForumEvent.objects.filter(action="batal").count() == 1


def test_agency_of_another_regency_is_refused(computed, camat):
    _forum, results = computed
    foreign = f.AgencyFactory(regency=f.RegencyFactory(code="93.03"), abbreviation="XX")
    with pytest.raises(DomainError, match="OPD"):
        services.result_set_agency(result=results[0], agency=foreign, actor=camat)


def test_overriding_the_order_requires_a_reason_and_is_logged(computed, camat):
    _forum, results = computed
    with pytest.raises(DomainError, match="alasan"):
        services.result_move(result=results[2], new_rank=1, reason="", actor=camat)
    services.result_move(result=results[2], new_rank=1, reason="Bencana banjir", actor=camat)
    order = list(Result.objects.order_by("rank").values_list("pk", "computed_rank"))
    assert order == [(results[2].pk, 3), (results[0].pk, 1), (results[1].pk, 2)]
    event = ForumEvent.objects.get(action="urutan")
    assert "Bencana banjir" in event.detail


# --- Sending ---


def _decide_all(results, camat):
    for r in results:
        services.result_decide(result=r, decision="prioritas", actor=camat)


def test_sending_is_refused_while_something_is_undecided_or_incomplete(computed, camat):
    forum, results = computed
    with pytest.raises(DomainError, match="belum diputuskan"):
        services.forum_send(forum=forum, actor=camat)
    _decide_all(results, camat)
    services.result_set_agency(result=results[0], agency=None, actor=camat)
    with pytest.raises(DomainError, match="belum mempunyai OPD"):
        services.forum_send(forum=forum, actor=camat)
    Result.objects.filter(pk=results[1].pk).update(decision="cadangan", reason="")
    with pytest.raises(DomainError, match="belum diberi alasan"):
        services.forum_send(forum=forum, actor=camat)
    forum.refresh_from_db()
    assert forum.state == Forum.State.RUNNING


def test_sending_is_refused_when_scores_changed_after_hitung(computed, camat):
    forum, results = computed
    _decide_all(results, camat)
    score = Score.objects.first()
    services.score_save(item=score.item, criterion=score.criterion, scorer=camat, value=1)
    with pytest.raises(DomainError, match="Hitung lagi"):
        services.forum_send(forum=forum, actor=camat)


def test_sending_locks_the_forum_and_signals_once(
    computed, camat, django_capture_on_commit_callbacks
):
    forum, results = computed
    _decide_all(results, camat)
    received = []

    def listener(sender, forum, actor, **kwargs):
        received.append((forum.pk, actor.pk))

    forum_sent.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert services.forum_send(forum=forum, actor=camat) is True
        with django_capture_on_commit_callbacks(execute=True):
            assert services.forum_send(forum=forum, actor=camat) is False
    finally:
        forum_sent.disconnect(listener)
    forum.refresh_from_db()
    assert forum.state == Forum.State.SENT
    assert forum.sent_by == camat and forum.sent_at is not None
    assert received == [(forum.pk, camat.pk)]
    assert ForumEvent.objects.filter(action="kirim").count() == 1


def test_every_service_refuses_a_sent_forum(computed, camat, agency):
    forum, results = computed
    _decide_all(results, camat)
    services.forum_send(forum=forum, actor=camat)
    item = results[0].item
    criterion = forum.criteria.first()
    calls = [
        lambda: services.score_save(item=item, criterion=criterion, scorer=camat, value=2),
        lambda: services.forum_compute(forum=forum, actor=camat),
        lambda: services.result_undo(result=results[0], actor=camat),
        lambda: services.result_decide(result=results[0], decision="prioritas", actor=camat),
        lambda: services.result_set_agency(result=results[0], agency=agency, actor=camat),
        lambda: services.result_move(result=results[0], new_rank=2, reason="x", actor=camat),
        lambda: services.criterion_add(forum=forum, actor=camat, name="x"),
        lambda: services.results_apply_ceiling(forum=forum, actor=camat),
        lambda: services.proposal_set_development_priority(
            proposal=item.proposal, priority=None, actor=camat
        ),
    ]
    for call in calls:
        with pytest.raises(Locked):
            call()


def test_apply_ceiling_decides_the_undecided_as_proposed(subdistrict, camat, agency):
    f.BudgetCeilingFactory(subdistrict=subdistrict, year=2027, amount=120_000_000)
    forum, items, crits = forum_with_items(subdistrict, items=2, criteria=(1,))
    for item in items:
        item.proposal.cost, item.proposal.suggested_agency = 100_000_000, agency
        item.proposal.save()
    score_all(items, crits, camat, value=lambda i, c: 5 - items.index(i))
    services.forum_compute(forum=forum, actor=camat)
    assert services.results_apply_ceiling(forum=forum, actor=camat) == 2
    first, second = Result.objects.order_by("rank")
    assert (first.decision, first.responsible_agency) == ("prioritas", agency)
    assert second.decision == "cadangan" and "pagu" in second.reason
    assert services.send_problems(forum=forum) == []

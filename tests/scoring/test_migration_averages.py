"""scoring/0007 fills ``Result.averages`` of results computed before it, from the scores; a
restore of an archive made before the field does the same (``fill_missing_averages``)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from scoring import services
from scoring.models import Result
from scoring.services.compute import shown_average
from tests import factories as f
from tests.scoring.factories import forum_with_items, score_all

BEFORE = [("scoring", "0006_one_event_log")]
AFTER = [("scoring", "0007_result_averages")]


def _migrate_across_0007() -> None:
    """Back to before the field (which drops the column: every result loses its averages),
    then forward through the migration under test."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        executor.loader.build_graph()
        executor.migrate(AFTER)
    finally:
        call_command("migrate", verbosity=0)  # every app back at its latest


def _single_mode_forum(subdistrict, camat):
    forum, (a, b), (c1, c2) = forum_with_items(subdistrict, items=2, criteria=(1, 1))
    score_all([a, b], [c1, c2], camat, value=lambda i, c: 5 if (i, c) == (a, c1) else 2)
    services.forum_compute(forum=forum, actor=camat)
    return forum, (a, b), (c1, c2)


@pytest.mark.django_db(transaction=True)
def test_results_of_before_get_the_averages_of_their_scores(subdistrict, camat):
    forum, (a, b), (c1, c2) = _single_mode_forum(subdistrict, camat)
    # the camat who scored has left since: the forum's own sheets still count
    camat.is_active = False
    camat.save(update_fields=["is_active"])

    _migrate_across_0007()

    assert Result.objects.get(item=a).averages == {str(c1.pk): "5.00", str(c2.pk): "2.00"}
    assert Result.objects.get(item=b).averages == {str(c1.pk): "2.00", str(c2.pk): "2.00"}


@pytest.mark.django_db(transaction=True)
def test_in_multiple_mode_only_registered_scorers_count(subdistrict, camat, clerk):
    forum, (item,), (c1,) = forum_with_items(
        subdistrict, items=1, criteria=(1,), scoring_mode="banyak"
    )
    services.scorer_add(forum=forum, user=camat, actor=camat)
    services.scorer_add(forum=forum, user=clerk, actor=camat)
    score_all([item], [c1], camat, value=4)
    score_all([item], [c1], clerk, value=1)
    services.forum_compute(forum=forum, actor=camat)
    # a sheet of someone no longer registered (as a stale row would be) does not count
    outsider = f.UserFactory(role="staf", subdistrict=subdistrict)
    score_all([item], [c1], outsider, value=5)

    _migrate_across_0007()

    assert Result.objects.get(item=item).averages == {str(c1.pk): "2.50"}


def test_a_restore_fills_results_without_averages(subdistrict, camat):
    forum, (a, _b), (c1, c2) = _single_mode_forum(subdistrict, camat)
    Result.objects.update(averages={})  # as restored from an archive made before the field

    assert services.fill_missing_averages(forum=forum) == 2
    assert Result.objects.get(item=a).averages == {str(c1.pk): "5.00", str(c2.pk): "2.00"}
    assert services.fill_missing_averages(forum=forum) == 0  # filled ones are left alone


def test_averages_round_halves_up():
    assert [shown_average(v) for v in ("3.125", "2.675", 3.5, "4.994")] == [
        "3.13",
        "2.68",
        "3.50",
        "4.99",
    ]

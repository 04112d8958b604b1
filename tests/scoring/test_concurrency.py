"""Two scorers saving at the same moment lose nothing (separate connections, real commits)."""

import threading

import pytest
from django.db import connection

from scoring import services
from scoring.models import Score
from sessions.models import Forum
from tests import factories as f
from tests.scoring.factories import forum_with_items

pytestmark = pytest.mark.django_db(transaction=True)


def _run_together(calls):
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_two_scorers_saving_the_same_cell_at_once_both_keep_their_score(subdistrict, camat):
    clerk = f.UserFactory(username="penilai2", role="staf", subdistrict=subdistrict)
    forum, (item,), (criterion,) = forum_with_items(
        subdistrict, items=1, criteria=(1,), scoring_mode=Forum.ScoringMode.MULTIPLE
    )
    services.scorer_add(forum=forum, user=camat, actor=camat)
    services.scorer_add(forum=forum, user=clerk, actor=camat)
    for _round in range(5):
        _run_together(
            [
                lambda: services.score_save(item=item, criterion=criterion, scorer=camat, value=4),
                lambda: services.score_save(item=item, criterion=criterion, scorer=clerk, value=2),
            ]
        )
    assert sorted(Score.objects.values_list("scorer_id", "value")) == sorted(
        [(camat.pk, 4), (clerk.pk, 2)]
    )


def test_one_scorer_double_saving_a_cell_keeps_one_row(subdistrict, camat):
    forum, (item,), (criterion,) = forum_with_items(subdistrict, items=1, criteria=(1,))
    _run_together(
        [
            lambda: services.score_save(item=item, criterion=criterion, scorer=camat, value=3),
            lambda: services.score_save(item=item, criterion=criterion, scorer=camat, value=3),
        ]
    )
    assert list(Score.objects.values_list("value", flat=True)) == [3]

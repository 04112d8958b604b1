"""scoring/0007 fills ``Result.averages`` of results computed before it, from the scores."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from scoring.models import Result
from scoring.services import forum_compute
from tests.scoring.factories import forum_with_items, score_all

BEFORE = [("scoring", "0006_one_event_log")]


@pytest.mark.django_db(transaction=True)
def test_results_of_before_get_the_averages_of_their_scores(subdistrict, camat):
    forum, (a, b), (c1, c2) = forum_with_items(subdistrict, items=2, criteria=(1, 1))
    score_all([a, b], [c1, c2], camat, value=lambda i, c: 5 if (i, c) == (a, c1) else 2)
    forum_compute(forum=forum, actor=camat)
    Result.objects.update(averages={})  # as a result written before the field existed

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        executor.loader.build_graph()
        executor.migrate([("scoring", "0007_result_averages")])
    finally:
        call_command("migrate", verbosity=0)  # every app back at its latest

    assert Result.objects.get(item=a).averages == {str(c1.pk): "5.00", str(c2.pk): "2.00"}
    assert Result.objects.get(item=b).averages == {str(c1.pk): "2.00", str(c2.pk): "2.00"}

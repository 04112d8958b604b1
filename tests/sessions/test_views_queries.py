"""The attendance, participant, verification, commission and projector pages cost a constant
number of queries (5 rows and 50 rows)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.sessions.factories import running


@pytest.fixture
def forum(subdistrict, year, sector, village):
    forum = f.ForumFactory(subdistrict=subdistrict, year=2027)
    running(forum)
    return forum


def _fill(forum, sector, village, rows: int) -> None:
    commissions = [f.CommissionFactory(forum=forum, sector=sector) for _ in range(2)]
    for n in range(rows):
        f.ParticipantFactory(
            forum=forum, village=village, present_at=timezone.now() if n % 2 else None
        )
        f.ForumItemFactory(forum=forum, commission=commissions[n % 2], commission_rank=n)


# session + user + forum, then: counts, the page (and its count), commissions + items, ...
# The pages answered by the fast path (attendance, home) read the session and their fingerprint
# once more before the view runs on a miss (musrenbang.fastpage): +2.
MAX_QUERIES = {
    "attendance": 9,
    "attendance_search": 6,
    "participants": 6,
    "commissions": 7,
    "verification": 8,  # + the nomenclature instrument of the year (kamus flags)
    "projector": 8,
    "projector_body": 8,
    "detail": 13,  # + "Rapor tahun lalu": was last year's forum sent (2 more when it was)
    "delegates": 5,
}
PAGES = ["attendance", "attendance_search", "participants", "commissions", "verification",
         "projector", "projector_body", "detail", "delegates"]  # fmt: skip


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize("name", PAGES)
def test_page_costs_a_constant_number_of_queries(
    as_user, camat, forum, sector, village, name, rows, django_assert_max_num_queries
):
    _fill(forum, sector, village, rows)
    client = as_user(camat)
    url = reverse(f"forum:{name}", args=[forum.pk])
    with django_assert_max_num_queries(MAX_QUERIES[name]):
        response = client.get(url)
    assert response.status_code == 200

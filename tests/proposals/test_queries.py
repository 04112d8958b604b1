"""List pages cost a constant number of queries (5 rows vs 50 rows)."""

import pytest
from django.urls import reverse

from proposals.models import Status
from tests import factories as f

pytestmark = pytest.mark.django_db


def _fill(village, sector, agency, count, status):
    for n in range(count):
        f.ProposalFactory(
            village=village, sector=sector, suggested_agency=agency, status=status,
            village_rank=n + 1, title=f"Kegiatan {n}", location=f"Lokasi {n}",
        )  # fmt: skip


@pytest.mark.parametrize("rows", [5, 50])
def test_incoming_list_query_count_is_constant(
    rows, as_user, clerk, year, village, sector, agency, django_assert_max_num_queries
):
    _fill(village, sector, agency, rows, Status.SUBMITTED)
    client = as_user(clerk)
    # session + user, planning year (x2: picker and current), villages, sectors, agencies,
    # status counts, duplicates, page count, page rows, menu/axes... fixed, not per row.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("proposals:incoming"), {"urut": "-biaya"})
    assert response.status_code == 200
    assert len(response.context["page"]) == min(rows, 25)


@pytest.mark.parametrize("rows", [5, 50])
def test_village_list_query_count_is_constant(
    rows, as_user, operator, year, village, sector, agency, django_assert_max_num_queries
):
    _fill(village, sector, agency, rows, Status.DRAFT)
    client = as_user(operator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("proposals:village_list"))
    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("rows", [5, 50])
def test_export_query_count_is_constant(
    rows, as_user, clerk, year, village, sector, agency, django_assert_max_num_queries
):
    _fill(village, sector, agency, rows, Status.SUBMITTED)
    client = as_user(clerk)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("proposals:export"))
    assert response.status_code == 200

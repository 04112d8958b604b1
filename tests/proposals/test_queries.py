"""List pages cost a constant number of queries (5 rows vs 50 rows)."""

import pytest
from django.urls import reverse

from proposals.models import Status
from tests import factories as f

pytestmark = pytest.mark.django_db


def _fill(village, sector, agency, count, status, first=0):
    for n in range(first, first + count):
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
    # session + user, planning years (one read: picker and current), villages, sectors,
    # agencies, status counts (also the page count), duplicates, page rows, menu/axes...
    # fixed, not per row.
    with django_assert_max_num_queries(12):
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


def test_incoming_page_count_matches_every_filter(as_user, clerk, year, village, sector, agency):
    """The paginator's count comes from the status counts when only the status is filtered;
    with any other filter it is counted: both equal the rows listed."""
    other = f.VillageFactory(subdistrict=village.subdistrict, code="91.01.01.2099")
    _fill(village, sector, agency, 27, Status.SUBMITTED)
    _fill(village, sector, agency, 2, Status.RECEIVED, first=27)
    _fill(village, sector, agency, 1, Status.DRAFT, first=29)  # the desa's draft: not listed
    _fill(other, sector, agency, 3, Status.SUBMITTED)
    client = as_user(clerk)
    url = reverse("proposals:incoming")
    expected = [
        ({}, 32),
        ({"status": Status.RECEIVED}, 2),
        ({"status": Status.SUBMITTED}, 30),
        ({"status": Status.DRAFT}, 0),
        ({"desa": other.pk}, 3),
        ({"desa": other.pk, "status": Status.RECEIVED}, 0),
        ({"asal": "sipd"}, 0),
    ]
    for query, count in expected:
        page = client.get(url, query).context["page"]
        assert page.paginator.count == count, query
        pages = range(1, page.paginator.num_pages + 1)
        listed = sum(len(client.get(url, {**query, "halaman": n}).context["page"]) for n in pages)
        assert listed == count, query

"""One definition of each count: a dashboard number equals the length of the list its link
opens, and Bappeda's overview counts what the intake list shows (issue 10)."""

import pytest
from django.urls import reverse

from proposals.models import Origin, Status
from tests import factories as f

pytestmark = pytest.mark.django_db

MIX = {
    Status.DRAFT: 3,
    Status.SUBMITTED: 2,
    Status.RECEIVED: 1,
    Status.RETURNED: 1,
    Status.VERIFIED: 2,
    Status.REJECTED: 1,
}


@pytest.fixture
def mixed(village, other_village, subdistrict, sector, year):
    for status, count in MIX.items():
        for n in range(count):
            f.ProposalFactory(village=village if n % 2 else other_village, status=status)
    # The kecamatan's own draft is on its intake list; the desa drafts are not.
    f.ProposalFactory(
        village=None, subdistrict=subdistrict, origin=Origin.SUBDISTRICT, sector=sector
    )


def _list_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def test_every_kecamatan_dashboard_number_equals_its_list(as_user, clerk, subdistrict, mixed):
    client = as_user(clerk)
    response = client.get(reverse("subdistrict_dashboard", args=[subdistrict.code]))
    panels = response.context["panels"]()  # lazy: the page caches the rendered panels
    panel = next(p for p in panels if "rows" in p)
    linked = [row for row in panel["rows"] if row["url"]]
    assert len(linked) == len(Status.values)
    for row in linked:
        assert _list_count(client, row["url"]) == row["count"], row["label"]
    assert _list_count(client, panel["url"]) == panel["total"]
    drafts = next(row for row in panel["rows"] if row["value"] == Status.DRAFT)
    assert drafts["count"] == 1  # only the kecamatan's own draft: the list shows only that


def test_the_overview_counts_what_the_intake_list_shows(
    as_user, clerk, bappeda, regency, subdistrict, mixed
):
    response = as_user(bappeda).get(reverse("reports:overview", args=[regency.code]))
    row = next(r for r in response.context["page"] if r["subdistrict"] == subdistrict)
    text = response.content.decode()
    assert "Usulan masuk</th>" in text and ">Diterima</th>" not in text
    client = as_user(clerk)
    assert row["received"] == _list_count(client, reverse("proposals:incoming"))
    verified = reverse("proposals:incoming") + f"?status={Status.VERIFIED}"
    assert row["verified"] == _list_count(client, verified)


def test_the_desa_dashboard_total_equals_the_operator_list(as_user, operator, village, mixed):
    client = as_user(operator)
    response = client.get(reverse("village_dashboard", args=[village.code]))
    panel = next(p for p in response.context["panels"] if "rows" in p)
    listed = client.get(panel["url"]).context["rows"]
    assert panel["total"] == len(listed)
    for row in panel["rows"]:
        assert row["count"] == sum(1 for r in listed if r["p"].status == row["value"])


def test_the_development_priority_is_on_the_proposal_page_and_receipt(
    as_user, operator, village, regency
):
    name = "Pelayanan administrasi kependudukan gratis dan cepat bagi seluruh warga desa"
    priority = f.DevelopmentPriorityFactory(regency=regency, name=name)
    proposal = f.ProposalFactory(
        village=village, status=Status.SUBMITTED, development_priority=priority
    )
    client = as_user(operator)
    for url in (
        reverse("proposals:detail", args=[proposal.pk]),
        reverse("proposals:receipt", args=[proposal.pk]),
    ):
        text = client.get(url).content.decode()
        assert f'id="development-priority">{name}</' in text, url

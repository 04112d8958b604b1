"""Permission grid of the proposal pages: who may open what (deny by default)."""

import pytest
from django.urls import reverse

from proposals.models import Status

pytestmark = pytest.mark.django_db

PERSONAS = ["operator", "other_operator", "camat", "clerk", "other_clerk", "bappeda",
            "outside_bappeda", "opd_reader", "no_role"]  # fmt: skip

DETAIL_ALLOWED = {"operator", "camat", "clerk", "bappeda"}


@pytest.mark.parametrize("who", PERSONAS)
def test_detail_page_grid(request, as_user, make_proposal, who):
    proposal = make_proposal(status=Status.SUBMITTED)
    response = as_user(request.getfixturevalue(who)).get(proposal.get_absolute_url())
    assert response.status_code == (200 if who in DETAIL_ALLOWED else 403)


def test_anonymous_is_sent_to_login(client, make_proposal):
    proposal = make_proposal()
    for url in [
        proposal.get_absolute_url(),
        reverse("proposals:village_list"),
        reverse("proposals:incoming"),
        reverse("proposals:rekap"),
        reverse("proposals:import"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/masuk/" in response.url


@pytest.mark.parametrize(
    ("url_name", "allowed"),
    [
        ("proposals:village_list", {"operator", "other_operator"}),
        ("proposals:incoming", {"camat", "clerk", "other_clerk"}),
        ("proposals:rekap", {"camat", "clerk", "other_clerk"}),
        ("proposals:import", {"camat", "clerk", "other_clerk"}),
        ("proposals:import_template", {"camat", "clerk", "other_clerk"}),
        ("proposals:export", {"camat", "clerk", "other_clerk"}),
        ("proposals:create", {"operator", "other_operator", "camat", "clerk", "other_clerk"}),
    ],
)
@pytest.mark.parametrize("who", PERSONAS)
def test_page_grid_by_role(request, as_user, year, url_name, allowed, who):
    response = as_user(request.getfixturevalue(who)).get(reverse(url_name))
    assert response.status_code == (200 if who in allowed else 403)


@pytest.mark.parametrize(
    ("who", "status"),
    [("operator", 200), ("other_operator", 403), ("clerk", 200), ("other_clerk", 403),
     ("bappeda", 403), ("opd_reader", 403)],
)  # fmt: skip
def test_edit_page_grid(request, as_user, make_proposal, who, status):
    proposal = make_proposal()
    response = as_user(request.getfixturevalue(who)).get(
        reverse("proposals:edit", args=[proposal.pk])
    )
    assert response.status_code == status


ACTIONS = ["submit", "receive", "verify", "return", "reject"]


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_refuse_get(as_user, clerk, make_proposal, action):
    proposal = make_proposal()
    response = as_user(clerk).get(reverse(f"proposals:{action}", args=[proposal.pk]))
    assert response.status_code == 405


@pytest.mark.parametrize("action", ["receive", "verify", "return", "reject"])
@pytest.mark.parametrize("who", ["operator", "other_clerk", "bappeda", "opd_reader"])
def test_intake_actions_are_kecamatan_only(request, as_user, make_proposal, action, who):
    proposal = make_proposal(status=Status.RECEIVED)
    response = as_user(request.getfixturevalue(who)).post(
        reverse(f"proposals:{action}", args=[proposal.pk]), {"reason": "x", "category": "lainnya"}
    )
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == Status.RECEIVED


@pytest.mark.parametrize("who", ["other_operator", "other_clerk", "opd_reader", "bappeda"])
def test_outsiders_cannot_submit(request, as_user, make_proposal, who):
    proposal = make_proposal()
    response = as_user(request.getfixturevalue(who)).post(
        reverse("proposals:submit", args=[proposal.pk])
    )
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == Status.DRAFT


def test_anonymous_post_is_sent_to_login(client, make_proposal):
    proposal = make_proposal()
    response = client.post(reverse("proposals:submit", args=[proposal.pk]))
    assert response.status_code == 302 and "/masuk/" in response.url
    proposal.refresh_from_db()
    assert proposal.status == Status.DRAFT


def test_bulk_ignores_other_kecamatan_proposals(as_user, other_clerk, make_proposal):
    proposal = make_proposal(status=Status.SUBMITTED)
    response = as_user(other_clerk).post(
        reverse("proposals:bulk"), {"action": "terima", "ids": [proposal.pk]}, follow=True
    )
    assert "tidak ditemukan" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED


def test_admin_shows_proposals_read_only_to_their_bappeda(client, bappeda, make_proposal):
    proposal = make_proposal()
    client.force_login(bappeda)
    response = client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk]))
    assert response.status_code == 200
    assert b'name="title"' not in response.content  # no editable field


def test_admin_hides_proposals_of_another_kabupaten(client, outside_bappeda, make_proposal):
    proposal = make_proposal()
    client.force_login(outside_bappeda)
    response = client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk]))
    assert response.status_code != 200

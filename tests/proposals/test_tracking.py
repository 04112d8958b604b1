"""The public tracking page: no login, no personal data, friendly 404."""

import pytest
from django.urls import reverse

from proposals import services
from proposals.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracked(make_proposal, operator, clerk):
    operator.first_name, operator.last_name, operator.phone = "Siti", "Rahayu", "081234567890"
    operator.save()
    clerk.first_name, clerk.phone = "Bambang", "087700001111"
    clerk.save()
    proposal = make_proposal()
    services.proposal_submit(actor=operator, proposal=proposal)
    services.proposal_receive(
        actor=clerk, proposal=proposal, disposition_note="Disposisi rahasia camat"
    )
    services.proposal_verify(actor=clerk, proposal=proposal, note="Catatan internal verifikator")
    proposal.refresh_from_db()
    assert proposal.register_number
    return proposal


def test_tracking_page_needs_no_login_and_shows_the_history(client, tracked):
    response = client.get(reverse("proposals:track", args=[tracked.tracking_code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert tracked.title in html and tracked.village.name in html
    for label in ("Diajukan", "Diterima kecamatan", "Terverifikasi"):
        assert label in html


def test_tracking_page_shows_nothing_personal(client, tracked, operator, clerk):
    html = client.get(reverse("proposals:track", args=[tracked.tracking_code])).content.decode()
    secrets = ["Siti", "Rahayu", "081234567890", "Bambang", "087700001111", "operator", "clerk"]
    secrets += ["Disposisi rahasia", "Catatan internal", tracked.register_number]
    for secret in secrets:
        assert secret not in html


def test_tracking_page_shows_public_reasons(client, make_proposal, clerk):
    proposal = make_proposal(status=Status.RECEIVED)
    services.proposal_return(actor=clerk, proposal=proposal, reason="Lengkapi foto lokasi")
    html = client.get(reverse("proposals:track", args=[proposal.tracking_code])).content.decode()
    assert "Lengkapi foto lokasi" in html


def test_tracking_code_is_case_insensitive(client, tracked):
    url = reverse("proposals:track", args=[tracked.tracking_code.lower()])
    assert client.get(url).status_code == 200


def test_unknown_code_gets_a_friendly_404(client, db):
    response = client.get(reverse("proposals:track", args=["ZZZZ9999"]))
    assert response.status_code == 404
    assert "Kode lacak tidak ditemukan" in response.content.decode()


def test_track_form_redirects_to_the_code(client, db):
    response = client.get(reverse("proposals:track_form"), {"kode": " abcd2345 "})
    assert response.status_code == 302
    assert response.url == reverse("proposals:track", args=["ABCD2345"])


def test_login_page_links_to_tracking(client, db):
    html = client.get(reverse("login")).content.decode()
    assert reverse("proposals:track_form") in html

"""The public tracking page shows the forum's decision once the forum was sent."""

import pytest
from django.urls import reverse

from scoring.models import Result
from sessions.models import Forum
from tests import factories as f
from tests.forums import send

pytestmark = pytest.mark.django_db


def _decided(subdistrict, agency, decision, reason=""):
    forum = f.ForumFactory(subdistrict=subdistrict, state=Forum.State.RUNNING)
    item = f.ForumItemFactory(forum=forum)
    f.ResultFactory(
        item=item,
        rank=1,
        decision=decision,
        reason=reason,
        responsible_agency=agency if decision == "prioritas" else None,
    )
    return forum, item.proposal


def test_priority_and_agency_are_public_after_sending(client, subdistrict, agency):
    forum, proposal = _decided(subdistrict, agency, Result.Decision.PRIORITY)
    url = reverse("proposals:track", args=[proposal.tracking_code])
    assert "Hasil Musrenbang Kecamatan" not in client.get(url).content.decode()
    send(forum)
    text = client.get(url).content.decode()
    assert "Masuk daftar prioritas kecamatan" in text
    assert "Dinas Pekerjaan Umum dan Penataan Ruang" in text


def test_a_reserve_shows_its_reason(client, subdistrict, agency):
    forum, proposal = _decided(
        subdistrict, agency, Result.Decision.RESERVE, reason="Melebihi pagu indikatif."
    )
    send(forum)
    text = client.get(reverse("proposals:track", args=[proposal.tracking_code])).content.decode()
    assert "Menjadi usulan cadangan" in text
    assert "Melebihi pagu indikatif." in text

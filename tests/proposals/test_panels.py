"""Dashboard panels and menu entries of proposals."""

import pytest
from django.urls import reverse

from proposals.models import Status

pytestmark = pytest.mark.django_db


def test_kecamatan_dashboard_shows_counts_with_links(as_user, clerk, subdistrict, make_proposal):
    make_proposal(status=Status.SUBMITTED)
    make_proposal(status=Status.VERIFIED)
    html = (
        as_user(clerk)
        .get(reverse("subdistrict_dashboard", args=[subdistrict.code]))
        .content.decode()
    )
    assert "Usulan tahun 2027" in html
    assert f"{reverse('proposals:incoming')}?tahun=2027&amp;status=terverifikasi" in html
    assert "Usulan Masuk" in html and "Rekap" in html and "Impor" in html


def test_desa_dashboard_shows_counts_and_link(as_user, operator, village, make_proposal):
    make_proposal()
    html = as_user(operator).get(reverse("village_dashboard", args=[village.code])).content.decode()
    assert "Usulan desa/kelurahan tahun 2027" in html
    assert reverse("proposals:village_list") in html
    assert "Usulan Desa" in html

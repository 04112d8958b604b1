"""Dashboards per role and the role x object permission grid of the master data pages."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client, subdistrict):
    response = client.get(reverse("subdistrict_dashboard", args=[subdistrict.code]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("camat", "subdistrict_dashboard"),
        ("clerk", "subdistrict_dashboard"),
        ("operator", "village_dashboard"),
        ("bappeda", "regency_dashboard"),
        ("opd_reader", "agency_dashboard"),
    ],
)
def test_home_sends_each_role_to_its_dashboard(request, as_user, year, persona, target):
    user = request.getfixturevalue(persona)
    response = as_user(user).get(reverse("home"))
    assert response.status_code == 302
    assert response.url.split("?")[0].startswith(reverse(target, args=_args(user, target))[:-1])
    assert as_user(user).get(response.url).status_code == 200


def _args(user, target):
    return {
        "subdistrict_dashboard": lambda: [user.subdistrict.code],
        "village_dashboard": lambda: [user.village.code],
        "regency_dashboard": lambda: [user.regency.code],
        "agency_dashboard": lambda: [],
    }[target]()


def test_user_without_role_gets_403(as_user, no_role):
    assert as_user(no_role).get(reverse("home")).status_code == 403


# persona -> expected status for (own kecamatan A1, other kecamatan A2, kecamatan of B)
SUBDISTRICT_GRID = {
    "camat": (200, 403, 403),
    "clerk": (200, 403, 403),
    "other_clerk": (403, 200, 403),
    "operator": (403, 403, 403),
    "opd_reader": (403, 403, 403),
    "bappeda": (200, 200, 403),
    "outside_bappeda": (403, 403, 200),
    "no_role": (403, 403, 403),
}


@pytest.mark.parametrize("persona", SUBDISTRICT_GRID)
def test_subdistrict_dashboard_permission_grid(
    request, as_user, year, subdistrict, other_subdistrict, outside_subdistrict, persona
):
    client = as_user(request.getfixturevalue(persona))
    targets = (subdistrict, other_subdistrict, outside_subdistrict)
    got = tuple(
        client.get(reverse("subdistrict_dashboard", args=[s.code])).status_code for s in targets
    )
    assert got == SUBDISTRICT_GRID[persona]


# persona -> expected status for (desa A1-a, desa A1-b, desa of A2)
VILLAGE_GRID = {
    "camat": (200, 200, 403),
    "clerk": (200, 200, 403),
    "other_clerk": (403, 403, 200),
    "operator": (200, 403, 403),
    "other_operator": (403, 200, 403),
    "opd_reader": (403, 403, 403),
    "bappeda": (200, 200, 200),
    "outside_bappeda": (403, 403, 403),
}


@pytest.mark.parametrize("persona", VILLAGE_GRID)
def test_village_dashboard_permission_grid(
    request, as_user, year, village, other_village, far_village, persona
):
    client = as_user(request.getfixturevalue(persona))
    got = tuple(
        client.get(reverse("village_dashboard", args=[v.code])).status_code
        for v in (village, other_village, far_village)
    )
    assert got == VILLAGE_GRID[persona]


def test_unknown_subdistrict_is_404(as_user, bappeda):
    response = as_user(bappeda).get(reverse("subdistrict_dashboard", args=["99.99.99"]))
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_regency_dashboard_refuses_other_regency_and_other_roles(
    as_user, regency, other_regency, bappeda, outside_bappeda, camat
):
    url = reverse("regency_dashboard", args=[regency.code])
    assert as_user(bappeda).get(url).status_code == 200
    assert as_user(outside_bappeda).get(url).status_code == 403
    assert as_user(camat).get(url).status_code == 403


def test_agency_dashboard_is_only_for_opd_readers(as_user, camat, opd_reader, year):
    assert as_user(camat).get(reverse("agency_dashboard")).status_code == 403
    assert as_user(opd_reader).get(reverse("agency_dashboard")).status_code == 200


def test_subdistrict_dashboard_shows_year_ceiling_and_villages(
    as_user, camat, year, subdistrict, village, other_village
):
    from tests.factories import BudgetCeilingFactory

    BudgetCeilingFactory(subdistrict=subdistrict, year=2027, amount=1_250_000_000)
    html = as_user(camat).get(reverse("subdistrict_dashboard", args=[subdistrict.code])).content
    text = html.decode()
    assert "Kecamatan Sukamaju" in text
    assert "Rp 1.250.000.000" in text
    assert "Mekar" in text and "Sari" in text
    assert "Keluar" in text  # Indonesian layout


def test_dashboard_without_planning_year_explains_what_to_do(as_user, camat, subdistrict):
    text = as_user(camat).get(reverse("subdistrict_dashboard", args=[subdistrict.code])).content
    assert "Belum ada tahun perencanaan" in text.decode()


def test_pages_reference_no_external_host(as_user, camat, year, subdistrict):
    text = as_user(camat).get(reverse("subdistrict_dashboard", args=[subdistrict.code])).content
    text = text.decode()
    assert "cdn" not in text.lower()
    for attr in ('src="http', 'href="http'):
        assert attr not in text


def test_pages_send_a_csp_without_inline_scripts(as_user, camat, year, subdistrict):
    response = as_user(camat).get(reverse("subdistrict_dashboard", args=[subdistrict.code]))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "<script>" not in response.content.decode()


def test_years_print_without_a_thousands_separator(as_user, camat, year, subdistrict):
    text = as_user(camat).get(reverse("subdistrict_dashboard", args=[subdistrict.code])).content
    assert "2.027" not in text.decode()
    assert "2027" in text.decode()


def test_health_answers_without_login(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.content == b"ok"


def test_an_oversized_body_is_refused_before_it_is_read(client, settings):
    settings.UPLOAD_MAX_DOCUMENT_BYTES = 1000
    response = client.post(
        "/verifikasi/abc/",
        data=b"x" * 10,
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(10 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "terlalu besar" in response.content.decode()

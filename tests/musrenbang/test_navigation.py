"""The menu asks the rule book: each entry is shown by a permission, never by a role string."""

import pytest
from django.test import RequestFactory

from musrenbang.context_processors import MENU, navigation
from tests import factories as f

KECAMATAN = [
    "Beranda",
    "Usulan Masuk",
    "Rekap",
    "Impor",
    "Impor SIPD",
    "Forum",
    "Skoring",
    "Hasil Skoring",
    "Dokumen",
    "Input SIPD",
    "Tindak lanjut",
]
EXPECTED = {
    "camat": KECAMATAN,
    "clerk": KECAMATAN,
    "operator": ["Beranda", "Usulan Desa"],
    "bappeda": ["Beranda", "Forum", "Prioritas ke OPD", "Ikhtisar & Dokumen", "Admin"],
    "opd_reader": ["Beranda", "Prioritas ke OPD", "Tindak lanjut"],
    "no_role": ["Beranda"],
}


def _labels(user) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user
    return [item["label"] for item in navigation(request)["nav_items"]]


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_each_role_sees_the_entries_its_permissions_allow(persona, request):
    assert _labels(request.getfixturevalue(persona)) == EXPECTED[persona]


def test_a_superuser_sees_what_needs_no_place_of_their_own(db):
    admin = f.UserFactory(username="root", role="", is_superuser=True, is_staff=True)
    assert _labels(admin) == ["Beranda", "Forum", "Prioritas ke OPD", "Admin"]


def test_an_entry_points_to_the_users_own_place(camat, subdistrict, opd_reader, agency):
    items = {i["label"]: i["url"] for i in navigation(_request(camat))["nav_items"]}
    assert subdistrict.code in items["Skoring"] and subdistrict.code in items["Dokumen"]
    items = {i["label"]: i["url"] for i in navigation(_request(opd_reader))["nav_items"]}
    assert items["Tindak lanjut"].rstrip("/").endswith(str(agency.pk))


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_every_entry_but_home_is_guarded_by_a_registered_permission():
    import rules

    for entry in MENU:
        if entry.url_name == "home":
            assert entry.perm is None
            continue
        assert entry.perm and rules.perm_exists(entry.perm), entry

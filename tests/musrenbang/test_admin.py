"""The Django admin is scoped to the Bappeda admin's kabupaten/kota."""

import pytest
from django.urls import reverse

from musrenbang.models import Agency, Role, User
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_bappeda_sees_only_their_regency_agencies(as_user, bappeda, regency, other_regency):
    AgencyFactory(regency=regency, name="Dinas Milik Kami", abbreviation="MK")
    AgencyFactory(regency=other_regency, name="Dinas Tetangga", abbreviation="TT")
    text = as_user(bappeda).get(reverse("admin:musrenbang_agency_changelist")).content.decode()
    assert "Dinas Milik Kami" in text
    assert "Dinas Tetangga" not in text


def test_bappeda_cannot_open_other_regency_row(as_user, bappeda, other_regency):
    other = AgencyFactory(regency=other_regency, abbreviation="TT")
    url = reverse("admin:musrenbang_agency_change", args=[other.pk])
    response = as_user(bappeda).get(url)
    assert response.status_code in (302, 403, 404)
    assert Agency.objects.get(pk=other.pk).regency == other_regency


def test_bappeda_add_form_offers_only_own_regency(as_user, bappeda, regency, other_regency):
    text = as_user(bappeda).get(reverse("admin:musrenbang_agency_add")).content.decode()
    assert regency.name in text
    assert other_regency.name not in text


def test_bappeda_creates_agency_in_own_regency(as_user, bappeda, regency, other_regency):
    client = as_user(bappeda)
    response = client.post(
        reverse("admin:musrenbang_agency_add"),
        {
            "regency": other_regency.pk,
            "name": "Dinas Curang",
            "abbreviation": "DC",
            "is_active": "on",
        },
    )
    assert response.status_code == 200  # form error: that kabupaten is not a valid choice
    assert not Agency.objects.filter(abbreviation="DC").exists()
    client.post(
        reverse("admin:musrenbang_agency_add"),
        {"regency": regency.pk, "name": "Dinas Baru", "abbreviation": "DB", "is_active": "on"},
    )
    assert Agency.objects.get(abbreviation="DB").regency == regency


@pytest.mark.parametrize("persona", ["camat", "clerk", "operator", "opd_reader"])
def test_other_roles_cannot_enter_admin(request, as_user, persona):
    user = request.getfixturevalue(persona)
    response = as_user(user).get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_bappeda_user_list_hides_other_regency(as_user, bappeda, outside_bappeda, camat):
    text = as_user(bappeda).get(reverse("admin:musrenbang_user_changelist")).content.decode()
    assert "camat" in text
    assert "outside_bappeda" not in text


def test_admin_in_indonesian(as_user, bappeda):
    text = as_user(bappeda).get(reverse("admin:index")).content.decode()
    assert "Administrasi Bappeda" in text
    assert "Perangkat daerah (OPD)" in text or "perangkat daerah (OPD)" in text.lower()


def test_user_role_must_have_its_place(db):
    from django.core.exceptions import ValidationError

    user = User(username="x", role=Role.CAMAT)
    with pytest.raises(ValidationError) as error:
        user.full_clean(exclude=["password"])
    assert "kecamatan" in str(error.value)


def test_user_places_are_derived_from_the_village(village):
    user = UserFactory(username="op", role=Role.OPERATOR, village=village)
    assert user.subdistrict == village.subdistrict
    assert user.regency == village.subdistrict.regency

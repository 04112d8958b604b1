import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_public_and_indonesian(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Kata sandi" in response.content.decode()


def test_login_with_wrong_password_says_so_in_indonesian(client, camat):
    response = client.post(reverse("login"), {"username": "camat", "password": "salah"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()


def test_login_then_dashboard(client, camat, year):
    response = client.post(
        reverse("login"), {"username": "camat", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert "Kecamatan Sukamaju" in response.content.decode()


def test_repeated_failures_lock_the_login_with_an_indonesian_message(client, camat, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "camat", "password": "salah"})
    response = client.post(reverse("login"), {"username": "camat", "password": PASSWORD})
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in response.content.decode()


def test_logout_needs_post(as_user, camat):
    client = as_user(camat)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302

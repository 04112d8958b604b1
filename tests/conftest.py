"""Personas shared by every test: two kabupaten, two kecamatan, two desa and one of each role.

- ``regency`` (Kabupaten A) with kecamatan ``subdistrict`` (A1) holding desa ``village``
  (A1-a) and ``other_village`` (A1-b), and a second kecamatan ``other_subdistrict`` (A2)
  with desa ``far_village``.
- ``other_regency`` (Kabupaten B) with its own kecamatan.
- Users: ``camat`` and ``clerk`` of A1, ``other_clerk`` of A2, ``operator`` of A1-a,
  ``other_operator`` of A1-b, ``bappeda`` of A, ``outside_bappeda`` of B, ``opd_reader``
  of A's PUPR, ``no_role`` (logged in, no role).
"""

import os

import pytest

from tests import factories as f

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def regency(db):
    return f.RegencyFactory(code="91.01", name="Kabupaten Contoh")


@pytest.fixture
def other_regency(db):
    return f.RegencyFactory(code="92.02", name="Kota Lain")


@pytest.fixture
def year(regency):
    return f.PlanningYearFactory(regency=regency, year=2027)


@pytest.fixture
def subdistrict(regency):
    return f.SubdistrictFactory(regency=regency, code="91.01.01", name="Sukamaju")


@pytest.fixture
def other_subdistrict(regency):
    return f.SubdistrictFactory(regency=regency, code="91.01.02", name="Sukamundur")


@pytest.fixture
def outside_subdistrict(other_regency):
    return f.SubdistrictFactory(regency=other_regency, code="92.02.01", name="Jauh")


@pytest.fixture
def village(subdistrict):
    return f.VillageFactory(subdistrict=subdistrict, code="91.01.01.2001", name="Mekar")


@pytest.fixture
def other_village(subdistrict):
    return f.VillageFactory(subdistrict=subdistrict, code="91.01.01.2002", name="Sari")


@pytest.fixture
def far_village(other_subdistrict):
    return f.VillageFactory(subdistrict=other_subdistrict, code="91.01.02.2001", name="Jaya")


@pytest.fixture
def sector(regency):
    return f.SectorFactory(regency=regency, name="Sarana dan Prasarana")


@pytest.fixture
def agency(regency):
    return f.AgencyFactory(
        regency=regency, name="Dinas Pekerjaan Umum dan Penataan Ruang", abbreviation="PUPR"
    )


@pytest.fixture
def camat(subdistrict):
    return f.UserFactory(username="camat", role="camat", subdistrict=subdistrict)


@pytest.fixture
def clerk(subdistrict):
    return f.UserFactory(username="clerk", role="staf", subdistrict=subdistrict)


@pytest.fixture
def other_clerk(other_subdistrict):
    return f.UserFactory(username="other_clerk", role="staf", subdistrict=other_subdistrict)


@pytest.fixture
def operator(village):
    return f.UserFactory(username="operator", role="operator", village=village)


@pytest.fixture
def other_operator(other_village):
    return f.UserFactory(username="other_operator", role="operator", village=other_village)


@pytest.fixture
def bappeda(regency):
    return f.UserFactory(username="bappeda", role="bappeda", regency=regency)


@pytest.fixture
def outside_bappeda(other_regency):
    return f.UserFactory(username="outside_bappeda", role="bappeda", regency=other_regency)


@pytest.fixture
def opd_reader(agency):
    return f.UserFactory(username="opd_reader", role="opd", agency=agency)


@pytest.fixture
def no_role(db):
    return f.UserFactory(username="no_role", role="")


@pytest.fixture
def as_user(client):
    """Return a function that logs the test client in as a user and returns the client."""

    def login(user):
        client.force_login(user, backend="musrenbang.auth.PlacesBackend")
        return client

    return login


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Fragments are cached by version keys; each test starts from an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def worker_process(transactional_db):
    """A real ``manage.py db_worker`` beside the test, stopped at its end (document jobs)."""
    from tests.reports.job_helpers import start_worker, stop_worker

    process = start_worker()
    yield process
    stop_worker(process)

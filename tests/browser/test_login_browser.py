"""A real headless Chromium logs in and sees the kecamatan dashboard."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_camat_logs_in_and_sees_the_dashboard(live_server, page, camat, year, village):
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()
    page.get_by_label("Nama pengguna").fill("camat")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Kecamatan Sukamaju")).to_be_visible()
    expect(page.get_by_text("Desa dan kelurahan")).to_be_visible()
    # Bootstrap's CSS came from the app itself: the navbar is styled.
    assert page.evaluate("getComputedStyle(document.querySelector('nav')).display") == "flex"
    page.screenshot(path=_artifact("dashboard-camat.png"), full_page=True)


def _artifact(name: str) -> str:
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return str(folder / name)

"""A bad filter value in the address bar: the list still shows, with an Indonesian notice."""

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_a_bad_filter_is_ignored_with_a_notice(live_server, page, clerk, year, village, width):
    f.ProposalFactory(village=village, year=year.year, status="diajukan", title="Drainase RT 03")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/")
    page.get_by_label("Nama pengguna").fill("clerk")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.goto(f"{live_server.url}/usulan/masuk/?desa=%C2%B2&opd=abc&q=drainase")
    expect(page.get_by_text("Nilai tidak valid untuk desa, OPD diabaikan.")).to_be_visible()
    expect(page.get_by_text("Drainase RT 03")).to_be_visible()
    page.screenshot(path=_artifact(f"filter-ignored-{width}.png"), full_page=True)


def _artifact(name: str) -> str:
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return str(folder / name)

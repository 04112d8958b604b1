"""Small helpers of the journey test: people log in through the form, artifacts are saved."""

import subprocess
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.factories import PASSWORD

VIEWPORT = {"width": 1280, "height": 800}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def artifact_path(name: str) -> str:
    ARTIFACTS.mkdir(exist_ok=True)
    return str(ARTIFACTS / f"journey-{name}")


def artifact(name: str) -> str:
    return artifact_path(f"{name}.png")


def shot(page: Page, name: str, *, full_page: bool = False) -> None:
    """Save what the person sees (the 1280x800 viewport unless ``full_page``)."""
    page.screenshot(path=artifact(name), full_page=full_page)


def log_in(page: Page, base: str, username: str) -> Page:
    """Log in through the login form; every confirmation dialog of the person is accepted."""
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{base}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    return page


def person(browser: Browser, base: str, username: str) -> Page:
    """A fresh browser (own cookies) for one person, logged in."""
    context = browser.new_context(viewport=VIEWPORT, locale="id-ID", accept_downloads=True)
    return log_in(context.new_page(), base, username)


def pdf_text(path: str | Path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_first_page_png(path: str | Path, name: str) -> str:
    """Render page 1 of a PDF at 60 dpi into the artifacts (``pdftoppm -png -r 60``)."""
    target = ARTIFACTS / f"journey-{name}"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(path),
         str(target)],
        check=True,
    )  # fmt: skip
    return f"{target}.png"

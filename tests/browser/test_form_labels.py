"""Every form field of the main pages has an accessible label and no id is used twice.

Checked in Chromium: for each page the fields (input, select, textarea; not hidden or buttons)
are collected, ids must be unique on the page, each field must have a label (``<label for>``,
a wrapping label, ``aria-label`` or ``aria-labelledby``), and Playwright's ``get_by_label``
must find a field by that label, as a screen reader user or a test would.
"""

import pytest
from django.test import Client
from django.urls import reverse

from proposals.models import Status
from tests import factories as f
from tests.reports.factories import sent_forum

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIELDS_JS = """
() => {
  const skip = new Set(["hidden", "submit", "button", "reset", "image"]);
  const fields = [...document.querySelectorAll("input, select, textarea")]
    .filter((el) => !skip.has(el.type));
  const ids = [...document.querySelectorAll("[id]")].map((el) => el.id);
  const duplicates = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  const labels = [];
  const unlabelled = [];
  for (const el of fields) {
    let text = "";
    if (el.labels && el.labels.length) text = el.labels[0].textContent;
    if (!text.trim()) text = el.getAttribute("aria-label") || "";
    const by = el.getAttribute("aria-labelledby");
    if (!text.trim() && by) {
      text = by.split(/\\s+/).map((i) => document.getElementById(i)?.textContent || "").join(" ");
    }
    text = text.replace(/\\s+/g, " ").replace(/\\*/g, "").trim();
    if (text) labels.push(text);
    else unlabelled.push(el.outerHTML.slice(0, 160));
  }
  return { count: fields.length, duplicates, labels, unlabelled };
}
"""


def _session(live_server, browser, user):
    """A browser context logged in as ``user`` (the session cookie of a forced login)."""
    client = Client()
    client.force_login(user, backend="musrenbang.auth.PlacesBackend")
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host,
          "path": "/"}]
    )  # fmt: skip
    return context.new_page()


def _check(page, url: str, problems: list) -> int:
    response = page.goto(url)
    assert response.status == 200, url
    found = page.evaluate(FIELDS_JS)
    problems += [(url, "duplicate id", d) for d in found["duplicates"]]
    problems += [(url, "no label", field) for field in found["unlabelled"]]
    for label in set(found["labels"]):
        if page.get_by_label(label).count() < 1:
            problems.append((url, "get_by_label finds nothing", label))
    return found["count"]


def test_every_field_of_the_main_pages_is_labelled_once(
    live_server, browser, year, subdistrict, other_subdistrict, village, far_village, agency,
    camat, clerk, operator, bappeda, opd_reader,
):  # fmt: skip
    running = sent_forum(subdistrict, villages=[village], state="berlangsung").forum
    sent = sent_forum(other_subdistrict, villages=[far_village]).forum
    other_camat = f.UserFactory(username="camat2", role="camat", subdistrict=other_subdistrict)
    draft = f.ProposalFactory(village=village, status=Status.DRAFT, village_rank=1)
    submitted = f.ProposalFactory(village=village, status=Status.SUBMITTED, village_rank=2)
    base = live_server.url
    pages = {
        None: [reverse("login"), reverse("proposals:track_form")],
        operator: [
            reverse("proposals:village_list"),
            reverse("proposals:create"),
            reverse("proposals:detail", args=[draft.pk]),
            reverse("proposals:edit", args=[draft.pk]),
        ],
        clerk: [
            reverse("proposals:incoming"),
            reverse("proposals:detail", args=[submitted.pk]),
            reverse("proposals:create"),
            reverse("proposals:rekap"),
            reverse("proposals:import"),
            *(
                reverse(f"forum:{name}", args=[running.pk])
                for name in (
                    "detail",
                    "edit",
                    "agenda",
                    "commissions",
                    "participants",
                    "attendance",
                    "verification",
                    "addition",
                    "delegates",
                )
            ),  # fmt: skip
        ],
        camat: [
            reverse("scoring:criteria", args=[running.pk]),
            reverse("scoring:sheet", args=[running.pk]),
            reverse("scoring:results", args=[running.pk]),
        ],
        other_camat: [reverse("reports:forum", args=[sent.pk])],
        bappeda: [reverse("reports:overview", args=[subdistrict.regency.code])],
        opd_reader: [reverse("scoring:agency_priorities")],
    }
    checked, problems = 0, []
    for user, urls in pages.items():
        if user is None:
            page = browser.new_context(locale="id-ID").new_page()
        else:
            page = _session(live_server, browser, user)
        for url in urls:
            checked += _check(page, base + url, problems)
        page.context.close()
    assert not problems, "\n".join(map(str, problems))
    assert checked > 50

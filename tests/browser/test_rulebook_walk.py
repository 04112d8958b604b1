"""Every control a page shows, the rule book allows: each role walks the main pages per phase.

One kecamatan has a forum in each phase (persiapan 2027, berlangsung 2026, terkirim 2025, sent
through the services with ``tests.forums.send``). The camat, a staff member, a desa operator,
an OPD reader, Bappeda and a superuser open the forum's pages (home, attendance, agenda,
commissions, verification, delegates, scoring sheet, results, documents) and the proposal
pages in Chromium. On every page each submit control of a ``form[method=post]`` is collected
with the permission its template declares (``data-perm`` and ``data-perm-obj`` on the form or
the button) and checked in Python: the permission is a rule of the rule book and
``user.has_perm(perm, obj)`` and the rule itself (``rules.has_perm``) are True for that user
and object. A post control without
``data-perm`` fails too, so a new form cannot slip past the walk. Buttons that only work in
the page (``type="button"``: collapse, print, copy) and GET forms (filters) are not actions.
"""

import pytest
import rules
from django.test import Client
from django.urls import reverse

from musrenbang.models import Subdistrict
from musrenbang.rulebook import RULES
from proposals.models import Proposal
from sessions.models import Forum
from tests import factories as f
from tests.reports.factories import sent_forum

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The logout form of the navigation bar is not an action of the rule book.
NOT_ACTIONS = ("/keluar/",)

CONTROLS_JS = """
() => {
  const found = [];
  const controls = document.querySelectorAll(
    "button:not([type=button]):not([type=reset]), input[type=submit], input[type=image]"
  );
  for (const el of controls) {
    const form = el.form;
    if (!form || (form.getAttribute("method") || "get").toLowerCase() !== "post") continue;
    const action = el.getAttribute("formaction") || form.getAttribute("action") || "";
    found.push({
      action,
      perm: el.dataset.perm || form.dataset.perm || "",
      obj: el.dataset.permObj ?? form.dataset.permObj ?? "",
      label: (el.getAttribute("aria-label") || el.textContent || el.value || "").trim(),
    });
  }
  return found;
}
"""

FORUM_PAGES = [
    ("forum:detail", "pk"),
    ("forum:attendance", "pk"),
    ("forum:agenda", "pk"),
    ("forum:commissions", "pk"),
    ("forum:verification", "pk"),
    ("forum:delegates", "pk"),
    ("scoring:sheet", "pk"),
    ("scoring:results", "pk"),
    ("reports:forum", "pk"),
]


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
    return context


def _object(reference: str):
    """The object a control's permission is asked on: ``forum:<pk>``, ``proposal:<pk>``,
    ``subdistrict:<pk>``, ``probe:<village pk>:<year>`` (a desa's year) or nothing."""
    if not reference:
        return None
    kind, _, rest = reference.partition(":")
    if kind == "forum":
        return Forum.objects.select_related("subdistrict").get(pk=int(rest))
    if kind == "proposal":
        return Proposal.objects.select_related("subdistrict", "village").get(pk=int(rest))
    if kind == "subdistrict":
        return Subdistrict.objects.get(pk=int(rest))
    if kind == "probe":
        from musrenbang.models import Village
        from proposals.services._common import _probe

        village_pk, year = rest.split(":")
        village = Village.objects.select_related("subdistrict").get(pk=int(village_pk))
        return _probe(subdistrict=village.subdistrict, village=village, year=int(year))
    raise AssertionError(f"unknown data-perm-obj {reference!r}")


def refused_controls(page, user, url: str) -> tuple[int, list]:
    """Return how many post controls ``url`` shows ``user`` and those the rule book refuses."""
    response = page.goto(url)
    if response.status != 200:  # a page the user may not open shows nothing
        return 0, []
    wrong = []
    controls = [c for c in page.evaluate(CONTROLS_JS) if c["action"] not in NOT_ACTIONS]
    for control in controls:
        where = (user.username, url, control["label"], control["action"])
        if not control["perm"]:
            wrong.append((*where, "no data-perm"))
        elif control["perm"] not in RULES:
            wrong.append((*where, f"{control['perm']} is not a rule of the rule book"))
        else:
            obj = _object(control["obj"])
            # The page's flags come from user.has_perm; the rule itself must agree (a
            # superuser's has_perm must not say yes where the service's rule says no).
            if not (
                user.has_perm(control["perm"], obj) and rules.has_perm(control["perm"], user, obj)
            ):
                wrong.append((*where, f"refused by {control['perm']} on {control['obj']!r}"))
    return len(controls), wrong


@pytest.fixture
def forums(subdistrict, village, other_village, camat, agency):
    """One kecamatan, a forum in each phase, and a draft proposal of the desa this year."""
    regency = subdistrict.regency
    for year in (2025, 2026, 2027):
        f.PlanningYearFactory(regency=regency, year=year)
    villages = [village, other_village]
    sent = sent_forum(subdistrict, villages=villages, year=2025).forum
    running = sent_forum(subdistrict, villages=villages, year=2026, state="berlangsung").forum
    preparing = f.ForumFactory(subdistrict=subdistrict, year=2027)
    f.ProposalFactory(village=village, year=2027, status="terverifikasi", title="Posyandu")
    f.ProposalFactory(village=village, year=2027, status="draft", title="Drainase RT 02")
    f.ProposalFactory(village=village, year=2027, status="diajukan", title="Lampu jalan")
    assert [x.state for x in (preparing, running, sent)] == [
        Forum.State.PREPARATION, Forum.State.RUNNING, Forum.State.SENT,
    ]  # fmt: skip
    return {"persiapan": preparing, "berlangsung": running, "terkirim": sent}


def _pages(forums) -> list[str]:
    pages = [
        reverse(name, kwargs={arg: forum.pk})
        for forum in forums.values()
        for name, arg in FORUM_PAGES
    ]
    for forum in forums.values():
        proposal = Proposal.objects.filter(year=forum.year).order_by("pk").first()
        pages.append(reverse("proposals:detail", args=[proposal.pk]))
    for proposal in Proposal.objects.filter(year=2027, village__isnull=False).order_by("pk"):
        pages.append(reverse("proposals:detail", args=[proposal.pk]))
    pages += [
        reverse("proposals:village_list") + "?tahun=2027",
        reverse("proposals:incoming") + "?tahun=2027",
        reverse("forum:index"),
    ]
    return pages


def test_every_role_sees_only_controls_the_rule_book_allows(
    live_server, browser, forums, camat, clerk, operator, opd_reader, bappeda
):
    superuser = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    people = [camat, clerk, operator, opd_reader, bappeda, superuser]
    pages = _pages(forums)
    wrong, shown = [], {}
    for user in people:
        context = _session(live_server, browser, user)
        page = context.new_page()
        shown[user.username] = 0
        for path in pages:
            count, refused = refused_controls(page, user, live_server.url + path)
            shown[user.username] += count
            wrong += refused
        context.close()
    assert not wrong, "\n".join(map(str, wrong))
    # The walk saw the kecamatan's controls (it would pass vacuously on empty pages).
    assert shown["camat"] > 20 and shown["clerk"] > 10 and shown["operator"] > 0, shown

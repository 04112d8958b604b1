"""Every named URL of the project, walked as every role, against the access rules of the issues.

Roles: anonymous, operator of desa A1-a (``op_a``) and A1-b (``op_b``), staff of kecamatan A1
(``staff1``) and A2 (``staff2``), the camat of A1, the OPD reader of Kabupaten A's PUPR, the
Bappeda admin of Kabupaten B (``bappeda_b``) and of A (``bappeda``). The objects are those of
``world`` (tests/security/conftest.py): A1's sent forum and A1-a's draft proposal.

Outcome classes: ``ok`` (2xx, or a redirect not to the login page; for actions 200/302/400),
``denied`` (403 or 404), ``login`` (302 to the login page), ``public`` (ok for everybody).
A URL name missing from EXPECTATIONS fails ``test_every_url_has_an_expectation``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ["anon", "op_a", "op_b", "staff1", "staff2", "camat", "opd", "bappeda_b", "bappeda"]
LOGGED_IN = set(ROLES) - {"anon"}

# Who may do what, from issues 3-6.
KEC = {"staff1", "camat"}  # kecamatan A1 records
CAMAT = {"camat"}  # the camat leads/decides
KEC_READ = KEC | {"bappeda"}  # kecamatan A1 and Bappeda of its kabupaten read
FORUM_SEE = KEC_READ | {"op_a", "op_b", "opd"}  # issue 4: desa operators and OPD readers see
PROPOSAL_SEE = {"op_a"} | KEC_READ  # issue 3: the desa, its kecamatan, Bappeda
PROPOSAL_ACT = {"op_a"} | KEC  # the desa operator edits its own; the kecamatan may add/edit
OPERATORS = {"op_a", "op_b"}
KEC_USERS = {"staff1", "staff2", "camat"}  # pages scoped to the user's own kecamatan


@dataclass
class Expect:
    method: str
    args: Callable = lambda w: []
    ok: set = field(default_factory=set)
    public: bool = False
    anon: str = "login"
    xfail: dict = field(default_factory=dict)  # role -> reason (a bug in the app code)
    data: Callable = lambda w: {}

    def outcome(self, role: str) -> str:
        if self.public:
            return "ok"
        if role == "anon":
            return self.anon
        return "ok" if role in self.ok else "denied"


def get(ok, args=lambda w: [], **kw):
    return Expect("GET", args, set(ok), **kw)


def post(ok, args=lambda w: [], **kw):
    return Expect("POST", args, set(ok), **kw)


def public(method="GET", args=lambda w: []):
    return Expect(method, args, public=True)


F = lambda w: [w.forum.pk]  # noqa: E731
P = lambda w: [w.draft.pk]  # noqa: E731

EXPECTATIONS = {
    # --- core ---
    "home": get(LOGGED_IN),
    "health": public(),
    "login": public(),
    "logout": Expect("POST", ok=set(), anon="login"),  # special-cased below
    "subdistrict_dashboard": get(KEC_READ, lambda w: [w.subdistrict.code]),
    "village_dashboard": get({"op_a"} | KEC_READ, lambda w: [w.village.code]),
    "regency_dashboard": get({"bappeda"}, lambda w: [w.regency.code]),
    "agency_dashboard": get({"opd"}),
    "kamus_search": get(LOGGED_IN),  # issue 14: every role searches its own kabupaten's kamus
    # --- proposals (issue 3) ---
    "proposals:village_list": get(OPERATORS),
    "proposals:submit_all": post(OPERATORS),
    "proposals:carry_over": post(OPERATORS),
    "proposals:create": get(OPERATORS | KEC_USERS),
    "proposals:detail": get(PROPOSAL_SEE, P),
    "proposals:edit": get(PROPOSAL_ACT, P),
    "proposals:submit": post(PROPOSAL_ACT, P),
    "proposals:receive": post(KEC, P),
    "proposals:verify": post(KEC, P),
    "proposals:return": post(KEC, P),
    "proposals:reject": post(KEC, P),
    "proposals:move": post(PROPOSAL_ACT, lambda w: [w.draft.pk, "naik"]),
    "proposals:receipt": get(PROPOSAL_SEE, P),
    "proposals:attachment_add": post(PROPOSAL_ACT, P),
    "proposals:attachment": get(PROPOSAL_SEE, lambda w: [w.attachment.pk]),
    "proposals:attachment_delete": post(PROPOSAL_ACT, lambda w: [w.attachment.pk]),
    "proposals:incoming": get(KEC_USERS),
    "proposals:export": get(KEC_USERS),
    "proposals:bulk": post(KEC_USERS),
    "proposals:rekap": get(KEC_USERS),
    "proposals:import": get(KEC_USERS),
    "proposals:import_template": get(KEC_USERS),
    "proposals:import_sipd": get(KEC_USERS),
    # The error list of the user's own last import (in the session): without one, 404 for all.
    "proposals:import_errors": get(set()),
    "proposals:track_form": public(),
    "proposals:track": public(args=lambda w: [w.draft.tracking_code]),
    # --- forum (issue 4): kecamatan records, camat leads, operators and OPD only see ---
    # A list scoped to the user (test_the_forum_index_lists_only_the_users_forums below).
    "forum:index": get(LOGGED_IN),
    "forum:create": post(KEC_USERS),
    "forum:detail": get(FORUM_SEE, F),
    "forum:edit": get(KEC, F),
    "forum:guideline_upload": post(KEC, F),
    "forum:guideline_download": get(FORUM_SEE, F),
    "forum:team_add": post(KEC, F),
    "forum:team_remove": post(KEC, lambda w: [w.forum.pk, w.team_member.pk]),
    "forum:agenda": get(FORUM_SEE, F),
    "forum:agenda_template": post(KEC, F),
    "forum:agenda_add": post(KEC, F),
    "forum:agenda_edit": post(KEC, lambda w: [w.forum.pk, w.agenda_item.pk]),
    "forum:agenda_delete": post(KEC, lambda w: [w.forum.pk, w.agenda_item.pk]),
    "forum:agenda_start": post(KEC, lambda w: [w.forum.pk, w.agenda_item.pk]),
    "forum:agenda_end": post(KEC, lambda w: [w.forum.pk, w.agenda_item.pk]),
    "forum:commissions": get(FORUM_SEE, F),
    "forum:commissions_by_sector": post(KEC, F),
    "forum:commission_add": post(KEC, F),
    "forum:commission_delete": post(KEC, lambda w: [w.forum.pk, w.commission.pk]),
    "forum:commission_notes": post(KEC, lambda w: [w.forum.pk, w.commission.pk]),
    "forum:commission_ranks": post(KEC, lambda w: [w.forum.pk, w.commission.pk]),
    "forum:item_move": post(KEC, lambda w: [w.forum.pk, w.items[0].pk]),
    "forum:item_shift": post(KEC, lambda w: [w.forum.pk, w.items[0].pk, "naik"]),
    "forum:load_data": post(KEC, F),
    "forum:start": post(CAMAT, F),
    "forum:participants": get(FORUM_SEE, F),
    "forum:participant_add": get(KEC, F),
    "forum:participant_edit": get(KEC, lambda w: [w.forum.pk, w.participants[0].pk]),
    "forum:participant_delete": post(KEC, lambda w: [w.forum.pk, w.participants[0].pk]),
    "forum:participants_import": post(KEC, F),
    "forum:participants_template": get(KEC, F),
    "forum:attendance": get(KEC, F),
    "forum:attendance_search": get(KEC, F),
    "forum:attendance_counts": get(FORUM_SEE, F),
    "forum:attendance_walk_in": post(KEC, F),
    "forum:attendance_mark": post(KEC, lambda w: [w.forum.pk, w.participants[-1].pk]),
    "forum:verification": get(FORUM_SEE, F),
    "forum:item_verify": post(KEC, lambda w: [w.forum.pk, w.items[0].pk]),
    "forum:addition": get(KEC, F),
    "forum:delegates": get(FORUM_SEE, F),
    "forum:delegates_elect": post(CAMAT, F),
    "forum:projector": get(FORUM_SEE, F),
    "forum:projector_body": get(FORUM_SEE, F),
    # --- scoring (issue 5): kecamatan and Bappeda read, camat manages, OPD only its own ---
    "scoring:entry": get(KEC_READ, lambda w: [w.subdistrict.code]),
    "scoring:entry_results": get(KEC_READ, lambda w: [w.subdistrict.code]),
    "scoring:criteria": get(KEC_READ, F),
    "scoring:criteria_copy": post(CAMAT, F),
    "scoring:criterion_add": post(CAMAT, F),
    "scoring:criterion_weight": post(CAMAT, lambda w: [w.criterion.pk]),
    "scoring:criterion_remove": post(CAMAT, lambda w: [w.criterion.pk]),
    "scoring:scorer_add": post(CAMAT, F),
    "scoring:scorer_remove": post(CAMAT, lambda w: [w.scorer.pk]),
    "scoring:sheet": get(KEC_READ, F),
    "scoring:score_cell": post(
        KEC, F, data=lambda w: {"item": w.items[0].pk, "criterion": w.criterion.pk, "value": 3}
    ),
    "scoring:development_priority": post(CAMAT, F, data=lambda w: {"item": w.items[0].pk}),
    "scoring:compute": post(CAMAT, F),
    "scoring:results": get(KEC_READ, F),
    "scoring:results_xlsx": get(KEC_READ, F),
    "scoring:apply_ceiling": post(CAMAT, F),
    "scoring:decide": post(CAMAT, lambda w: [w.results[0].pk]),
    "scoring:undo": post(CAMAT, lambda w: [w.results[0].pk]),
    "scoring:set_agency": post(CAMAT, lambda w: [w.results[0].pk]),
    "scoring:move": post(CAMAT, lambda w: [w.results[0].pk]),
    "scoring:send": post(CAMAT, F),
    "scoring:agency_priorities": get({"opd", "bappeda", "bappeda_b"}),
    "scoring:agency_priorities_xlsx": get({"opd", "bappeda", "bappeda_b"}),
    # issue 10: a priority sent to PUPR opens for PUPR's reader and Bappeda of its kabupaten
    "scoring:agency_proposal": get({"opd", "bappeda"}, lambda w: [w.results[0].item.proposal_id]),
    # the world's attachment belongs to a draft nobody sent: no OPD page serves it
    "scoring:agency_attachment": get(set(), lambda w: [w.attachment.pk]),
    # --- reports (issue 6) ---
    "reports:subdistrict": get(KEC_READ, lambda w: [w.subdistrict.code]),
    "reports:forum": get(KEC_READ, F),
    "reports:document": get(KEC_READ, lambda w: [w.forum.pk, "daftar-hadir"]),
    "reports:finalize": post(CAMAT, F),
    "reports:upload": post(KEC, F),
    "reports:distribution": post(KEC, F),
    "reports:upload_download": get(KEC_READ, lambda w: [w.upload.pk]),
    "reports:distribution_receive": post(KEC, lambda w: [w.distribution.pk]),
    "reports:archived_download": get(KEC_READ, lambda w: [w.archived.code]),
    "reports:overview": get({"bappeda"}, lambda w: [w.regency.code]),
    "reports:overview_export": get({"bappeda"}, lambda w: [w.regency.code]),
    "reports:verify": public(args=lambda w: [w.archived.code]),
    # documents made by the worker: the job follows its document's permission
    "reports:job": get(KEC_READ, lambda w: [w.job.pk]),
    "reports:job_status": get(KEC_READ, lambda w: [w.job.pk]),
    "reports:job_download": get(KEC_READ, lambda w: [w.job.pk]),
    "reports:job_retry": post(KEC_READ, lambda w: [w.job.pk]),
    # --- SIPD bridge (issue 12); world's forum is running: ticks and workbook wait for sending
    "reports:sipd_start": get(KEC_USERS),
    "reports:sipd_worklist": get(KEC_READ, F),
    "reports:sipd_mark": post(KEC, lambda w: [w.forum.pk, w.items[0].proposal_id]),
    "reports:sipd_export": get(KEC_READ, F),
    "reports:sipd_reconcile": get(KEC_READ, F),
    "reports:sipd_reconcile_download": get(KEC_READ, lambda w: [w.forum.pk, w.sipd_record.pk]),
    # --- tindak lanjut (issue 15): the petugas OPD updates their agency's follow-ups ---
    "reports:followup_agency": get({"opd", "bappeda"}, lambda w: [w.agency.pk]),
    "reports:followup_worklist": get({"opd", "bappeda"}, lambda w: [w.agency.pk]),
    "reports:followup_worklist_upload": post({"opd"}, lambda w: [w.agency.pk]),
    "reports:followup_worklist_errors": get(set(), lambda w: [w.agency.pk]),  # no upload yet
    "reports:followup_subdistrict": get(KEC_READ, lambda w: [w.subdistrict.code]),
    "reports:followup_detail": get({"opd"} | KEC_READ, lambda w: [w.followup.pk]),
    "reports:followup_move": post({"opd"}, lambda w: [w.followup.pk]),
    "reports:milestone_add": post({"opd"}, lambda w: [w.followup.pk]),
    "reports:milestone_file": public(args=lambda w: [w.milestone_file.pk]),
    "reports:report_card": public(args=lambda w: [w.subdistrict.code, w.forum.year]),
    "reports:report_card_csv": public(args=lambda w: [w.subdistrict.code, w.forum.year]),
    "reports:report_card_json": public(args=lambda w: [w.subdistrict.code, w.forum.year]),
}


def url_names(resolver=None, namespace="") -> set[str]:
    """Every named pattern of the project, with its namespaces (the admin excluded)."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_url_has_an_expectation():
    missing = url_names() - set(EXPECTATIONS)
    assert not missing, f"URL tanpa harapan akses: {sorted(missing)}"
    stale = set(EXPECTATIONS) - url_names()
    assert not stale, f"harapan untuk URL yang tidak ada: {sorted(stale)}"


def classify(response, method: str) -> str:
    login = resolve_url(settings.LOGIN_URL)
    status = response.status_code
    if status in (301, 302, 303):
        location = response.headers.get("Location", "")
        return "login" if location.split("?")[0] == login else "ok"
    if status in (403, 404):
        return "denied"
    if 200 <= status < 300 or (method == "POST" and status == 400):
        return "ok"
    return f"status {status}"


def _cases():
    for name, expect in sorted(EXPECTATIONS.items()):
        marks = []
        if expect.xfail:
            reasons = "; ".join(
                f"{', '.join(r for r, w in expect.xfail.items() if w == why)}: {why}"
                for why in dict.fromkeys(expect.xfail.values())
            )
            marks = [pytest.mark.xfail(strict=True, reason=f"BUG: {reasons}")]
        yield pytest.param(name, id=name, marks=marks)


def _walk(client, world, name: str, roles: list[str]) -> dict:
    expect = EXPECTATIONS[name]
    url = reverse(name, args=expect.args(world))
    # Forbidden roles first, the permitted ones last: an allowed action cannot disturb a check.
    ordered = sorted(roles, key=lambda r: expect.outcome(r) == "ok")
    wrong = {}
    for role in ordered:
        client.logout()
        if world.users[role] is not None:
            client.force_login(world.users[role], backend="musrenbang.auth.PlacesBackend")
        call = client.post if expect.method == "POST" else client.get
        response = call(url, expect.data(world))
        got = classify(response, expect.method)
        want = expect.outcome(role)
        if name == "logout":
            want = "login"  # everybody ends on the login page
        if got != want:
            wrong[role] = f"{got} (expected {want}, HTTP {response.status_code})"
    return wrong


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(_cases()))
def test_url_as_every_role(client, world, name):
    wrong = _walk(client, world, name, [r for r in ROLES if r not in EXPECTATIONS[name].xfail])
    assert not wrong, f"{name}: {wrong}"
    xfail_roles = list(EXPECTATIONS[name].xfail)
    if xfail_roles:
        wrong = _walk(client, world, name, xfail_roles)
        assert not wrong, f"{name}: {wrong}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("anon", "bappeda", "bappeda_b")])
def test_the_django_admin_is_closed_to_everybody_but_bappeda(client, world, role):
    client.force_login(world.users[role], backend="musrenbang.auth.PlacesBackend")
    for url in (reverse("admin:index"), reverse("admin:forum_forum_changelist")):
        response = client.get(url)
        assert response.status_code == 302, (url, response.status_code)
        assert response.headers["Location"].startswith(reverse("admin:login"))
    assert client.get(reverse("admin:forum_forum_change", args=[world.forum.pk])).status_code in (
        302,
        403,
        404,
    )


@pytest.mark.django_db
def test_anonymous_is_sent_to_the_login_of_the_admin(client, world):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_bappeda_of_another_kabupaten_cannot_open_the_forum_in_the_admin(client, world):
    client.force_login(world.users["bappeda_b"], backend="musrenbang.auth.PlacesBackend")
    response = client.get(reverse("admin:forum_forum_change", args=[world.forum.pk]))
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:  # Django's "does not exist" redirect to the admin index
        assert response.headers["Location"] == reverse("admin:index")
    listing = client.get(reverse("admin:forum_forum_changelist")).content.decode()
    assert world.subdistrict.name not in listing


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["op_a", "op_b", "staff2", "opd", "bappeda_b"])
def test_the_forum_index_lists_only_the_forums_the_user_may_see(client, world, role):
    client.force_login(world.users[role], backend="musrenbang.auth.PlacesBackend")
    html = client.get(reverse("forum:index")).content.decode()
    url = reverse("forum:detail", args=[world.forum.pk])
    visible = EXPECTATIONS["forum:detail"].outcome(role) == "ok"
    assert (url in html) == visible

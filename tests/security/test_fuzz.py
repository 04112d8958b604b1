"""Fuzz every named URL with malformed input: never a 500, never a write behind an error.

What is walked is derived, not listed, so a new URL or field is covered without editing this
file:

- the URLs are every named pattern of the URL conf (``url_names``), each requested as one of
  the roles its row in ``EXPECTATIONS`` (test_url_walk.py) allows, with that row's arguments;
  pages linked from the walked pages add variants of a URL with other text arguments (the
  document slugs ``dsp-opd``, ``daftar-usulan``, ...);
- the query parameters and form fields are those the view actually reads: a first "baseline"
  request records every key looked up in ``request.GET`` / ``request.POST``; the fields of the
  HTML forms rendered on the walked pages are added to the URL they submit to (with their
  rendered values as the baseline, so one field at a time is bad); field names carrying an id
  (``urutan_12``) are also tried with a bad id in the name;
- the path arguments of each URL are replaced by the same bad values.

Every request runs in a savepoint that is rolled back, on one shared world (A1's forum: its
pages are discovered while sent and while running, everything is fuzzed while running), so
the requests are independent and the test takes a few minutes. A request fails
when it answers 5xx (or raises), or when it wrote to the database (insert, update or delete,
read from ``pg_stat_xact_user_tables``) while answering an error (4xx, an error message or a
form with errors).
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from django.contrib import messages
from django.db import connection, transaction
from django.forms import BaseForm
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils.datastructures import MultiValueDict

from tests.security.test_url_walk import EXPECTATIONS, url_names

MISSING = object()
BAD_VALUES = {
    "NUL": "1\x00",
    "superscript two": "²",
    "abc": "abc",
    "negative": "-1",
    "huge": "9" * 40,
    "10000 chars": "7" * 10_000,
    "quotes and HTML": "'\"><b>x</b>",
    "missing": MISSING,
}
# Preferred role for a URL: the first of these its expectation allows.
ROLE_ORDER = ["camat", "staff1", "op_a", "bappeda", "opd", "bappeda_b", "op_b", "staff2"]
# Written on every request by design, not by the view: sessions and login throttling.
IGNORED_TABLES = ("django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog")


@dataclass
class Target:
    """One URL to fuzz: its name, the role, the path, its arguments and the data it reads."""

    name: str
    role: str
    method: str
    path: str
    args: list
    baseline: dict = field(default_factory=dict)
    keys: set = field(default_factory=set)


class _Forms(HTMLParser):
    """Collect the forms of a page (action, method, fields with their first value) and links."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, str, dict]] = []
        self.links: set[str] = set()
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.add(a["href"])
        elif tag == "form":
            self._form = (a.get("action") or "", (a.get("method") or "get").lower(), {})
            self.forms.append(self._form)
        elif self._form is not None and a.get("name"):
            fields = self._form[2]
            if tag == "input" and a.get("type") == "file":
                return
            if tag == "select":
                self._select = a["name"]
                fields.setdefault(a["name"], "")
            elif tag in ("input", "textarea", "button"):
                if a.get("type") in ("checkbox", "radio") and a["name"] in fields:
                    return
                fields.setdefault(a["name"], a.get("value") or "")
        elif tag == "option" and self._select and self._form is not None:
            fields = self._form[2]
            if not fields.get(self._select) and a.get("value"):
                fields[self._select] = a["value"]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


class _KeyRecorder:
    """Record the keys a view looks up in any QueryDict (request.GET / request.POST)."""

    def __init__(self, monkeypatch):
        self.seen: dict[int, set] = {}
        recorder = self
        for method in ("__getitem__", "get", "getlist", "__contains__"):
            original = getattr(MultiValueDict, method)

            def spy(self, key, *args, _original=original, **kwargs):
                recorder.seen.setdefault(id(self), set()).add(key)
                return _original(self, key, *args, **kwargs)

            monkeypatch.setattr(MultiValueDict, method, spy)

    def keys_of(self, querydict) -> set:
        return {k for k in self.seen.get(id(querydict), set()) if isinstance(k, str)}


def _role(expect) -> str | None:
    if expect.public:
        return "anon"
    return next((r for r in ROLE_ORDER if r in expect.ok), None)


def _writes() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
            " WHERE relname <> ALL(%s)",
            [list(IGNORED_TABLES)],
        )
        return dict(cursor.fetchall())


def _is_error(response) -> bool:
    if response.status_code >= 400:
        return True
    # Only the messages this request added (older ones wait in the client's cookie).
    storage = getattr(getattr(response, "wsgi_request", None), "_messages", None)
    if any(m.level >= messages.ERROR for m in getattr(storage, "_queued_messages", [])):
        return True
    contexts = response.context or []
    if not isinstance(contexts, list):
        contexts = [contexts]
    for context in contexts:
        for value in context.flatten().values():
            if isinstance(value, BaseForm) and value.is_bound and value.errors:
                return True
    return False


class Fuzzer:
    def __init__(self, clients, recorder):
        self.clients = clients
        self.recorder = recorder
        self.failures: list[str] = []
        self.requests = 0

    def send(self, target: Target, path: str, data: dict, label: str):
        """One request inside a savepoint that is always rolled back; record a failure."""
        client = self.clients[target.role]
        self.requests += 1
        sid = transaction.savepoint()
        try:
            before = _writes()
            try:
                if target.method == "POST":
                    response = client.post(path, data)
                else:
                    response = client.get(path, data)
            except Exception as error:  # noqa: BLE001  (a 500 in the test client)
                self.failures.append(f"{label}: 500 ({type(error).__name__}: {str(error)[:120]})")
                return None
            if response.status_code >= 500:
                self.failures.append(f"{label}: HTTP {response.status_code}")
            elif _is_error(response):
                after = _writes()
                changed = sorted(t for t, n in after.items() if n != before.get(t, 0))
                if changed:
                    self.failures.append(
                        f"{label}: HTTP {response.status_code} (an error) but wrote to {changed}"
                    )
            return response
        finally:
            transaction.savepoint_rollback(sid)
            connection.needs_rollback = False

    def baseline(self, target: Target):
        """Send the valid request once, recording the keys the view reads."""
        self.recorder.seen.clear()
        response = self.send(target, target.path, target.baseline, self._label(target, "-", "-"))
        if response is not None and hasattr(response, "wsgi_request"):
            request = response.wsgi_request
            source = request.POST if target.method == "POST" else request.GET
            target.keys |= self.recorder.keys_of(source)
        return response

    def _label(self, target, parameter, value_name) -> str:
        return (
            f"{target.name} [{target.method} {target.path[:80]} as {target.role}] "
            f"parameter {parameter!r} = {value_name}"
        )

    def fuzz(self, target: Target):
        for key in sorted(target.keys):
            for value_name, value in BAD_VALUES.items():
                data = dict(target.baseline)
                if value is MISSING:
                    data.pop(key, None)
                else:
                    data[key] = value
                self.send(target, target.path, data, self._label(target, key, value_name))
            # An id inside a field name (urutan_12): the same name with a bad id.
            match = re.fullmatch(r"(.*?)(\d+)", key)
            if match:
                for value_name in ("superscript two", "huge", "NUL"):
                    data = dict(target.baseline)
                    data[match.group(1) + BAD_VALUES[value_name]] = data.pop(key, "1")
                    label = self._label(target, f"{match.group(1)}<id> in the name", value_name)
                    self.send(target, target.path, data, label)
        for position in range(len(target.args)):
            for value_name, value in BAD_VALUES.items():
                if value is MISSING:
                    continue
                path = _replace_arg(target.path, target.args, position, value)
                if path is None:
                    continue
                label = self._label(target, f"path argument {position + 1}", value_name)
                self.send(target, path, target.baseline, label)


def _replace_arg(path: str, args: list, position: int, value: str) -> str | None:
    """Replace the ``position``-th argument's segment (args appear in order in the path)."""
    start = 0
    for index, arg in enumerate(args):
        segment = f"/{quote(str(arg))}/"
        found = path.find(segment, start)
        if found < 0:
            return None
        if index == position:
            return path[:found] + f"/{quote(value, safe='')}/" + path[found + len(segment) :]
        start = found + len(segment) - 1
    return None


def _resolve(href: str, base: str):
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("#"):
        return None
    path = parts.path or base
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match, path


def _variant(name: str, args: list) -> tuple:
    """A URL with other text arguments (a document slug) is another page; other ids are not."""
    return (name, *(str(a) for a in args if not str(a).isdigit()))


def _discover(fuzzer: Fuzzer, targets: dict, forms: dict) -> None:
    """Request every page (GET) once; collect its forms and the pages it links to."""
    pages = [t for t in targets.values() if t.method == "GET"]
    seen = {_variant(t.name, t.args) for t in pages}
    while pages:
        target = pages.pop(0)
        response = fuzzer.baseline(target)
        if response is None or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Forms()
        parser.feed(response.content.decode(errors="replace"))
        for action, method, fields in parser.forms:
            found = _resolve(action, target.path)
            if found:
                forms.setdefault(found[1], []).append((method, fields))
        get_actions = {a or target.path for a, method, _ in parser.forms if method == "get"}
        for href in sorted(parser.links | get_actions):
            found = _resolve(href, target.path)
            if not found or not found[0].url_name:
                continue
            match, path = found
            name = ":".join([*match.namespaces, match.url_name])
            args = list(match.args) + list(match.kwargs.values())
            expect = EXPECTATIONS.get(name)
            if not expect or expect.method != "GET" or _variant(name, args) in seen:
                continue
            seen.add(_variant(name, args))
            if (name, path) not in targets:
                targets[(name, path)] = Target(name, target.role, "GET", path, args)
                pages.append(targets[(name, path)])


@pytest.mark.django_db
def test_no_url_answers_500_or_writes_behind_an_error_on_malformed_input(world, monkeypatch):
    clients = {}
    for role, user in world.users.items():
        clients[role] = Client()
        if user is not None:
            clients[role].force_login(user, backend="musrenbang.auth.PlacesBackend")
    fuzzer = Fuzzer(clients, _KeyRecorder(monkeypatch))

    targets: dict[tuple, Target] = {}
    for name in sorted(url_names()):
        expect = EXPECTATIONS.get(name)
        role = _role(expect) if expect else None
        if role is None:
            continue
        args = list(expect.args(world))
        path = reverse(name, args=args)
        targets[(name, path)] = Target(name, role, expect.method, path, args, expect.data(world))

    # 1. The pages, with A1's forum sent (the final documents' forms show), then running
    #    again, the state in which every action can be reached and is fuzzed.
    forms: dict[str, list[tuple[str, dict]]] = {}
    _discover(fuzzer, targets, forms)
    type(world.forum).objects.filter(pk=world.forum.pk).update(state="berlangsung")
    _discover(fuzzer, targets, forms)

    # 2. Forms submitting to a page's own URL are fuzzed as POST too.
    for (name, path), target in list(targets.items()):
        if target.method == "GET" and any(m == "post" for m, _ in forms.get(path, [])):
            targets[(name, path, "POST")] = Target(name, target.role, "POST", path, target.args)

    # 3. Every target: rendered fields as baseline, record what it reads, then fuzz.
    for target in targets.values():
        method = target.method.lower()
        for form_method, fields in forms.get(target.path, []):
            if form_method == method:
                target.keys |= set(fields)
                target.baseline = {**fields, **target.baseline}
        if target.method == "POST":
            fuzzer.baseline(target)
        fuzzer.fuzz(target)

    print(f"fuzz: {len(targets)} targets, {fuzzer.requests} requests")
    assert not fuzzer.failures, (
        f"{len(fuzzer.failures)} malformed requests broke the product:\n"
        + "\n".join(fuzzer.failures)
    )

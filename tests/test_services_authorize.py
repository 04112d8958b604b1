"""Every service that writes checks its actor against the rule book, once, at its start.

A public function of a services module that takes an ``actor`` must call ``authorize`` (or
``forum_action`` / ``forum_transition``, which authorize) itself, or call a function of the
same module that does (``proposal_submit`` -> ``_transition``). Read with ``ast``, so a new
service without its check fails here, whoever forgets it.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("musrenbang", "proposals", "sessions", "scoring", "reports")
CHECKS = {"authorize", "forum_action", "forum_transition"}


def _service_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "migrations" in parts:
                continue
            if path.stem.endswith("services") or "services" in parts[:-1]:
                yield path


def _called_names(node) -> set[str]:
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            func = call.func
            if isinstance(func, ast.Name):
                names.add(func.id)
            elif isinstance(func, ast.Attribute):
                names.add(func.attr)
    return names


def _unchecked(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    calls = {name: _called_names(node) for name, node in functions.items()}
    checked = {name for name, names in calls.items() if names & CHECKS}
    grew = True
    while grew:  # a function that calls a checked function of the module is checked
        new = {n for n, names in calls.items() if n not in checked and names & checked}
        checked |= new
        grew = bool(new)
    missing = []
    for name, node in functions.items():
        args = [a.arg for a in node.args.args + node.args.kwonlyargs]
        if not name.startswith("_") and "actor" in args and name not in checked:
            missing.append(f"{path.relative_to(ROOT)}::{name}")
    return missing


def test_every_writing_service_authorizes_its_actor():
    missing = [name for path in _service_modules() for name in _unchecked(path)]
    assert missing == []


def test_the_check_finds_a_service_without_authorize(tmp_path):
    module = tmp_path / "services.py"
    module.write_text(
        "def thing_delete(*, actor, thing):\n    thing.delete()\n\n"
        "def thing_save(*, actor, thing):\n    _save(actor=actor, thing=thing)\n\n"
        "def _save(*, actor, thing):\n    authorize(actor, 'x.save', thing)\n",
        encoding="utf-8",
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert _unchecked(module) == ["services.py::thing_delete"]
    finally:
        ROOT = saved

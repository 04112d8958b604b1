"""No template references an external host: the hall may have no internet."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)
CSS_IMPORT = re.compile(r"""(?:@import|url\()\s*["']?(?:https?:)?//""", re.IGNORECASE)


def _files(*patterns):
    for folder in ("templates", "static"):
        for pattern in patterns:
            yield from (ROOT / folder).rglob(pattern)


def test_templates_load_nothing_from_another_host():
    offenders = [
        str(path.relative_to(ROOT))
        for path in _files("*.html")
        if EXTERNAL.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_stylesheets_import_nothing_from_another_host():
    offenders = [
        str(path.relative_to(ROOT))
        for path in _files("*.css")
        if CSS_IMPORT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_check_itself_catches_a_cdn_link():
    assert EXTERNAL.search('<script src="https://cdn.jsdelivr.net/npm/bootstrap.js">')
    assert EXTERNAL.search("<link href='//fonts.googleapis.com/css'>")
    assert not EXTERNAL.search('<a href="/static/x.css">')

"""Numbers the Indonesian way on every page and export header: ``50,0%``, ``1,5``, never ``1.5``.

Walks every GET page of the URL walk (tests/security) as a role that may open it, over a world
whose weights, totals and shares have decimals, and reads the visible text and the header rows
of every workbook.
"""

import re
from decimal import Decimal
from html.parser import HTMLParser
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from musrenbang import formatting
from reports import documents
from scoring.models import Criterion, Result
from tests.reports.conftest import pdf_text  # noqa: F401  (the PDF text helper)
from tests.security.conftest import world  # noqa: F401  (the rich world of the URL walk)
from tests.security.test_url_walk import EXPECTATIONS

pytestmark = pytest.mark.django_db

# An English decimal: 1.5, 85.25, 50.0% (not 1.250.000, not the time 09.30, not a code 32.01.05,
# not the licence "CC BY 4.0" of the open data nor its address .../by/4.0/).
ENGLISH = re.compile(r"(?<!kode )(?<!CC BY )(?<![\d./])(?![0-2]\d\.[0-5]\d\b)\d+\.\d{1,2}(?![\d.])")
# Files people uploaded are served as they are; a document job's file is served as the worker
# stored it (the documents themselves are checked below, where they are made).
STORED_FILES = {
    "forum:guideline_download",
    "reports:job_download",
    "proposals:attachment",
    "reports:archived_download",
    "reports:upload_download",
}
PREFERENCE = ["camat", "staff1", "bappeda", "op_a", "opd"]


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in {"script", "style"}
        for name, value in attrs:  # what a person reads: titles and labels
            if name in {"title", "aria-label", "placeholder"} and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        self._skip -= tag in {"script", "style"}

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def _decimal_world(w):
    Criterion.objects.filter(pk=w.criterion.pk).update(weight=Decimal("1.5"))
    Result.objects.filter(pk=w.results[0].pk).update(total=Decimal("85.25"))


def _pages():
    for name, expect in EXPECTATIONS.items():
        if expect.method == "GET" and (expect.ok or expect.public) and name not in STORED_FILES:
            yield name


@pytest.mark.parametrize("name", sorted(_pages()))
def test_every_page_prints_numbers_the_indonesian_way(client, world, pdf_text, name):  # noqa: F811
    _decimal_world(world)
    expect = EXPECTATIONS[name]
    role = next((r for r in PREFERENCE if r in expect.ok), "camat")
    client.force_login(world.users[role], backend="musrenbang.auth.PlacesBackend")
    response = client.get(reverse(name, args=expect.args(world)), follow=True)
    if response.status_code != 200:
        pytest.skip(f"{name}: {response.status_code}")
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        content = b"".join(response.streaming_content) if response.streaming else response.content
        workbook = load_workbook(BytesIO(content), read_only=True)
        texts = [
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(max_row=12, values_only=True)
            for cell in row
            if isinstance(cell, str)
        ]
        text = " | ".join(texts)
    elif "html" in kind:
        text = _visible(response.content.decode())
    elif "pdf" in kind:
        content = b"".join(response.streaming_content) if response.streaming else response.content
        text = pdf_text(content)
    else:
        pytest.skip(kind)
    _assert_indonesian(text)


def _assert_indonesian(text: str) -> None:
    found = [text[max(0, m.start() - 60) : m.end() + 20] for m in ENGLISH.finditer(text)]
    assert not found, found


@pytest.mark.parametrize("slug", sorted(documents.KINDS))
def test_every_document_prints_numbers_the_indonesian_way(world, pdf_text, slug):  # noqa: F811
    _decimal_world(world)
    _assert_indonesian(pdf_text(documents.render(slug, world.forum).content))


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(50, 1, "50,0%"), (Decimal("37.5"), 1, "37,5%"), (12.346, 2, "12,35%"), (None, 1, "-")],
)
def test_percent_helper(value, decimals, expected):
    assert formatting.percent(value, decimals) == expected


def test_number_helper_with_fixed_decimals():
    assert formatting.number(2, 2, fixed=True) == "2,00"
    assert formatting.number(Decimal("1250.5"), 2, fixed=True) == "1.250,50"

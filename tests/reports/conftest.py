"""Fixtures of the reports tests: a sent forum of the persona kecamatan, PDF text helper."""

import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.reports.factories import sent_forum


@pytest.fixture
def sent(subdistrict, village, other_village, year, camat):
    return sent_forum(subdistrict, villages=[village, other_village])


@pytest.fixture
def pdf_text():
    """Return a function turning PDF bytes into their text (``pdftotext``, whitespace collapsed)."""

    def extract(content: bytes) -> str:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "doc.pdf"
            path.write_bytes(content)
            result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
        return " ".join(result.stdout.decode().split())

    return extract

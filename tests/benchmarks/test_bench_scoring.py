"""bench_scoring measures on throwaway data and leaves nothing behind."""

from io import StringIO

import pytest
from django.core.management import call_command

from proposals.models import Proposal
from sessions.models import Forum

pytestmark = pytest.mark.django_db


def test_bench_reports_the_targets_and_rolls_back():
    out, err = StringIO(), StringIO()
    call_command("bench_scoring", items=5, criteria=2, scorers=2, stdout=out, stderr=err)
    assert err.getvalue() == ""  # every request answered 200
    text = out.getvalue()
    assert "Hitung" in text and "Simpan satu sel" in text and "Halaman results" in text
    assert "dibatalkan" in text
    assert not Forum.objects.filter(year=2099).exists()
    assert not Proposal.objects.filter(reference__startswith="UJI-KECEPATAN/").exists()

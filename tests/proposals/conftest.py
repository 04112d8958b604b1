import pytest

from tests import factories as f


@pytest.fixture
def make_proposal(village, sector, year):
    """Build a proposal of ``village`` (or another desa) in a given status."""

    def make(status="draft", village=village, **kwargs):
        kwargs.setdefault("sector", sector)
        return f.ProposalFactory(village=village, status=status, **kwargs)

    return make


@pytest.fixture
def data(sector, agency):
    return {
        "title": "Pembangunan drainase lingkungan",
        "problem": "Genangan saat hujan",
        "location": "RT 01 / RW 02",
        "volume": 120,
        "unit": "meter",
        "cost": 90_000_000,
        "sector": sector,
        "suggested_agency": agency,
    }

import pytest

from tests import factories as f
from tests.sessions.factories import running


@pytest.fixture
def forum(subdistrict, year, village):
    """A running forum of the kecamatan (the pages of the forum day)."""
    return running(f.ForumFactory(subdistrict=subdistrict, year=2027))

import pytest
from django.db import transaction

from proposals.codes import TRACKING_ALPHABET, new_tracking_code, next_reference
from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def test_tracking_code_uses_unambiguous_characters():
    code = new_tracking_code()
    assert len(code) == 8
    assert set(code) <= set(TRACKING_ALPHABET)
    assert not set(code) & set("01OIL")


def test_reference_numbers_count_up_per_kecamatan_and_year(village):
    with transaction.atomic():
        first = next_reference(subdistrict=village.subdistrict, year=2027)
    assert first == "2027/91.01.01/0001"
    ProposalFactory(village=village, reference=first)
    with transaction.atomic():
        assert next_reference(subdistrict=village.subdistrict, year=2027) == "2027/91.01.01/0002"
        assert next_reference(subdistrict=village.subdistrict, year=2028) == "2028/91.01.01/0001"


def test_reference_numbers_keep_counting_past_9999(village):
    ProposalFactory(village=village, reference="2027/91.01.01/9999")
    with transaction.atomic():
        assert next_reference(subdistrict=village.subdistrict, year=2027) == "2027/91.01.01/10000"
    ProposalFactory(village=village, reference="2027/91.01.01/10000")
    with transaction.atomic():
        assert next_reference(subdistrict=village.subdistrict, year=2027) == "2027/91.01.01/10001"

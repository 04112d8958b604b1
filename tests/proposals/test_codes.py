import threading
import time

import pytest
from django.db import connection, transaction

from proposals.codes import (
    TRACKING_ALPHABET,
    new_tracking_code,
    next_number,
    next_reference,
    next_register_number,
)
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


def test_register_numbers_use_the_same_routine(village):
    ProposalFactory(village=village, register_number="REG/2027/91.01.01/9999")
    ProposalFactory(village=village, register_number="REG-MANUAL-7")  # typed by hand: ignored
    with transaction.atomic():
        assert next_register_number(subdistrict=village.subdistrict, year=2027) == (
            "REG/2027/91.01.01/10000"
        )
        assert next_register_number(subdistrict=village.subdistrict, year=2028) == (
            "REG/2028/91.01.01/0001"
        )


def test_next_number_takes_field_prefix_and_width(village):
    ProposalFactory(village=village, reference="X/7")
    with transaction.atomic():
        assert (
            next_number(subdistrict=village.subdistrict, field="reference", prefix="X/", width=2)
            == "X/08"
        )


@pytest.mark.django_db(transaction=True)
def test_two_clerks_numbering_at_once_get_different_numbers(village):
    """The kecamatan row lock serializes numbering: the second waits for the first's commit."""
    subdistrict = village.subdistrict
    started, numbers, errors = threading.Barrier(2), [], []

    def create() -> None:
        try:
            started.wait()
            with transaction.atomic():
                reference = next_reference(subdistrict=subdistrict, year=2027)
                time.sleep(0.2)  # hold the lock while the other thread asks
                ProposalFactory(village=village, reference=reference)
                numbers.append(reference)
        except Exception as error:  # reported below: a thread cannot fail the test itself
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(numbers) == ["2027/91.01.01/0001", "2027/91.01.01/0002"]

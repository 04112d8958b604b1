"""The public tracking poll's marks run as a prepared statement outside transactions."""

import pytest
from django.db import connection, transaction

from musrenbang.db import _PREPARED, is_prepared
from proposals import selectors
from proposals.models import Proposal


@pytest.mark.django_db(transaction=True)
def test_marks_prepared_survive_a_reset_session(make_proposal):
    proposal = make_proposal()
    code = Proposal.objects.get(pk=proposal.pk).tracking_code
    first = selectors.tracking_marks(code)
    assert first[0] == proposal.pk
    assert is_prepared(selectors._tracking_marks_sql())
    with connection.cursor() as cursor:  # what a pooler's reset does
        cursor.execute("DEALLOCATE ALL")
    assert selectors.tracking_marks(code) == first  # prepared again, same answer
    fresh = Proposal.objects.get(pk=proposal.pk)
    fresh.title = "Judul baru"
    fresh.save()
    assert selectors.tracking_marks(code) != first  # plans see new data
    assert selectors.tracking_marks("TIDAK-ADA") is None


@pytest.mark.django_db(transaction=True)
def test_marks_inside_a_transaction_use_the_plain_statement(make_proposal):
    proposal = make_proposal()
    code = Proposal.objects.get(pk=proposal.pk).tracking_code
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DEALLOCATE ALL")
        _PREPARED.pop(connection.connection, None)
        assert selectors.tracking_marks(code)[0] == proposal.pk
        assert not is_prepared(selectors._tracking_marks_sql())

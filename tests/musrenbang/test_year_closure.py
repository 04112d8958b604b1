"""The kamus year closes when a forum is sent, asked through the master data's registry.

Master data imports no workflow app (tests/test_layers.py): the forum app registers its answer
in ``musrenbang.year_closure`` and ``musrenbang.manage_kamus`` reads it from there.
"""

import pytest

from musrenbang import year_closure
from musrenbang.kamus_services import KamusYear
from sessions.selectors import regency_year_sent
from tests import factories as f


def test_the_forum_app_registers_its_answer():
    assert regency_year_sent in year_closure._SENT_CHECKS


def test_no_registered_answer_leaves_the_year_open(monkeypatch):
    monkeypatch.setattr(year_closure, "_SENT_CHECKS", [])
    assert year_closure.year_sent(regency_id=1, year=2027) is False


def test_any_registered_answer_closes_the_year(monkeypatch):
    monkeypatch.setattr(year_closure, "_SENT_CHECKS", [])
    year_closure.register_sent_check(lambda *, regency_id, year: False)
    year_closure.register_sent_check(lambda *, regency_id, year: (regency_id, year) == (7, 2027))
    assert year_closure.year_sent(regency_id=7, year=2027) is True
    assert year_closure.year_sent(regency_id=7, year=2028) is False
    assert year_closure.year_sent(regency_id=None, year=2027) is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "year", "may_manage"),
    [
        ("persiapan", 2027, True),
        ("berlangsung", 2027, True),
        ("terkirim", 2027, False),
        ("terkirim", 2026, True),  # another year's sent forum closes only its own year
    ],
)
def test_bappeda_manages_the_kamus_until_a_forum_of_the_year_is_sent(
    regency, subdistrict, bappeda, state, year, may_manage
):
    f.ForumFactory(subdistrict=subdistrict, year=year, state=state)
    assert bappeda.has_perm("musrenbang.manage_kamus", KamusYear(regency.pk, 2027)) is may_manage

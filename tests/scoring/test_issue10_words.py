"""Words of the scoring pages a new user trips over (issue 10): the reserve decision, the
confirmations, the refusal of "Kirim ke OPD", the default criteria template, and the regional
development priority shown whole in the ranking."""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from musrenbang.exceptions import DomainError
from proposals.models import Proposal
from scoring import services
from scoring.models import CriteriaTemplate, Result
from tests import factories as f
from tests.scoring.factories import forum_with_items, score_all

pytestmark = pytest.mark.django_db

LONG_PRIORITY = (
    "Peningkatan kualitas infrastruktur dasar, konektivitas antarwilayah perdesaan dan "
    "perkotaan serta ketahanan terhadap bencana"
)


@pytest.fixture
def computed(subdistrict, camat, agency, regency):
    forum, items, crits = forum_with_items(subdistrict, items=3, criteria=(1,))
    priority = f.DevelopmentPriorityFactory(regency=regency, name=LONG_PRIORITY)
    Proposal.objects.filter(pk=items[0].proposal_id).update(development_priority=priority)
    score_all(items, crits, camat, value=lambda i, c: 5 - items.index(i))
    services.forum_compute(forum=forum, actor=camat)
    return forum


def _form(text: str, action: str) -> str:
    """The opening tag of the form posting to ``action``."""
    match = re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>', text)
    assert match, action
    return match.group(0)


def test_the_reserve_decision_speaks_of_cadangan(as_user, camat, computed):
    result = Result.objects.order_by("rank").last()
    text = as_user(camat).get(reverse("scoring:results", args=[computed.pk])).content.decode()
    assert '<summary class="btn btn-sm btn-outline-warning">Cadangan</summary>' in text
    assert "Non-prioritas</summary>" not in text
    assert "Alasan cadangan" in text
    forms = re.findall(
        rf'<form[^>]*action="{reverse("scoring:decide", args=[result.pk])}"[^>]*>', text
    )
    reserve = [tag for tag in forms if "cadangan" in tag]
    assert reserve and "prioritas ini" not in reserve[0]


def test_undoing_a_decision_asks_for_confirmation(as_user, camat, computed):
    result = Result.objects.order_by("rank").first()
    services.result_decide(result=result, decision="prioritas", actor=camat)
    text = as_user(camat).get(reverse("scoring:results", args=[computed.pk])).content.decode()
    assert "data-confirm=" in _form(text, reverse("scoring:undo", args=[result.pk]))


def test_returning_to_the_desa_asks_for_confirmation(as_user, clerk, village):
    proposal = f.ProposalFactory(village=village, status="diajukan")
    text = as_user(clerk).get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert "data-confirm=" in _form(text, reverse("proposals:return", args=[proposal.pk]))


def test_the_send_refusal_names_the_blocking_proposals(camat, computed):
    first, second, third = Result.objects.order_by("rank").select_related("item__proposal")
    services.result_decide(result=first, decision="prioritas", actor=camat)
    Result.objects.filter(pk=first.pk).update(responsible_agency=None)
    with pytest.raises(DomainError) as refused:
        services.forum_send(forum=computed, actor=camat)
    message = str(refused.value)
    undecided = re.search(r"belum diputuskan[^:]*: ([^.]*)\.", message).group(1)
    assert set(undecided.split(", ")) == {
        second.item.proposal.reference,
        third.item.proposal.reference,
    }
    assert f"belum mempunyai OPD: {first.item.proposal.reference}." in message


def test_the_results_page_lists_the_blocking_proposals(as_user, camat, computed):
    text = as_user(camat).get(reverse("scoring:results", args=[computed.pk])).content.decode()
    for result in Result.objects.select_related("item__proposal"):
        assert result.item.proposal.reference in text.split("Kirim ke OPD</h2>")[1]


def test_the_ranking_shows_the_development_priority_whole(as_user, camat, computed):
    text = as_user(camat).get(reverse("scoring:results", args=[computed.pk])).content.decode()
    assert f"Prioritas daerah: {LONG_PRIORITY}</div>" in text


def test_the_default_template_is_not_named_after_a_kabupaten(regency):
    template = services.template_get_default(regency=regency, year=2027)
    assert "Langkat" not in template.name
    assert template.name == "Kriteria skoring bawaan"
    assert "Langkat" in template.description
    assert template.criteria.count() == 8


def test_the_migration_renames_existing_default_templates(regency, other_regency):
    migration = importlib.import_module("scoring.migrations.0005_criteria_template_description")
    old = CriteriaTemplate.objects.create(
        regency=regency, year=2027, name="Kriteria skoring bawaan (Langkat)"
    )
    own = CriteriaTemplate.objects.create(regency=other_regency, year=2027, name="Kriteria kota")
    migration.rename_default_templates(apps, None)
    old.refresh_from_db()
    own.refresh_from_db()
    assert old.name == "Kriteria skoring bawaan"
    assert "Langkat" in old.description
    assert (own.name, own.description) == ("Kriteria kota", "")


def test_copying_the_default_logs_a_neutral_name(camat, subdistrict):
    forum, _items, _crits = forum_with_items(subdistrict, items=1, criteria=())
    services.criteria_copy_from_template(forum=forum, actor=camat)
    event = forum.events.get(action="kriteria")
    assert "Langkat" not in event.detail

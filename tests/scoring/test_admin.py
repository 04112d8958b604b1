"""Bappeda keeps criteria templates in the admin; the forum's copy comes from them."""

import pytest
from django.urls import reverse

from scoring import services
from scoring.models import CriteriaTemplate
from sessions.models import Forum
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_bappeda_edits_the_template_that_forums_then_copy(as_user, bappeda, regency, camat):
    template = services.template_get_default(regency=regency, year=2027)
    first = template.criteria.first()
    url = reverse("admin:scoring_criteriatemplate_change", args=[template.pk])
    data = {
        "regency": regency.pk,
        "year": 2027,
        "name": template.name,
        "criteria-TOTAL_FORMS": 1,
        "criteria-INITIAL_FORMS": 1,
        "criteria-MIN_NUM_FORMS": 0,
        "criteria-MAX_NUM_FORMS": 1000,
        "criteria-0-id": first.pk,
        "criteria-0-template": template.pk,
        "criteria-0-order": 1,
        "criteria-0-name": "Keterdesakan",
        "criteria-0-description": "",
        "criteria-0-weight": "3",
        "criteria-0-scale_min": 1,
        "criteria-0-scale_max": 5,
        "criteria-0-levels": '{"1": "a", "2": "b", "3": "c", "4": "d", "5": "e"}',
    }
    response = as_user(bappeda).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    forum = f.ForumFactory(subdistrict=camat.subdistrict, state="berlangsung")
    criteria = services.criteria_copy_from_template(forum=forum, actor=camat)
    assert criteria[0].weight == 3 and criteria[0].levels["5"] == "e"
    assert Forum.objects.get(pk=forum.pk).criteria.count() == 8


def test_bappeda_of_another_regency_does_not_see_the_template(as_user, outside_bappeda, regency):
    template = services.template_get_default(regency=regency, year=2027)
    text = (
        as_user(outside_bappeda)
        .get(reverse("admin:scoring_criteriatemplate_changelist"))
        .content.decode()
    )
    assert template.name not in text
    assert CriteriaTemplate.objects.count() == 1


def test_admin_respects_the_criteria_freeze(as_user, bappeda, subdistrict, camat):
    forum = f.ForumFactory(subdistrict=subdistrict, state="berlangsung")
    criterion = f.CriterionFactory(forum=forum)
    f.ScoreFactory(item=f.ForumItemFactory(forum=forum), criterion=criterion, scorer=camat)
    url = reverse("admin:scoring_criterion_change", args=[criterion.pk])
    client = as_user(bappeda)
    assert b'name="_save"' not in client.get(url).content
    response = client.post(url, {"name": "Diubah", "weight": "9", "forum": forum.pk})
    assert response.status_code == 403
    criterion.refresh_from_db()
    assert criterion.name != "Diubah"

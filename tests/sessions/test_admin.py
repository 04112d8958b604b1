"""Admin of the forum: scoped to the Bappeda admin's kabupaten/kota, read-only once sent."""

import pytest
from django.urls import reverse

from sessions.models import AgendaTemplate, Participant
from tests import factories as f
from tests.sessions.factories import sent


@pytest.fixture
def forum(subdistrict, year):
    return f.ForumFactory(subdistrict=subdistrict, year=2027)


def test_bappeda_sees_only_forums_of_their_kabupaten(as_user, bappeda, forum, outside_subdistrict):
    f.ForumFactory(subdistrict=outside_subdistrict, year=2027)
    text = as_user(bappeda).get(reverse("admin:forum_forum_changelist")).content.decode()
    assert "Sukamaju" in text and "Jauh" not in text


def test_bappeda_cannot_open_participants_of_another_kabupaten(
    as_user, bappeda, outside_subdistrict
):
    other = f.ParticipantFactory(forum=f.ForumFactory(subdistrict=outside_subdistrict))
    response = as_user(bappeda).get(reverse("admin:forum_participant_change", args=[other.pk]))
    assert response.status_code in (302, 403, 404)


def test_rows_of_a_sent_forum_are_read_only_in_the_admin(as_user, bappeda, forum):
    participant = f.ParticipantFactory(forum=forum, name="Asli")
    sent(forum)
    client = as_user(bappeda)
    url = reverse("admin:forum_participant_change", args=[participant.pk])
    client.post(url, {"name": "Diubah", "gender": "L", "category": "tokoh", "forum": forum.pk})
    assert Participant.objects.get(pk=participant.pk).name == "Asli"
    response = client.post(reverse("admin:forum_participant_delete", args=[participant.pk]),
                           {"post": "yes"})  # fmt: skip
    assert response.status_code == 403
    assert Participant.objects.filter(pk=participant.pk).exists()


def test_forums_are_not_created_in_the_admin(as_user, bappeda):
    assert as_user(bappeda).get(reverse("admin:forum_forum_add")).status_code == 403


def test_bappeda_defines_its_own_agenda_template(as_user, bappeda, regency):
    client = as_user(bappeda)
    data = {
        "regency": regency.pk,
        "name": "Agenda Kabupaten Contoh",
        "is_default": "on",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-order": "1",
        "items-0-title": "Pembukaan",
        "items-0-planned_minutes": "10",
    }
    client.post(reverse("admin:forum_agendatemplate_add"), data)
    template = AgendaTemplate.objects.get(name="Agenda Kabupaten Contoh")
    assert template.items.get().title == "Pembukaan"


def test_the_national_default_template_is_read_only_for_bappeda(as_user, bappeda):
    national = AgendaTemplate.objects.get(regency=None, is_default=True)
    client = as_user(bappeda)
    url = reverse("admin:forum_agendatemplate_change", args=[national.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"name": "Diubah", "items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0"})
    national.refresh_from_db()
    assert national.name.startswith("Musrenbang Kecamatan")


def test_a_new_forum_uses_the_kabupaten_default_template(camat, regency, year):
    from sessions import services

    template = AgendaTemplate.objects.create(regency=regency, name="Lokal", is_default=True)
    template.items.create(order=1, title="Pembukaan", planned_minutes=10)
    forum = services.forum_create(actor=camat, subdistrict=camat.subdistrict, year=2027)
    assert list(forum.agenda.values_list("title", flat=True)) == ["Pembukaan"]


def test_bappeda_edits_the_forum_with_its_team_agenda_and_commissions(as_user, bappeda, forum):
    from tests.sessions.factories import AgendaItemFactory

    AgendaItemFactory(forum=forum, title="Pembukaan")
    response = as_user(bappeda).get(reverse("admin:forum_forum_change", args=[forum.pk]))
    assert response.status_code == 200
    assert "Pembukaan" in response.content.decode()
    assert "team-TOTAL_FORMS" in response.content.decode()

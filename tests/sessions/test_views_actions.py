"""Action views: happy paths, GET -> 405, anonymous -> login, wrong role -> 403, wrong state."""

import pytest
from django.urls import reverse

from musrenbang.models import Role
from sessions.models import Delegate, Forum, ForumEvent, Participant
from tests import factories as f
from tests.sessions.factories import AgendaItemFactory, present, running, sent


@pytest.fixture
def forum(subdistrict, year, sector):
    forum = f.ForumFactory(subdistrict=subdistrict, year=2027)
    f.CommissionFactory(forum=forum, sector=sector)
    return forum


def _actions(forum):
    item = AgendaItemFactory(forum=forum)
    commission = forum.commissions.first()
    forum_item = f.ForumItemFactory(forum=forum, commission=commission, commission_rank=1)
    participant = f.ParticipantFactory(forum=forum)
    return {
        "start": reverse("forum:start", args=[forum.pk]),
        "load_data": reverse("forum:load_data", args=[forum.pk]),
        "agenda_start": reverse("forum:agenda_start", args=[forum.pk, item.pk]),
        "agenda_end": reverse("forum:agenda_end", args=[forum.pk, item.pk]),
        "attendance_mark": reverse("forum:attendance_mark", args=[forum.pk, participant.pk]),
        "walk_in": reverse("forum:attendance_walk_in", args=[forum.pk]),
        "verify": reverse("forum:item_verify", args=[forum.pk, forum_item.pk]),
        "shift": reverse("forum:item_shift", args=[forum.pk, forum_item.pk, "naik"]),
        "move": reverse("forum:item_move", args=[forum.pk, forum_item.pk]),
        "notes": reverse("forum:commission_notes", args=[forum.pk, commission.pk]),
        "elect": reverse("forum:delegates_elect", args=[forum.pk]),
        "team_add": reverse("forum:team_add", args=[forum.pk]),
        "commission_add": reverse("forum:commission_add", args=[forum.pk]),
        "import": reverse("forum:participants_import", args=[forum.pk]),
        "participant_delete": reverse("forum:participant_delete", args=[forum.pk, participant.pk]),
    }


ACTIONS = [
    "start", "load_data", "agenda_start", "agenda_end", "attendance_mark", "walk_in", "verify",
    "shift", "move", "notes", "elect", "team_add", "commission_add", "import",
    "participant_delete",
]  # fmt: skip
CAMAT_ONLY = {"start", "elect"}


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_refuse_get(as_user, camat, forum, action):
    url = _actions(forum)[action]
    assert as_user(camat).get(url).status_code == 405


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_send_anonymous_visitors_to_login(client, forum, action):
    url = _actions(forum)[action]
    response = client.post(url)
    assert response.status_code == 302 and "/masuk/" in response["Location"]


@pytest.mark.parametrize(
    "persona", ["operator", "opd_reader", "bappeda", "other_clerk", "outside_bappeda", "no_role"]
)
@pytest.mark.parametrize("action", ACTIONS)
def test_actions_refuse_other_roles(request, as_user, forum, action, persona):
    url = _actions(forum)[action]
    response = as_user(request.getfixturevalue(persona)).post(url)
    assert response.status_code == 403
    assert not ForumEvent.objects.exists()


@pytest.mark.parametrize("action", sorted(CAMAT_ONLY))
def test_staff_cannot_start_or_elect(as_user, clerk, forum, action):
    url = _actions(forum)[action]
    assert as_user(clerk).post(url).status_code == 403


def test_camat_starts_the_forum_from_its_page(as_user, camat, forum):
    response = as_user(camat).post(reverse("forum:start", args=[forum.pk]), follow=True)
    forum.refresh_from_db()
    assert forum.state == Forum.State.RUNNING
    assert "Forum dimulai" in response.content.decode()


def test_attendance_before_start_shows_a_message_and_changes_nothing(as_user, clerk, forum):
    p = f.ParticipantFactory(forum=forum)
    response = as_user(clerk).post(
        reverse("forum:attendance_mark", args=[forum.pk, p.pk]), follow=True
    )
    p.refresh_from_db()
    assert p.present_at is None
    assert "hanya dapat dilakukan saat forum berlangsung" in response.content.decode()


def test_attendance_click_with_htmx_returns_the_row(as_user, clerk, forum):
    p = f.ParticipantFactory(forum=forum, name="Siti Rahma")
    running(forum)
    response = as_user(clerk).post(
        reverse("forum:attendance_mark", args=[forum.pk, p.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "attendance-changed"
    assert "Hadir" in response.content.decode() and "Siti Rahma" in response.content.decode()
    p.refresh_from_db()
    assert p.present_at is not None


def test_walk_in_form_registers_and_marks_present(as_user, clerk, forum, village):
    running(forum)
    data = {"baru-name": "Tamu Baru", "baru-gender": "P", "baru-category": "delegasi",
            "baru-village": village.pk}  # fmt: skip
    as_user(clerk).post(reverse("forum:attendance_walk_in", args=[forum.pk]), data)
    person = Participant.objects.get(name="Tamu Baru")
    assert person.walk_in and person.present_at


def test_camat_elects_delegates_by_vote_from_the_form(as_user, camat, forum):
    a, b = present(forum, 2)
    running(forum)
    data = {"body": "forum_pd", "method": "voting", "calon": [a.pk, b.pk],
            f"suara_{a.pk}": "3", f"suara_{b.pk}": "5"}  # fmt: skip
    response = as_user(camat).post(
        reverse("forum:delegates_elect", args=[forum.pk]), data, follow=True
    )
    assert [d.participant for d in Delegate.objects.filter(elected=True)] == [b, a]
    assert "Delegasi Forum Perangkat Daerah" in response.content.decode()


def test_sent_forum_refuses_actions_with_a_message(as_user, clerk, forum):
    p = f.ParticipantFactory(forum=forum)
    sent(forum)
    response = as_user(clerk).post(
        reverse("forum:attendance_mark", args=[forum.pk, p.pk]), follow=True
    )
    assert "Forum sudah dikirim ke OPD" in response.content.decode()
    p.refresh_from_db()
    assert p.present_at is None


@pytest.mark.parametrize("persona", ["operator", "opd_reader", "bappeda"])
def test_readers_see_the_forum_but_not_the_record_pages(request, as_user, forum, persona):
    client = as_user(request.getfixturevalue(persona))
    assert client.get(reverse("forum:detail", args=[forum.pk])).status_code == 200
    assert client.get(reverse("forum:projector", args=[forum.pk])).status_code == 200
    assert client.get(reverse("forum:attendance", args=[forum.pk])).status_code == 403
    assert client.get(reverse("forum:edit", args=[forum.pk])).status_code == 403


@pytest.mark.parametrize("persona", ["other_clerk", "outside_bappeda", "no_role"])
def test_outsiders_cannot_see_the_forum(request, as_user, forum, persona):
    client = as_user(request.getfixturevalue(persona))
    assert client.get(reverse("forum:detail", args=[forum.pk])).status_code == 403


def test_forum_menu_creates_this_years_forum(as_user, clerk, year, sector):
    client = as_user(clerk)
    response = client.get(reverse("forum:index"))
    assert "Buat forum 2027" in response.content.decode()
    response = client.post(reverse("forum:create"), {"tahun": "2027"})
    forum = Forum.objects.get()
    assert response["Location"] == forum.get_absolute_url()
    assert client.get(reverse("forum:index"))["Location"] == forum.get_absolute_url()


def test_dashboard_panel_shows_the_forum_state(as_user, camat, forum, subdistrict):
    response = as_user(camat).get(reverse("subdistrict_dashboard", args=[subdistrict.code]))
    content = response.content.decode()
    assert "Forum Musrenbang Kecamatan 2027" in content and "Persiapan" in content


def test_dashboard_panel_offers_to_create_the_forum(as_user, camat, year, subdistrict):
    response = as_user(camat).get(reverse("subdistrict_dashboard", args=[subdistrict.code]))
    assert "Buat forum 2027" in response.content.decode()


def test_menu_entry_forum_is_shown_to_kecamatan_users(as_user, clerk, year):
    response = as_user(clerk).get(reverse("subdistrict_dashboard", args=[clerk.subdistrict.code]))
    assert f'href="{reverse("forum:index")}"' in response.content.decode()
    assert clerk.role == Role.STAFF


def test_ids_in_pages_are_not_written_with_thousand_separators(as_user, clerk, forum):
    """``USE_THOUSAND_SEPARATOR`` would turn pk 1234 into "1.234" in ids, targets and values."""
    running(forum)
    p = f.ParticipantFactory(forum=forum, pk=12345)
    content = as_user(clerk).get(reverse("forum:attendance", args=[forum.pk])).content.decode()
    assert 'id="peserta-12345"' in content and 'hx-target="#peserta-12345"' in content
    item = f.ForumItemFactory(forum=forum, pk=23456, commission=forum.commissions.first())
    content = as_user(clerk).get(reverse("forum:commissions", args=[forum.pk])).content.decode()
    assert f'name="urutan_{item.pk}"' in content and f'id="pindah-{item.pk}"' in content
    assert p.pk == 12345


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"calon": "abc"}, "Pilihan calon tidak valid."),
        ({"method": "voting"}, "Isikan jumlah suara (0 sampai 1.000.000) untuk setiap calon."),
        ({"body": ""}, "Pilih forum tujuan dan cara pemilihan."),
    ],
)
def test_election_form_refuses_bad_candidates_with_a_message(as_user, camat, forum, data, message):
    people = present(forum, 2)
    running(forum)
    post = {"body": "musrenbang", "method": "musyawarah", "calon": [p.pk for p in people]}
    post.update(data)
    if post.get("method") == "voting":
        post["suara_" + str(people[0].pk)] = "tidak tahu"
    response = as_user(camat).post(
        reverse("forum:delegates_elect", args=[forum.pk]), post, follow=True
    )
    assert message in [str(m) for m in response.context["messages"]]
    assert not Delegate.objects.exists()

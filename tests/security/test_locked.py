"""After sending, every write path refuses: pages, admin change forms and bulk actions, commands."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from proposals.models import Proposal
from scoring.models import Criterion, Result, Score, Scorer
from sessions.models import Delegate, Forum, ForumItem, Participant
from tests import factories as f

pytestmark = pytest.mark.django_db


def _admin(client, world):
    client.force_login(world.users["bappeda"], backend="musrenbang.auth.PlacesBackend")
    return client


def _rows(world):
    """(admin url name, model, pk) of one row of every forum-related model in the admin."""
    item = world.items[0]
    score = Score.objects.filter(item__forum=world.forum).first()
    return [
        ("forum_forum", Forum, world.forum.pk),
        ("forum_participant", Participant, world.participants[0].pk),
        ("forum_forumitem", ForumItem, item.pk),
        ("forum_delegate", Delegate, world.delegates[0].pk),
        ("scoring_criterion", Criterion, world.criterion.pk),
        ("scoring_scorer", Scorer, world.scorer.pk),
        ("scoring_score", Score, score.pk),
        ("scoring_result", Result, world.results[0].pk),
        ("proposals_proposal", Proposal, item.proposal_id),
    ]


def _state(model, pk):
    return model.objects.filter(pk=pk).values().first()


def test_the_admin_change_forms_of_a_sent_forum_refuse_to_save(client, world):
    client = _admin(client, world)
    for name, model, pk in _rows(world):
        before = _state(model, pk)
        url = reverse(f"admin:{name}_change", args=[pk])
        page = client.get(url)
        assert page.status_code == 200, (name, page.status_code)
        assert 'name="_save"' not in page.content.decode(), f"{name}: tombol simpan masih ada"
        response = client.post(url, {"_save": "Simpan", "name": "Diubah", "title": "Diubah"})
        assert response.status_code == 403, (name, response.status_code)
        assert _state(model, pk) == before, name


def test_the_admin_delete_pages_of_a_sent_forum_refuse(client, world):
    client = _admin(client, world)
    for name, model, pk in _rows(world):
        response = client.post(reverse(f"admin:{name}_delete", args=[pk]), {"post": "yes"})
        assert response.status_code == 403, (name, response.status_code)
        assert model.objects.filter(pk=pk).exists(), name


def test_admin_bulk_actions_on_rows_of_a_sent_forum_change_nothing(client, world):
    client = _admin(client, world)
    tried = []
    for name, model, pk in _rows(world):
        before = _state(model, pk)
        changelist = reverse(f"admin:{name}_changelist")
        form = client.get(changelist).context["action_form"]
        choices = [a[0] for a in form.fields["action"].choices if a[0]] if form else []
        for action in choices:
            tried.append((name, action))
            client.post(
                changelist,
                {"action": action, "_selected_action": [pk], "index": 0, "post": "yes"},
            )
            assert _state(model, pk) == before, f"{name}: aksi massal {action} mengubah data"
    assert tried, "tidak ada aksi massal yang diuji"


def test_bulk_actions_on_the_incoming_page_refuse_proposals_of_a_sent_forum(client, world):
    client.force_login(world.users["staff1"], backend="musrenbang.auth.PlacesBackend")
    ids = [item.proposal_id for item in world.items]
    before = list(Proposal.objects.filter(pk__in=ids).values_list("pk", "status"))
    for action in ("terima", "verifikasi", "kembalikan", "tolak"):
        response = client.post(
            reverse("proposals:bulk"),
            {"action": action, "ids": ids, "reason": "alasan", "category": "lain"},
            follow=True,
        )
        assert response.status_code == 200
    assert list(Proposal.objects.filter(pk__in=ids).values_list("pk", "status")) == before


def test_importing_into_the_year_of_a_sent_forum_is_refused(world, tmp_path):
    path = tmp_path / "usulan.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Desa", "Judul"])
    book.active.append([world.village.code, "Usulan susulan"])
    book.save(path)
    before = Proposal.objects.count()
    with pytest.raises(CommandError, match="dikirim"):
        call_command(
            "import_usulan", str(path), kecamatan=world.subdistrict.code, tahun=2027,
            stdout=io.StringIO(),
        )  # fmt: skip
    assert Proposal.objects.count() == before


def test_proposal_pages_refuse_to_change_a_proposal_of_a_sent_forum(client, world):
    proposal = world.items[0].proposal
    client.force_login(world.users["staff1"], backend="musrenbang.auth.PlacesBackend")
    before = _state(Proposal, proposal.pk)
    for name in ("receive", "verify", "return", "reject"):
        client.post(reverse(f"proposals:{name}", args=[proposal.pk]), {"reason": "x"})
    client.post(
        reverse("proposals:edit", args=[proposal.pk]),
        {"title": "Diubah", "problem": "x", "location": "x", "volume": 1, "unit": "m", "cost": 1},
    )
    assert _state(Proposal, proposal.pk) == before


# Writes that stay allowed after sending (issue 6): signed scans, the distribution register
# and the final Berita Acara exist only after the forum was sent.
ALLOWED_AFTER_SENDING = {
    "reports:upload",
    "reports:distribution",
    "reports:distribution_receive",
    "reports:finalize",
}


def _forum_state(forum):
    from sessions.models import AgendaItem, Commission, TeamMember

    def rows(model, **flt):
        return list(model.objects.filter(**flt).order_by("pk").values())

    return [
        rows(Forum, pk=forum.pk),
        rows(Participant, forum=forum),
        rows(ForumItem, forum=forum),
        rows(Delegate, forum=forum),
        rows(Commission, forum=forum),
        rows(AgendaItem, forum=forum),
        rows(TeamMember, forum=forum),
        rows(Criterion, forum=forum),
        rows(Scorer, forum=forum),
        rows(Score, item__forum=forum),
        rows(Result, item__forum=forum),
        rows(Proposal, subdistrict=forum.subdistrict, year=forum.year),
    ]


def _write_cases():
    from tests.security.test_url_walk import EXPECTATIONS

    for name, expect in sorted(EXPECTATIONS.items()):
        if expect.method != "POST" or name in ALLOWED_AFTER_SENDING:
            continue
        if name.split(":")[0] in ("forum", "scoring", "reports"):
            yield name


def _plausible_data(world) -> dict:
    """Valid-looking values for every form of the forum and scoring pages."""
    participant = world.participants[-1]
    return {
        "name": "Diubah setelah kirim",
        "gender": "L",
        "category": "delegasi",
        "village": world.village.pk,
        "role": "Anggota",
        "order": 7,
        "title": "Acara tambahan",
        "planned_minutes": 10,
        "venue": "Tempat baru",
        "weight": 3,
        "value": 5,
        "item": world.items[0].pk,
        "criterion": world.criterion.pk,
        "user": world.users["staff1"].pk,
        "decision": "cadangan",
        "reason": "Diubah setelah kirim",
        "agency": world.agency.pk,
        "direction": "turun",
        "commission": world.commission.pk,
        "rank": 2,
        "participant": participant.pk,
        "participants": [p.pk for p in world.participants[:2]],
        "body": "musrenbang",
        "method": "mufakat",
        "notes": "Catatan baru",
        "confirmed": "on",
        "note": "Koreksi",
        "participant_count": 99,
    }


@pytest.mark.parametrize("name", list(_write_cases()))
def test_no_forum_or_scoring_action_changes_a_sent_forum(client, world, name):
    from tests.security.test_url_walk import EXPECTATIONS

    expect = EXPECTATIONS[name]
    role = "camat" if "camat" in expect.ok else sorted(expect.ok)[0]
    client.force_login(world.users[role], backend="musrenbang.auth.PlacesBackend")
    before = _forum_state(world.forum)
    response = client.post(reverse(name, args=expect.args(world)), _plausible_data(world))
    assert response.status_code in (200, 302, 400, 403, 409), response.status_code
    assert _forum_state(world.forum) == before, f"{name} mengubah forum yang sudah dikirim"


# The control: on a running forum the same requests do write (so the check above can fail).
WRITES_WHEN_RUNNING = [
    "forum:agenda_start",
    "forum:attendance_mark",
    "forum:commission_add",
    "forum:commission_notes",
    "forum:item_verify",
    "forum:load_data",
    "forum:team_add",
    "forum:team_remove",
    "scoring:decide",
    "scoring:development_priority",
    "scoring:move",
    "scoring:score_cell",
    "scoring:scorer_add",
    "scoring:undo",
]


@pytest.mark.parametrize("name", WRITES_WHEN_RUNNING)
def test_the_same_action_does_change_a_running_forum(client, world, name):
    from tests.security.test_url_walk import EXPECTATIONS

    f.reopen(world.forum)
    expect = EXPECTATIONS[name]
    role = "camat" if "camat" in expect.ok else sorted(expect.ok)[0]
    client.force_login(world.users[role], backend="musrenbang.auth.PlacesBackend")
    before = _forum_state(world.forum)
    client.post(reverse(name, args=expect.args(world)), _plausible_data(world))
    assert _forum_state(world.forum) != before


def test_attachments_of_a_proposal_in_a_sent_forum_cannot_be_added_or_removed(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from proposals.models import Attachment
    from tests.security.conftest import PDF, _attachment

    proposal = world.items[0].proposal
    # Deliberately faked: reopen the sent world for a moment to plant an attachment that the
    # lock would refuse now (a second sending through the services would change the world).
    Forum.objects.filter(pk=world.forum.pk).update(state=Forum.State.RUNNING)
    existing = _attachment(proposal, world.users["staff1"])
    Forum.objects.filter(pk=world.forum.pk).update(state=Forum.State.SENT)
    client.force_login(world.users["staff1"], backend="musrenbang.auth.PlacesBackend")
    before = list(Attachment.objects.filter(proposal=proposal).values_list("pk", flat=True))
    client.post(
        reverse("proposals:attachment_add", args=[proposal.pk]),
        {"file": SimpleUploadedFile("rab.pdf", PDF), "kind": "rab"},
    )
    client.post(reverse("proposals:attachment_delete", args=[existing.pk]))
    after = list(Attachment.objects.filter(proposal=proposal).values_list("pk", flat=True))
    assert after == before == [existing.pk]

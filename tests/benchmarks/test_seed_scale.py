import pytest
from django.core.management import call_command

from proposals.models import Proposal
from scoring.models import Criterion, Score
from sessions.models import Forum, ForumItem, Participant

pytestmark = pytest.mark.django_db


def test_seed_scale_makes_the_sizes_asked_for_once(capsys):
    args = ["--kecamatan", "2", "--desa-per-kecamatan", "3", "--usulan-per-desa", "4"]
    call_command("seed_scale", *args, "--peserta", "10", "--penilai", "2")
    assert Proposal.objects.count() == 2 * 3 * 4
    forum = Forum.objects.get()
    assert ForumItem.objects.filter(forum=forum).count() == 3 * 4
    assert Participant.objects.filter(forum=forum).count() == 10
    assert Criterion.objects.filter(forum=forum).count() == 8
    assert Score.objects.count() == 3 * 4 * 8 * 2
    # The forum's proposals are verified, each in its kecamatan's numbering.
    assert set(forum.items.values_list("proposal__status", flat=True)) == {"terverifikasi"}
    call_command("seed_scale", *args)
    assert "sudah ada" in capsys.readouterr().out
    assert Proposal.objects.count() == 24

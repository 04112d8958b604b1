"""export_forum / import_forum round-trip a forum into an empty database with nothing lost."""

import json
import zipfile

import pytest
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from musrenbang.models import Regency
from proposals.models import Attachment, Proposal, Transition
from scoring.models import Criterion, Result, Score
from sessions.models import Commission, Delegate, Forum, ForumItem, Participant
from tests import factories as f
from tests.forums import send

pytestmark = pytest.mark.django_db(transaction=True)

MODELS = [
    Proposal,
    Attachment,
    Transition,
    Forum,
    Commission,
    ForumItem,
    Participant,
    Delegate,
    Criterion,
    Score,
    Result,
]


def _snapshot():
    return {
        m._meta.label: json.loads(serializers.serialize("json", m.objects.order_by("pk")))
        for m in MODELS
    }


def _build_forum(subdistrict, camat, agency):
    forum = f.ForumFactory(subdistrict=subdistrict, year=2027, state=Forum.State.RUNNING)
    commission = f.CommissionFactory(forum=forum, name="Komisi Sarpras")
    criteria = [f.CriterionFactory(forum=forum, name=f"K{i}") for i in range(2)]
    for i in range(3):
        item = f.ForumItemFactory(forum=forum, commission=commission, commission_rank=i + 1)
        Transition.objects.create(
            proposal=item.proposal, from_status="diterima", to_status="terverifikasi", actor=camat
        )
        for criterion in criteria:
            f.ScoreFactory(item=item, criterion=criterion, scorer=camat, value=i + 2)
        f.ResultFactory(item=item, rank=i + 1, decision="prioritas", responsible_agency=agency)
    proposal = ForumItem.objects.filter(forum=forum).first().proposal
    attachment = Attachment(
        proposal=proposal,
        kind="foto",
        original_name="lokasi.jpg",
        content_type="image/jpeg",
        size=4,
        uploaded_by=camat,
    )
    attachment.file.save("lokasi-uji.jpg", ContentFile(b"\xff\xd8\xff\xe0"), save=False)
    attachment.save()
    participant = f.ParticipantFactory(forum=forum, name="Siti Aminah", gender="P")
    f.DelegateFactory(participant=participant)
    forum = send(forum)  # sent last, as in life
    return forum, attachment


def test_an_archive_made_before_result_averages_gets_them_from_its_scores(
    tmp_path, subdistrict, camat, agency
):
    forum, _attachment = _build_forum(subdistrict, camat, agency)
    target = tmp_path / "forum.zip"
    call_command("export_forum", "--kecamatan", subdistrict.code, "--tahun", "2027", "-o", target)
    old = tmp_path / "lama.zip"  # the same archive as a version before the field wrote it
    with zipfile.ZipFile(target) as new_zip, zipfile.ZipFile(old, "w") as old_zip:
        for name in new_zip.namelist():
            content = new_zip.read(name)
            if name == "data.json":
                rows = json.loads(content)
                for row in rows:
                    row["fields"].pop("averages", None)
                content = json.dumps(rows).encode()
            old_zip.writestr(name, content)
    call_command("flush", "--noinput")

    call_command("import_forum", str(old))
    criteria = Criterion.objects.order_by("pk")
    for result in Result.objects.select_related("item"):
        value = result.item.scores.first().value  # both criteria scored alike per item
        assert result.averages == {str(c.pk): f"{value}.00" for c in criteria}


def test_export_then_import_into_empty_database_loses_nothing(tmp_path, subdistrict, camat, agency):
    forum, attachment = _build_forum(subdistrict, camat, agency)
    before = _snapshot()
    target = tmp_path / "forum.zip"
    call_command("export_forum", "--kecamatan", subdistrict.code, "--tahun", "2027", "-o", target)

    manifest = json.loads(zipfile.ZipFile(target).read("manifest.json"))
    assert manifest["jumlah_baris"]["scoring.Score"] == 6
    assert attachment.file.name in manifest["berkas"]

    call_command("flush", "--noinput")
    attachment.file.storage.delete(attachment.file.name)
    assert not Forum.objects.exists()

    call_command("import_forum", str(target))
    assert _snapshot() == before
    restored = Attachment.objects.get(pk=attachment.pk)
    assert restored.file.read() == b"\xff\xd8\xff\xe0"
    # Sequences were reset: new rows get fresh ids.
    fresh = f.ProposalFactory(village=restored.proposal.village, year=2030)
    assert fresh.pk > max(p["pk"] for p in before["proposals.Proposal"])


def test_import_refuses_a_database_that_already_has_the_kabupaten(
    tmp_path, subdistrict, camat, agency
):
    _build_forum(subdistrict, camat, agency)
    target = tmp_path / "forum.zip"
    call_command("export_forum", "--kecamatan", subdistrict.code, "--tahun", "2027", "-o", target)
    count = Proposal.objects.count()
    with pytest.raises(CommandError, match="basis data kosong"):
        call_command("import_forum", str(target))
    assert Proposal.objects.count() == count


def test_import_refuses_a_file_that_is_not_an_archive(tmp_path):
    bogus = tmp_path / "bukan.zip"
    bogus.write_bytes(b"%PDF-1.4 bukan zip")
    with pytest.raises(CommandError, match="bukan arsip forum"):
        call_command("import_forum", str(bogus))
    assert not Regency.objects.exists()


def test_export_of_unknown_forum_says_so(subdistrict, tmp_path):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command(
            "export_forum", "--kecamatan", subdistrict.code, "--tahun", "2030", "-o", tmp_path / "x"
        )


def test_exported_users_carry_no_password_hash(tmp_path, subdistrict, camat, agency):
    _build_forum(subdistrict, camat, agency)
    target = tmp_path / "forum.zip"
    call_command("export_forum", "--kecamatan", subdistrict.code, "--tahun", "2027", "-o", target)
    data = json.loads(zipfile.ZipFile(target).read("data.json"))
    users = [row for row in data if row["model"] == "musrenbang.user"]
    assert users and all(row["fields"]["password"] == "" for row in users)


def test_round_trip_keeps_the_kamus_and_nomenclature_of_the_proposals(
    tmp_path, subdistrict, camat, agency
):
    from musrenbang.models import KamusEntry, Nomenclature
    from tests.musrenbang.test_kamus import load_tree

    forum, _attachment = _build_forum(subdistrict, camat, agency)
    load_tree()
    sub = Nomenclature.objects.get(code="9.99.01.2.01.0001")
    entry = KamusEntry.objects.create(
        regency=subdistrict.regency, year=2027, name="Paving", unit="m2", unit_price=1,
        sub_activity=sub, agency=agency,
    )  # fmt: skip
    Proposal.objects.filter(forum_item__forum=forum).update(kamus=entry, sub_activity=sub)
    target = tmp_path / "forum.zip"
    call_command("export_forum", "--kecamatan", subdistrict.code, "--tahun", "2027", "-o", target)
    call_command("flush", "--noinput")
    call_command("import_forum", str(target))
    restored = Proposal.objects.filter(kamus__isnull=False)
    assert restored.count() == 3
    assert {p.sub_activity.parent.parent.code for p in restored} == {"9.99.01"}
    assert KamusEntry.objects.get().sub_activity.code == "9.99.01.2.01.0001"


def test_document_jobs_are_not_part_of_a_forum_backup(tmp_path, subdistrict, camat, agency):
    """A job is one server's request for a document, not the forum's record: left out."""
    from reports.models import DocumentJob

    forum, _ = _build_forum(subdistrict, camat, agency)
    DocumentJob.objects.create(
        kind=DocumentJob.Kind.ATTENDANCE, forum=forum, key="uji-daftar-hadir", requested_by=camat
    )
    target = tmp_path / "forum.zip"
    call_command("export_forum", "--kecamatan", subdistrict.code, "--tahun", "2027", "-o", target)

    manifest = json.loads(zipfile.ZipFile(target).read("manifest.json"))
    assert "reports.DocumentJob" not in manifest["jumlah_baris"]
    assert manifest["jumlah_baris"]["scoring.Score"] == 6

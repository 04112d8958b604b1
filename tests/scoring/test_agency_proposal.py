"""An OPD reader opens a proposal sent to their agency, and nothing else."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from proposals.models import Attachment, Proposal
from scoring.models import Result
from sessions.models import Forum
from tests import factories as f
from tests.scoring.factories import sent_forum

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00"
    b"\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _attach(proposal, user, kind=Attachment.Kind.PHOTO) -> Attachment:
    attachment = Attachment(
        proposal=proposal,
        kind=kind,
        original_name="lokasi.png",
        content_type="image/png",
        size=len(PNG),
        uploaded_by=user,
    )
    attachment.file.save("lokasi.png", ContentFile(PNG), save=False)
    attachment.save()
    return attachment


@pytest.fixture
def sent(subdistrict, agency, operator, regency):
    forum = sent_forum(subdistrict, agency=agency, items=2)
    first, second = Result.objects.filter(item__forum=forum).order_by("rank")
    priority = f.DevelopmentPriorityFactory(
        regency=regency, name="Peningkatan infrastruktur dan konektivitas wilayah perdesaan"
    )
    Proposal.objects.filter(pk=first.item.proposal_id).update(
        problem="Jalan rusak sepanjang 300 meter.",
        location="Dusun Melati RT 02",
        latitude="-6.123456",
        longitude="106.654321",
        volume=300,
        cost=450_000_000,
        development_priority=priority,
    )
    Result.objects.filter(pk=first.pk).update(reason="Akses ke sekolah dan puskesmas.")
    proposal = Proposal.objects.get(pk=first.item.proposal_id)
    return {
        "forum": forum,
        "proposal": proposal,
        "attachment": _attach(proposal, operator),
        "second": second,
    }


def test_the_reader_sees_everything_the_agency_needs(as_user, opd_reader, sent):
    response = as_user(opd_reader).get(
        reverse("scoring:agency_proposal", args=[sent["proposal"].pk])
    )
    assert response.status_code == 200
    text = response.content.decode()
    for expected in (
        "Jalan rusak sepanjang 300 meter.",
        "Dusun Melati RT 02",
        "-6.123456",
        "106.654321",
        "300 meter",
        "Rp 450.000.000",
        "Prioritas peringkat 1",
        "Akses ke sekolah dan puskesmas.",
        "Peningkatan infrastruktur dan konektivitas wilayah perdesaan",
        "lokasi.png",
        reverse("scoring:agency_attachment", args=[sent["attachment"].pk]),
    ):
        assert expected in text, expected


def test_the_reader_downloads_the_photo(as_user, opd_reader, sent):
    response = as_user(opd_reader).get(
        reverse("scoring:agency_attachment", args=[sent["attachment"].pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG


def test_the_list_links_to_the_proposal(as_user, opd_reader, sent):
    text = as_user(opd_reader).get(reverse("scoring:agency_priorities")).content.decode()
    assert reverse("scoring:agency_proposal", args=[sent["proposal"].pk]) in text


def test_a_reader_of_another_agency_is_refused(as_user, regency, sent):
    other = f.AgencyFactory(regency=regency, name="Dinas Kesehatan", abbreviation="DINKES")
    reader = f.UserFactory(username="dinkes", role="opd", agency=other)
    client = as_user(reader)
    assert (
        client.get(reverse("scoring:agency_proposal", args=[sent["proposal"].pk])).status_code
        == 403
    )
    url = reverse("scoring:agency_attachment", args=[sent["attachment"].pk])
    assert client.get(url).status_code == 403


def test_a_reserve_is_not_opened_for_the_reader(as_user, opd_reader, sent):
    Result.objects.filter(pk=sent["second"].pk).update(decision="cadangan", reason="Pagu habis.")
    url = reverse("scoring:agency_proposal", args=[sent["second"].item.proposal_id])
    assert as_user(opd_reader).get(url).status_code == 403


def test_a_priority_of_a_forum_not_sent_is_not_opened(as_user, opd_reader, sent):
    Forum.objects.filter(pk=sent["forum"].pk).update(state=Forum.State.RUNNING)
    client = as_user(opd_reader)
    assert (
        client.get(reverse("scoring:agency_proposal", args=[sent["proposal"].pk])).status_code
        == 403
    )
    url = reverse("scoring:agency_attachment", args=[sent["attachment"].pk])
    assert client.get(url).status_code == 403


def test_a_proposal_never_in_a_forum_is_not_found(as_user, opd_reader, village, sent):
    proposal = f.ProposalFactory(village=village)
    url = reverse("scoring:agency_proposal", args=[proposal.pk])
    assert as_user(opd_reader).get(url).status_code == 404


@pytest.mark.parametrize("role", ["operator", "clerk", "camat", "outside_bappeda"])
def test_other_roles_are_refused(request, as_user, role, sent):
    user = request.getfixturevalue(role)
    url = reverse("scoring:agency_proposal", args=[sent["proposal"].pk])
    assert as_user(user).get(url).status_code == 403


def test_bappeda_of_the_kabupaten_may_open_it(as_user, bappeda, sent):
    url = reverse("scoring:agency_proposal", args=[sent["proposal"].pk])
    assert as_user(bappeda).get(url).status_code == 200


def test_anonymous_goes_to_the_login(client, sent):
    url = reverse("scoring:agency_proposal", args=[sent["proposal"].pk])
    assert client.get(url).status_code == 302

"""Guessing ids: another desa's proposal, another kecamatan's forum, somebody else's files.

Every read and write gives 403 or 404, and nothing changes in the database.
"""

import pytest
from django.urls import reverse

from proposals.models import Attachment, Proposal
from reports.models import Distribution, ForumUpload
from sessions.models import AgendaItem, Forum, Participant, TeamMember

pytestmark = pytest.mark.django_db
DENIED = (403, 404)


def snapshot() -> tuple:
    """Everything an id-guessing write could change, in one comparable value."""
    return (
        list(Proposal.objects.order_by("pk").values_list("pk", "title", "status", "cost")),
        list(Attachment.objects.order_by("pk").values_list("pk", "proposal_id")),
        list(Forum.objects.order_by("pk").values_list("pk", "state", "venue", "chair_name")),
        Participant.objects.count(),
        TeamMember.objects.count(),
        AgendaItem.objects.count(),
        ForumUpload.objects.count(),
        Distribution.objects.count(),
    )


def _login(client, user):
    client.force_login(user, backend="musrenbang.auth.PlacesBackend")
    return client


PROPOSAL_EDIT = {
    "title": "Diubah oleh penebak id",
    "problem": "x",
    "location": "x",
    "volume": "1",
    "unit": "meter",
    "cost": "1",
}


def _proposal_requests(w, proposal, attachment):
    return [
        ("GET", reverse("proposals:detail", args=[proposal.pk]), {}),
        ("GET", reverse("proposals:edit", args=[proposal.pk]), {}),
        ("POST", reverse("proposals:edit", args=[proposal.pk]), PROPOSAL_EDIT),
        ("POST", reverse("proposals:submit", args=[proposal.pk]), {}),
        ("POST", reverse("proposals:move", args=[proposal.pk, "turun"]), {}),
        ("GET", reverse("proposals:receipt", args=[proposal.pk]), {}),
        ("GET", reverse("proposals:attachment", args=[attachment.pk]), {}),
        ("POST", reverse("proposals:attachment_delete", args=[attachment.pk]), {}),
        ("POST", reverse("proposals:receive", args=[proposal.pk]), {}),
        ("POST", reverse("proposals:reject", args=[proposal.pk]), {"reason": "x"}),
    ]


def _check(client, requests):
    before = snapshot()
    for method, url, data in requests:
        response = client.post(url, data) if method == "POST" else client.get(url)
        assert response.status_code in DENIED, (method, url, response.status_code)
    assert snapshot() == before


def test_an_operator_cannot_reach_the_proposal_of_the_neighbour_desa(client, world):
    _login(client, world.users["op_b"])
    _check(client, _proposal_requests(world, world.draft, world.attachment))


def test_an_operator_cannot_reach_a_proposal_of_another_kecamatan(client, world):
    _login(client, world.users["op_a"])
    _check(client, _proposal_requests(world, world.far_draft, world.far_attachment))


def test_kecamatan_staff_cannot_reach_a_proposal_of_another_kecamatan(client, world):
    _login(client, world.users["staff1"])
    requests = _proposal_requests(world, world.far_draft, world.far_attachment)
    requests += [
        ("POST", reverse("proposals:verify", args=[world.far_draft.pk]), {}),
        ("POST", reverse("proposals:return", args=[world.far_draft.pk]), {"reason": "x"}),
    ]
    _check(client, requests)


def test_walking_every_proposal_id_reveals_only_the_operators_own(client, world):
    _login(client, world.users["op_a"])
    own = set(Proposal.objects.filter(village=world.village).values_list("pk", flat=True))
    top = Proposal.objects.order_by("-pk").values_list("pk", flat=True).first()
    for pk in range(1, top + 3):
        status = client.get(reverse("proposals:detail", args=[pk])).status_code
        if pk in own:
            assert status == 200, pk
        else:
            assert status in DENIED, (pk, status)


def _forum_requests(w, forum, upload):
    pk = forum.pk
    return [
        ("GET", reverse("forum:detail", args=[pk]), {}),
        ("GET", reverse("forum:edit", args=[pk]), {}),
        ("POST", reverse("forum:edit", args=[pk]), {"venue": "Diubah penebak id"}),
        ("POST", reverse("forum:team_add", args=[pk]), {"name": "X", "role": "Y"}),
        ("POST", reverse("forum:agenda_add", args=[pk]), {"order": 9, "title": "X"}),
        ("POST", reverse("forum:participant_add", args=[pk]), {"name": "X", "gender": "L"}),
        ("POST", reverse("forum:start", args=[pk]), {}),
        ("GET", reverse("forum:guideline_download", args=[pk]), {}),
        ("GET", reverse("scoring:results", args=[pk]), {}),
        ("POST", reverse("scoring:compute", args=[pk]), {}),
        ("GET", reverse("reports:forum", args=[pk]), {}),
        ("GET", reverse("reports:document", args=[pk, "daftar-hadir"]), {}),
        ("GET", reverse("reports:upload_download", args=[upload.pk]), {}),
        ("POST", reverse("reports:distribution", args=[pk]), {"number": "1"}),
    ]


def test_staff_of_another_kecamatan_cannot_reach_the_forum_or_its_files(client, world):
    _login(client, world.users["staff2"])
    requests = _forum_requests(world, world.forum, world.upload)
    requests += [
        ("GET", reverse("reports:archived_download", args=[world.archived.code]), {}),
        ("POST", reverse("reports:distribution_receive", args=[world.distribution.pk]), {}),
    ]
    _check(client, requests)


def test_the_camat_cannot_reach_the_forum_of_another_kecamatan(client, world):
    world.far_forum.guideline_file.save("p.pdf", __import__("io").BytesIO(b"%PDF-1.4"))
    _login(client, world.users["camat"])
    _check(client, _forum_requests(world, world.far_forum, world.far_upload))


def test_bappeda_of_another_kabupaten_cannot_reach_the_forum_or_its_files(client, world):
    _login(client, world.users["bappeda_b"])
    requests = _forum_requests(world, world.forum, world.upload)
    requests += [("GET", reverse("reports:archived_download", args=[world.archived.code]), {})]
    _check(client, requests)


def test_an_opd_reader_cannot_download_forum_files(client, world):
    _login(client, world.users["opd"])
    _check(
        client,
        [
            ("GET", reverse("reports:upload_download", args=[world.upload.pk]), {}),
            ("GET", reverse("reports:archived_download", args=[world.archived.code]), {}),
            ("GET", reverse("proposals:attachment", args=[world.attachment.pk]), {}),
        ],
    )


def test_anonymous_file_downloads_go_to_the_login_page(client, world):
    for url in (
        reverse("reports:upload_download", args=[world.upload.pk]),
        reverse("reports:archived_download", args=[world.archived.code]),
        reverse("proposals:attachment", args=[world.attachment.pk]),
        reverse("forum:guideline_download", args=[world.forum.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/masuk/" in response.headers["Location"], url


def test_stored_files_are_not_served_from_media(client, world):
    _login(client, world.users["staff1"])
    for path in (world.upload.file.url, world.attachment.file.url, world.archived.file.url):
        assert client.get(path).status_code in DENIED, path


def test_an_opd_reader_reads_only_the_dsp_of_their_own_agency(client, world):
    from tests import factories as f

    other = f.AgencyFactory(regency=world.regency, abbreviation="DINKES", name="Dinas Kesehatan")
    _login(client, world.users["opd"])
    url = reverse("reports:document", args=[world.forum.pk, "dsp-opd"])
    assert client.get(url).status_code == 200
    assert client.get(url, {"opd": other.pk}).status_code in DENIED
    assert client.get(url, {"opd": 999999}).status_code in DENIED
    unsent = reverse("reports:document", args=[world.far_forum.pk, "dsp-opd"])
    assert client.get(unsent).status_code in DENIED

"""Issue 11: active PDFs, the open redirect of Hitung, the admin's view-on-site, login
throttling behind a proxy, coordinates outside Indonesia, and the one parameter reader."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from musrenbang import params, uploads
from musrenbang.exceptions import DomainError
from musrenbang.geo import coordinate_errors
from proposals.forms import ProposalForm
from proposals.models import Attachment
from reports.models import ArchivedDocument
from tests import factories as f
from tests import pdfs
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SCRIPT = b"<< /S /JavaScript /JS (app.alert(1)) >>"
ACTIVE_PDFS = {
    # The catalog opens a script written with '#'-escaped names.
    "escaped name": pdfs.with_catalog(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"),
    # Only hex-escaped names and a hex string: no plain '/JavaScript' in the bytes.
    "hex names and hex string": pdfs.with_catalog(
        b"/#4Fpen#41ction << /#53 /#4A#61#76#61#53#63#72#69#70#74 /#4A#53 <6170702e616c65727428"
        b"3129> >>"
    ),
    # The script sits compressed inside an object stream: nothing visible in the raw bytes.
    "script in a compressed object stream": pdfs.with_object_stream(
        [b"<< /JavaScript 5 0 R >>", SCRIPT]
    ),
    "launch action": pdfs.with_catalog(b"/OpenAction << /S /Launch /F (calc.exe) >>"),
    "additional actions": pdfs.with_catalog(b"/AA << /O << /S /JavaScript /JS (x) >> >>"),
    "embedded file": pdfs.build(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 4 0 R >> >>",
            *pdfs.PAGE_TREE[1:],
            b"<< /Names [(a.exe) << /Type /Filespec /F (a.exe) >>] >>",
        ]
    ),
    "rich media": pdfs.build([*pdfs.PAGE_TREE, b"<< /Type /Annot /Subtype /RichMedia >>"]),
    "XFA form": pdfs.with_catalog(b"/AcroForm << /Fields [] /XFA 4 0 R >>"),
}


def _upload(content: bytes, name: str = "berkas.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/pdf")


# --- PDFs ---------------------------------------------------------------------------------


def test_a_plain_pdf_is_accepted():
    file_type, name, digest = uploads.inspect(_upload(pdfs.plain()), (uploads.PDF,))
    assert file_type is uploads.PDF and name == "berkas.pdf" and len(digest) == 64


@pytest.mark.parametrize("variant", list(ACTIVE_PDFS))
def test_every_active_pdf_variant_is_refused(variant):
    with pytest.raises(DomainError, match="konten aktif"):
        uploads.inspect(_upload(ACTIVE_PDFS[variant]), (uploads.PDF,))


def test_the_compressed_script_is_found_by_the_parser_not_by_the_bytes():
    data = ACTIVE_PDFS["script in a compressed object stream"]
    assert not uploads._raw_names(data) & uploads.ACTIVE_NAMES
    assert b"JavaScript" not in data
    with pytest.raises(DomainError, match="/JavaScript"):
        uploads.check_pdf(_upload(data), "berkas.pdf")


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4\nbukan PDF sama sekali", pdfs.plain()[:-40], b"%PDF-1.7\n" + b"\x00" * 200],
    ids=["text", "truncated", "zeros"],
)
def test_an_unparseable_pdf_is_refused(content):
    with pytest.raises(DomainError, match="tidak dapat dibaca"):
        uploads.inspect(_upload(content), (uploads.PDF,))


def test_content_type_and_size_are_still_checked(settings):
    with pytest.raises(DomainError, match="bukan jenis"):
        uploads.inspect(_upload(b"MZ\x90\x00" + b"\x00" * 40), (uploads.PDF,))
    settings.UPLOAD_MAX_DOCUMENT_BYTES = 100
    with pytest.raises(DomainError, match="terlalu besar"):
        uploads.inspect(_upload(pdfs.plain()), (uploads.PDF,))


def test_a_proposal_attachment_with_hidden_javascript_is_refused_over_http(as_user, operator):
    proposal = f.ProposalFactory(village=operator.village)
    response = as_user(operator).post(
        reverse("proposals:attachment_add", args=[proposal.pk]),
        {"kind": "dokumen", "file": _upload(ACTIVE_PDFS["script in a compressed object stream"])},
        follow=True,
    )
    assert "konten aktif" in response.content.decode()
    assert not Attachment.objects.filter(proposal=proposal).exists()


# --- Open redirect ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "abc"]
)
def test_hitung_never_follows_a_next_to_another_site(world, as_user, target):
    type(world.forum).objects.filter(pk=world.forum.pk).update(state="berlangsung")
    response = as_user(world.users["camat"]).post(
        reverse("scoring:compute", args=[world.forum.pk]), {"next": target}
    )
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]
    assert response.headers["Location"].startswith("/")


def test_hitung_follows_a_next_on_this_site(world, as_user):
    # A sent forum refuses Hitung: the failure path is the one that reads ``next``.
    sheet = reverse("scoring:sheet", args=[world.forum.pk]) + "?komisi=1"
    response = as_user(world.users["camat"]).post(
        reverse("scoring:compute", args=[world.forum.pk]), {"next": sheet}
    )
    assert response.headers["Location"] == sheet


# --- Admin view on site -------------------------------------------------------------------


def _view_on_site(world) -> str:
    content_type = ContentType.objects.get_for_model(ArchivedDocument)
    return reverse("admin:view_on_site", args=[content_type.pk, world.archived.pk])


def test_the_admin_view_on_site_does_not_open_another_kabupatens_paper(world, as_user):
    response = as_user(world.users["bappeda_b"]).get(_view_on_site(world))
    assert response.status_code == 404


def test_the_admin_view_on_site_works_for_the_papers_own_kabupaten(world, as_user):
    response = as_user(world.users["bappeda"]).get(_view_on_site(world))
    assert response.status_code == 302
    assert world.archived.code in response.headers["Location"]


def test_the_admin_view_on_site_refuses_a_model_without_a_scoped_admin(world, as_user):
    content_type = ContentType.objects.get_for_model(type(world.users["bappeda"]))
    url = reverse("admin:view_on_site", args=[content_type.pk, world.users["camat"].pk])
    assert as_user(world.users["bappeda_b"]).get(url).status_code == 404


# --- Login throttling behind a proxy ------------------------------------------------------


def _login(client, password, forwarded):
    return client.post(
        reverse("login"),
        {"username": "camat", "password": password},
        REMOTE_ADDR="10.0.0.2",  # the proxy
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_a_proxy_the_lock_keys_on_the_forwarded_client(client, camat, settings):
    settings.PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "salah", "203.0.113.9")
    assert _login(client, PASSWORD, "203.0.113.9").status_code == 429
    # Another person behind the same proxy is not locked out by the attacker.
    client.cookies.clear()
    response = _login(client, PASSWORD, "198.51.100.7")
    assert response.status_code == 302


def test_a_forged_left_part_of_the_header_does_not_escape_the_lock(client, camat, settings):
    settings.PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "salah", f"192.0.2.{n}, 203.0.113.9")
    assert _login(client, PASSWORD, "192.0.2.200, 203.0.113.9").status_code == 429


def test_without_a_proxy_the_forwarded_header_is_ignored(settings):
    from musrenbang.auth import client_ip

    settings.PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.2"
    settings.PROXY_COUNT = 1
    assert client_ip(request) == "1.2.3.4"
    bad = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="bukan-ip")
    assert client_ip(bad) == "10.0.0.2"


# --- Coordinates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lat, lng, ok",
    [("-1", "-1", False), ("-6.2", "106.6", True), ("7", "100", False), ("-6", "142", False)],
)
def test_coordinates_must_lie_in_indonesia(lat, lng, ok):
    assert (coordinate_errors(Decimal(lat), Decimal(lng)) == {}) is ok


def test_coordinates_must_lie_in_the_kabupaten_when_its_box_is_known():
    assert coordinate_errors(Decimal("-6.18"), Decimal("106.63"), "36.71") == {}
    assert "latitude" in coordinate_errors(Decimal("3.6"), Decimal("98.5"), "36.71")  # Langkat
    assert coordinate_errors(Decimal("3.6"), Decimal("98.5"), "91.01") == {}  # no box known


def test_the_proposal_form_refuses_minus_one_minus_one(operator, sector, year):
    regency = f.RegencyFactory(code="36.71", name="Kota Tangerang")
    subdistrict = f.SubdistrictFactory(regency=regency)
    sector = f.SectorFactory(regency=regency)
    data = {
        "title": "Drainase",
        "problem": "Banjir",
        "location": "RT 01",
        "volume": "10",
        "unit": "meter",
        "cost": "1000000",
        "sector": sector.pk,
        "latitude": "-1",
        "longitude": "-1",
    }
    form = ProposalForm(data, subdistrict=subdistrict, kecamatan=False, creating=True)
    assert not form.is_valid()
    assert "luar Indonesia" in " ".join(form.errors["latitude"])
    form = ProposalForm(
        data | {"latitude": "-6.18", "longitude": "106.63"},
        subdistrict=subdistrict,
        kecamatan=False,
        creating=True,
    )
    assert "latitude" not in form.errors


# --- The parameter reader and the text guard ----------------------------------------------


class _Params(params.ParamsForm):
    desa = params.id_field(label="desa")
    q = params.text_field(label="pencarian")


@pytest.mark.parametrize("bad", ["²", "abc", "-1", "9" * 40, "7" * 10_000, "'\"><b>"])
def test_a_bad_id_becomes_no_filter_with_an_indonesian_message(bad):
    request = RequestFactory().get("/", {"desa": bad, "q": "jalan"})
    from django.contrib.messages.storage.fallback import FallbackStorage

    request.session = {}
    request._messages = FallbackStorage(request)
    values = params.read(request, _Params)
    assert values == {"desa": None, "q": "jalan"}
    assert [str(m) for m in request._messages] == ["Nilai tidak valid untuk desa diabaikan."]


def test_the_list_shows_the_message_and_ignores_the_filter(as_user, clerk, year):
    response = as_user(clerk).get(reverse("proposals:incoming"), {"desa": "²"})
    assert response.status_code == 200
    assert "Nilai tidak valid untuk desa diabaikan." in response.content.decode()


@pytest.mark.parametrize(
    "url, data",
    [
        ("/lacak/AB%00CD/", {}),
        ("/usulan/masuk/", {"q": "a\x00b"}),
    ],
)
def test_a_nul_byte_anywhere_is_refused_with_400(as_user, clerk, year, url, data):
    response = as_user(clerk).get(url, data)
    assert response.status_code == 400
    assert "tidak diizinkan" in response.content.decode()


def test_a_nul_byte_in_a_form_field_is_refused_before_the_view(as_user, operator, sector, year):
    response = as_user(operator).post(reverse("proposals:create"), {"title": "a\x00b"})
    assert response.status_code == 400


def test_a_broken_multipart_body_is_a_400_not_a_500(as_user, operator, year):
    response = as_user(operator).post(
        reverse("proposals:create"), data=b"--x\r\nrusak", content_type="multipart/form-data"
    )
    assert response.status_code == 400

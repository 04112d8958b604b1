"""Test data of the follow-ups: a sent forum of the persona kecamatan with its follow-ups open."""

import datetime as dt
import io

from django.utils import timezone
from PIL import Image

from reports.followup.services import followups_open
from reports.models import FollowUp
from tests import factories as f
from tests.forums import send
from tests.reports.factories import sent_forum


def open_forum(subdistrict, villages, **kw):
    """Return (SentForum, follow-ups) for a forum of ``subdistrict`` sent yesterday."""
    data = sent_forum(subdistrict, villages=villages, state="berlangsung", **kw)
    data.forum = send(data.forum, sent_at=timezone.now() - dt.timedelta(days=1))
    followups_open(forum=data.forum)
    return data, list(FollowUp.objects.filter(forum=data.forum).order_by("proposal__reference"))


def jpeg(*, gps: bool = True, name: str = "foto.jpg", size=(32, 24)):
    """Return an uploaded JPEG, with EXIF GPS (3.75 N, 98.45 E) and time when ``gps``."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    if gps:
        exif[0x0132] = "2026:07:14 09:30:00"
        gps_ifd = {1: "N", 2: (3.0, 45.0, 0.0), 3: "E", 4: (98.0, 27.0, 0.0)}
        exif[0x8825] = gps_ifd
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def petugas(agency, username="petugas"):
    return f.UserFactory(username=username, role="opd", agency=agency)

"""Where and when a photo was taken, read from its EXIF (GPS and DateTimeOriginal) with Pillow."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from PIL import Image, UnidentifiedImageError

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 36867
DATETIME = 306


@dataclass(frozen=True)
class PhotoPlace:
    taken_at: dt.datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None


def _degrees(value, ref) -> Decimal | None:
    try:
        d, m, s = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    degrees = d + m / 60 + s / 3600
    if str(ref).upper() in ("S", "W"):
        degrees = -degrees
    return Decimal(f"{degrees:.6f}")


def _taken_at(text) -> dt.datetime | None:
    try:
        naive = dt.datetime.strptime(str(text).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except (TypeError, ValueError):
        return None
    return timezone.make_aware(naive)


def read_place(upload) -> PhotoPlace:
    """Return the EXIF time and GPS position of an image (empty when absent or unreadable)."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            exif = image.getexif()
    except (UnidentifiedImageError, OSError, ValueError):
        return PhotoPlace()
    finally:
        upload.seek(0)
    gps = exif.get_ifd(GPS_IFD)
    taken = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL) or exif.get(DATETIME)
    lat = lon = None
    if gps.get(2) and gps.get(4):
        lat, lon = _degrees(gps[2], gps.get(1, "N")), _degrees(gps[4], gps.get(3, "E"))
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            lat = lon = None
    return PhotoPlace(taken_at=_taken_at(taken) if taken else None, latitude=lat, longitude=lon)

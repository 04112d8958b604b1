"""Where a coordinate may lie: in Indonesia, and in the kabupaten/kota when its box is known."""

from decimal import Decimal

# Indonesia's extent with a small margin: Rote (-11) to Weh (6), Sabang (95) to Merauke (141).
INDONESIA = (-11.0, 6.0, 95.0, 141.0)  # south, north, west, east

# Bounding boxes (with about 10 km of margin) of the regions whose SOPs the product follows,
# by Kemendagri code. Other kabupaten/kota are checked against Indonesia only.
REGENCY_BOUNDS = {
    "36.71": (-6.35, -6.05, 106.50, 106.80),  # Kota Tangerang
    "12.05": (3.10, 4.45, 97.70, 98.80),  # Kabupaten Langkat
    "32.01": (-6.85, -6.15, 106.35, 107.25),  # Kabupaten Bogor
    "35.08": (-8.55, -7.85, 112.75, 113.40),  # Kabupaten Lumajang
    "33.13": (-7.80, -7.45, 110.80, 111.25),  # Kabupaten Karanganyar
}


def _inside(lat, lng, box) -> bool:
    south, north, west, east = box
    return south <= float(lat) <= north and west <= float(lng) <= east


def coordinate_errors(lat: Decimal | None, lng: Decimal | None, regency_code: str = "") -> dict:
    """Return ``{field: message}`` for a coordinate outside Indonesia or outside the region."""
    if lat is None and lng is None:
        return {}
    if lat is None or lng is None:
        missing = "latitude" if lat is None else "longitude"
        return {missing: "Isi lintang dan bujur bersama-sama, atau kosongkan keduanya."}
    if not _inside(lat, lng, INDONESIA):
        return {
            "latitude": "Koordinat di luar Indonesia: lintang -11 sampai 6, bujur 95 sampai 141."
        }
    box = REGENCY_BOUNDS.get(regency_code)
    if box and not _inside(lat, lng, box):
        return {"latitude": "Koordinat berada di luar wilayah kabupaten/kota ini. Periksa lagi."}
    return {}

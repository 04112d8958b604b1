"""Whether a kabupaten/kota's planning year is closed: asked by master data, answered above it.

A kamus year may no longer change once a forum of that kabupaten and year was sent. The master
data may not import the forum app (the layers contract in ``pyproject.toml``), so the forum app
registers the answer in its ``AppConfig.ready`` (``sessions.apps``) and ``musrenbang.rules``
asks here. With no answer registered no forum can have been sent: the year is open.
"""

from collections.abc import Callable

YearCheck = Callable[..., bool]  # (*, regency_id: int, year: int) -> bool

_SENT_CHECKS: list[YearCheck] = []


def register_sent_check(check: YearCheck) -> YearCheck:
    """Register ``check(regency_id=, year=)``: True when a forum of that year was sent."""
    if check not in _SENT_CHECKS:
        _SENT_CHECKS.append(check)
    return check


def year_sent(*, regency_id: int | None, year: int | None) -> bool:
    """Return whether any registered app says a forum of the kabupaten and year was sent."""
    if regency_id is None or year is None:
        return False
    return any(check(regency_id=regency_id, year=year) for check in _SENT_CHECKS)

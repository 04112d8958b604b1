"""Authentication backend that loads a user's places with the user.

Every page's navigation and permission checks read ``user.subdistrict``, ``user.village``,
``user.agency`` and ``user.regency``; loading them in the same query as the user keeps each page
one query cheaper per place.
"""

from django.contrib.auth.backends import ModelBackend

from musrenbang.models import User


class PlacesBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related(
                "regency", "subdistrict", "village", "agency"
            ).get(pk=user_id)
        except User.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        _link_places(user)
        return user


def _link_places(user: User) -> None:
    """Hand the wider places the user already carries to the narrower ones.

    ``User.clean`` derives ``subdistrict`` from the village and ``regency`` from the
    subdistrict or agency, so ``user.village.subdistrict`` *is* ``user.subdistrict``: joining
    the place tables a second time (eight tables instead of five) cost PostgreSQL a millisecond
    of planning and Django two more of compiling on every request. Only ids that agree are
    linked; anything else is loaded lazily as usual.
    """
    regency, subdistrict = user.regency, user.subdistrict
    if subdistrict is not None and regency is not None and subdistrict.regency_id == regency.pk:
        subdistrict.regency = regency
    village = user.village
    if village is not None and subdistrict is not None and village.subdistrict_id == subdistrict.pk:
        village.subdistrict = subdistrict
    agency = user.agency
    if agency is not None and regency is not None and agency.regency_id == regency.pk:
        agency.regency = regency


def client_ip(request) -> str | None:
    """Return the client's address for login throttling (django-axes ``AXES_CLIENT_IP_CALLABLE``).

    Behind ``PROXY_COUNT`` trusted reverse proxies, each appends the address it received from
    to ``X-Forwarded-For``: the client is the ``PROXY_COUNT``-th entry from the right. Entries
    further left are whatever the client sent and are ignored (they can be forged). Without
    proxies, or with a malformed header, the socket's address (``REMOTE_ADDR``).
    """
    import ipaddress

    from django.conf import settings

    count = getattr(settings, "PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR")
    if not count:
        return remote
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [p for p in forwarded if p]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote

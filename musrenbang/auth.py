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
                "regency", "subdistrict__regency", "village__subdistrict", "agency__regency"
            ).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


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

"""Access helpers for views: fetch an object the user may see, or refuse.

A missing object gives 404; an object the user may not see gives 403 (the user is logged in,
``LoginRequiredMiddleware`` has already sent anonymous visitors to the login page).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.shortcuts import get_object_or_404


def require_perm(user, perm: str, obj: Model | None = None) -> None:
    """Raise ``PermissionDenied`` unless ``user`` has ``perm`` (on ``obj``)."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied("Anda tidak berwenang membuka halaman ini.")


def get_for_user(user, perm: str, queryset, **lookup):
    """Return the object of ``queryset`` matching ``lookup`` after checking ``perm`` on it."""
    obj = get_object_or_404(queryset, **lookup)
    require_perm(user, perm, obj)
    return obj


def safe_next(request, fallback: str) -> str:
    """Return the ``next`` of a POST if it is a path on this site, else ``fallback``.

    The one place that reads ``next``: anything but an absolute path of this host (another
    host, ``//host``, a scheme, a bare word that ``redirect`` would take for a URL name) gives
    ``fallback``.
    """
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback

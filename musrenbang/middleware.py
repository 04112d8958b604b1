"""A Content-Security-Policy without inline scripts: every script and style is a static file."""

from django.conf import settings

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(getattr(settings, "CSP_EXEMPT_PREFIX", "/admin/")):
            response.headers.setdefault("Content-Security-Policy", CSP)
        return response


class RequestSizeLimitMiddleware:
    """Refuse an oversized request body before anything reads it (413, in Indonesian).

    Django writes uploads to disk while parsing, and the CSRF check parses the body of every
    POST, so the limit must come first. The public verification page accepts at most one
    document; everything else at most the largest upload limit plus room for the form.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = max(
            settings.UPLOAD_MAX_DOCUMENT_BYTES,
            settings.UPLOAD_MAX_IMAGE_BYTES,
            settings.UPLOAD_MAX_VIDEO_BYTES,
        )
        if request.path.startswith("/verifikasi/"):
            limit = settings.UPLOAD_MAX_DOCUMENT_BYTES
        if length > limit + 64 * 1024:
            from django.http import HttpResponse

            return HttpResponse(
                "Berkas terlalu besar: permintaan ditolak sebelum diunggah.",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)

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


def _bad_text(value: str) -> bool:
    """True for text no form of the product accepts: NUL and other control characters."""
    return any(ord(ch) < 32 and ch not in "\t\r\n" for ch in value)


class InvalidTextMiddleware:
    """Refuse a request whose path, query or form fields carry NUL or control characters (400).

    The one place for every path parameter and form field: such text is never a valid code,
    id or name, and PostgreSQL refuses NUL bytes in text (a 500 deep in a query otherwise).
    Uploaded files are not form fields and are checked by ``musrenbang.uploads``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A cookie carrying such text is no session or token of ours: read as absent (the
        # session middleware would otherwise hand a NUL byte to PostgreSQL).
        for name in [name for name, value in request.COOKIES.items() if _bad_text(value)]:
            del request.COOKIES[name]
        if self._refused(request):
            from django.http import HttpResponseBadRequest

            return HttpResponseBadRequest(
                "Permintaan memuat karakter yang tidak diizinkan (misalnya karakter NUL).",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)

    @staticmethod
    def _refused(request) -> bool:
        from django.http.multipartparser import MultiPartParserError

        if _bad_text(request.path_info):
            return True
        sources = [request.GET]
        if request.method == "POST":
            try:
                sources.append(request.POST)
            except MultiPartParserError:  # a broken multipart body: nothing to read
                return True
        for source in sources:
            for key, values in source.lists():
                if _bad_text(key) or any(_bad_text(v) for v in values):
                    return True
        return False

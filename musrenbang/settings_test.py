"""Settings for the test suite: production-like, with a test key and fast hashing."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-" + "k3y-for-the-test-suite-only-" * 3)
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from musrenbang.settings import *  # noqa: E402,F403
from musrenbang.settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A worker process started by a test (tests/jobs_worker.py) is given the same folder.
MEDIA_ROOT = os.environ.get("MUSRENBANG_TEST_MEDIA_ROOT") or tempfile.mkdtemp(
    prefix="musrenbang-media-"
)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
AXES_FAILURE_LIMIT = 5

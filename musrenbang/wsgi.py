"""WSGI entry point (gunicorn musrenbang.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "musrenbang.settings")
application = get_wsgi_application()

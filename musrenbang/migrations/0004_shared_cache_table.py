"""The table of the shared cache layer (``CACHE_SHARED=db``): Django's database cache schema
(what ``createcachetable`` makes), created by ``migrate`` so that switching the setting on
needs no second command on any server."""

from django.db import migrations

CREATE = """
CREATE TABLE IF NOT EXISTS musrenbang_cache (
    cache_key varchar(255) NOT NULL PRIMARY KEY,
    value text NOT NULL,
    expires timestamp with time zone NOT NULL
);
CREATE INDEX IF NOT EXISTS musrenbang_cache_expires ON musrenbang_cache (expires);
"""


class Migration(migrations.Migration):
    dependencies = [("musrenbang", "0003_nomenclature_kamus")]

    operations = [migrations.RunSQL(CREATE, "DROP TABLE IF EXISTS musrenbang_cache;")]

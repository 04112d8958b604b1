"""The scoring log joins the forum's one log: copy every ``ScoringEvent`` into ``ForumEvent``
(same forum, item, actor, action, text and time), then drop ``ScoringEvent``."""

from django.db import migrations

COLUMNS = "forum_id, item_id, actor_id, action, {text}, at"


def copy_to_forum_log(apps, schema_editor):
    """INSERT ... SELECT: keeps each row's time (``auto_now_add`` would overwrite it)."""
    scoring = apps.get_model("scoring", "ScoringEvent")._meta.db_table
    forum = apps.get_model("forum", "ForumEvent")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {forum} ({COLUMNS.format(text='message')}) "  # noqa: S608
            f"SELECT {COLUMNS.format(text='detail')} FROM {scoring} ORDER BY at, id"
        )


def copy_back(apps, schema_editor):
    """Undo: the scoring rows return to ``ScoringEvent`` (and leave the forum's log)."""
    scoring = apps.get_model("scoring", "ScoringEvent")._meta.db_table
    forum = apps.get_model("forum", "ForumEvent")._meta.db_table
    actions = ("kriteria", "penilai", "hitung", "keputusan", "batal", "opd", "urutan",
               "prioritas_daerah", "kirim")  # fmt: skip
    placeholders = ", ".join(["%s"] * len(actions))
    where = f"action IN ({placeholders}) AND actor_id IS NOT NULL"
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {scoring} ({COLUMNS.format(text='detail')}) "  # noqa: S608
            f"SELECT {COLUMNS.format(text='message')} FROM {forum} WHERE {where} ORDER BY at, id",
            actions,
        )
        cursor.execute(f"DELETE FROM {forum} WHERE action IN ({placeholders})", actions)  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0007_one_event_log"),
        ("scoring", "0005_criteria_template_description"),
    ]

    operations = [
        migrations.RunPython(copy_to_forum_log, copy_back),
        migrations.DeleteModel(name="ScoringEvent"),
    ]

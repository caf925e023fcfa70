"""Full-text search over opportunities: an FTS5 table with triggers on SQLite, a tsvector
column with its trigger and GIN index on PostgreSQL (see sayyes/pipeline/search.py)."""

from django.db import migrations


def make(apps, schema_editor):
    from sayyes.pipeline.search import ensure_fulltext

    ensure_fulltext(schema_editor.connection)


def unmake(apps, schema_editor):
    from sayyes.pipeline.search import drop_fulltext

    drop_fulltext(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("pipeline", "0004_opportunity_furthest_stage_interview_index")]

    operations = [migrations.RunPython(make, unmake)]

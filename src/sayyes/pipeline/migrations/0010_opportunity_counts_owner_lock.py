"""PostgreSQL's opportunity count trigger takes a lock per owner before it touches the
count rows, so two transactions of one user moving opportunities in opposite directions
wait for each other instead of deadlocking (issue 18). SQLite's triggers are unchanged.

The SQL is frozen here as it was installed; pipeline/counts.py has the current version."""

from django.db import migrations

FUNCTION_WITH_OWNER_LOCK = (
    "CREATE OR REPLACE FUNCTION opportunitycount_keep() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    "  IF TG_OP = 'UPDATE' AND OLD.owner_id <> NEW.owner_id THEN\n"
    "    PERFORM pg_advisory_xact_lock(1869636463, LEAST(OLD.owner_id, NEW.owner_id)::int);\n"
    "    PERFORM pg_advisory_xact_lock(1869636463, GREATEST(OLD.owner_id, NEW.owner_id)::int);\n"
    "  ELSIF TG_OP = 'INSERT' THEN\n"
    "    PERFORM pg_advisory_xact_lock(1869636463, NEW.owner_id::int);\n"
    "  ELSE\n"
    "    PERFORM pg_advisory_xact_lock(1869636463, OLD.owner_id::int);\n"
    "  END IF;\n"
    "  IF TG_OP IN ('UPDATE', 'DELETE') THEN UPDATE pipeline_opportunitycount SET n = n - 1 WHERE owner_id = OLD.owner_id AND status = OLD.status AND furthest_stage = OLD.furthest_stage;\n"
    "DELETE FROM pipeline_opportunitycount WHERE owner_id = OLD.owner_id AND status = OLD.status AND furthest_stage = OLD.furthest_stage AND n <= 0; END IF;\n"
    "  IF TG_OP IN ('UPDATE', 'INSERT') THEN INSERT INTO pipeline_opportunitycount (owner_id, status, furthest_stage, n) VALUES (NEW.owner_id, NEW.status, NEW.furthest_stage, 1) ON CONFLICT (owner_id, status, furthest_stage) DO UPDATE SET n = pipeline_opportunitycount.n + 1; END IF;\n"
    "  RETURN NULL;\n"
    "END $$"
)

FUNCTION_OF_0009 = (
    "CREATE OR REPLACE FUNCTION opportunitycount_keep() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    "  IF TG_OP IN ('UPDATE', 'DELETE') THEN UPDATE pipeline_opportunitycount SET n = n - 1 WHERE owner_id = OLD.owner_id AND status = OLD.status AND furthest_stage = OLD.furthest_stage;\n"
    "DELETE FROM pipeline_opportunitycount WHERE owner_id = OLD.owner_id AND status = OLD.status AND furthest_stage = OLD.furthest_stage AND n <= 0; END IF;\n"
    "  IF TG_OP IN ('UPDATE', 'INSERT') THEN INSERT INTO pipeline_opportunitycount (owner_id, status, furthest_stage, n) VALUES (NEW.owner_id, NEW.status, NEW.furthest_stage, 1) ON CONFLICT (owner_id, status, furthest_stage) DO UPDATE SET n = pipeline_opportunitycount.n + 1; END IF;\n"
    "  RETURN NULL;\n"
    "END $$"
)


def _replace_function(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("pipeline", "0009_opportunity_counts"),
    ]

    operations = [
        migrations.RunPython(
            _replace_function(FUNCTION_WITH_OWNER_LOCK), _replace_function(FUNCTION_OF_0009)
        ),
    ]

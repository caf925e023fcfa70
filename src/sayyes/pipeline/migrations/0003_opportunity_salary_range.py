"""A salary range never goes from high to low: a check constraint, after fixing old rows.

Rows saved before the constraint with salary_min above salary_max (possible through a
raw update) get the two swapped first, so the migration never fails on real data.
"""

from django.conf import settings
from django.db import migrations, models


def swap_reversed_ranges(apps, schema_editor):
    Opportunity = apps.get_model("pipeline", "Opportunity")
    # SQL reads every right-hand side from the row before the update: a swap.
    Opportunity.objects.filter(salary_min__gt=models.F("salary_max")).update(
        salary_min=models.F("salary_max"), salary_max=models.F("salary_min")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("pipeline", "0002_interview_sequence"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(swap_reversed_ranges, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="opportunity",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("salary_min__isnull", True),
                    ("salary_max__isnull", True),
                    ("salary_min__lte", models.F("salary_max")),
                    _connector="OR",
                ),
                name="opportunity_salary_min_at_most_max",
                violation_error_message="The maximum salary is below the minimum.",
            ),
        ),
    ]

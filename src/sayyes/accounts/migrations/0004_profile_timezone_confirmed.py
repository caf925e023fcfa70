from django.db import migrations, models


def confirm_chosen_timezones(apps, schema_editor):
    """Someone who already moved off the default UTC chose their time zone: don't ask."""
    Profile = apps.get_model("accounts", "Profile")
    Profile.objects.exclude(timezone="UTC").update(timezone_confirmed=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_profile_last_digest_on"),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="timezone_confirmed",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(confirm_chosen_timezones, migrations.RunPython.noop),
    ]

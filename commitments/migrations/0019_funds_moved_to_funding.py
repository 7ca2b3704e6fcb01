"""The fund rows now live in funding as opportunities (funding 0002 moved them, and moves them
back when this is undone): their tables go."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0018_typed_text_checks"),
        ("funding", "0002_from_fund_rows"),
    ]

    operations = [
        migrations.DeleteModel(name="HistoricalFund"),
        migrations.DeleteModel(name="Fund"),
    ]

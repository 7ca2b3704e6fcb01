from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ambassadors", "0006_city_text_checks"),
    ]

    operations = [
        migrations.AlterField(
            model_name="accesscounter",
            name="limit",
            field=models.CharField(
                choices=[
                    ("login_username", "inicios de sesión fallidos por usuario"),
                    ("login_pair", "inicios de sesión fallidos por usuario y dirección"),
                    ("login_address", "inicios de sesión fallidos por dirección"),
                    ("report_request", "informes pedidos por persona"),
                    ("letter_check", "verificaciones de cartas por dirección"),
                ],
                max_length=20,
                verbose_name="límite",
            ),
        ),
    ]

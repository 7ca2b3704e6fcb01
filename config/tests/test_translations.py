"""Spanish is the source; English and Brazilian Portuguese must be complete."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("language", ["en", "pt_BR"])
def test_the_catalogue_has_no_untranslated_or_fuzzy_message(language):
    assert shutil.which("msgfmt"), "gettext's msgfmt is needed (make test installs it)"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(LOCALE / language / "LC_MESSAGES" / "django.po")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected", "spanish_only"),
    [
        ("en", "Spread the new School of Emotional Governance", "Iniciar sesión"),
        ("pt-br", "Difundir a nova Escola de Governança Emocional", "Iniciar sesión"),
    ],
)
def test_the_home_page_speaks_the_chosen_language(language, expected, spanish_only):
    client = Client(headers={"accept-language": language})
    page = client.get(reverse("home")).content.decode()
    assert expected in page
    assert spanish_only not in page
    assert "Saltar al contenido" not in page


def test_every_message_of_the_code_and_templates_is_translated(tmp_path):
    """Extract the messages again from a copy of the project: nothing new may be missing."""
    base = LOCALE.parent
    copy = tmp_path / "project"
    shutil.copytree(
        base,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "node_modules", "__pycache__", "*.mo", ".pytest_cache"),
    )
    env = {**os.environ, "DEBUG": "1", "ENV_FILE": "/nonexistent/.env"}
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "en",
            "-l",
            "pt_BR",
            "--no-obsolete",
            "--ignore=static/vendor",
        ],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    for language in ("en", "pt_BR"):
        result = subprocess.run(
            [
                "msgfmt",
                "--statistics",
                "-o",
                "/dev/null",
                str(copy / "locale" / language / "LC_MESSAGES" / "django.po"),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, (language, result.stderr)

"""The Nu Html Checker (the W3C validator, `vnu.jar` from npm's vnu-jar, run on Java; `make
install-dev` fetches it): what the crawl of the demo and the browser journeys check their pages with."""

import json
import os
import subprocess
from pathlib import Path

from django.conf import settings

VNU_JAR = Path(os.environ.get("VNU_JAR", settings.BASE_DIR / ".venv" / "vnu" / "vnu.jar"))


def validate(pages, folder):
    """Run the Nu Html Checker once over `pages` ({url: html}); its errors as (url, line, message)."""
    names = {}
    for number, (url, html) in enumerate(sorted(pages.items())):
        path = folder / f"page-{number:04d}.html"
        path.write_text(html, encoding="utf-8")
        names[path.name] = url
    result = subprocess.run(
        ["java", "-Xss8m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout, f"the Nu Html Checker did not run ({VNU_JAR}): {result.stderr[-2000:]}"
    messages = json.loads(result.stdout)["messages"]
    return [
        (
            names.get(message.get("url", "").rpartition("/")[2], message.get("url")),
            message.get("lastLine"),
            message["message"],
        )
        for message in messages
    ]

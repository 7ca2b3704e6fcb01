"""What a progress report shows besides its figures: the series its charts draw, frozen in the
snapshot like every figure, the charts themselves (reports.charts), and the photos of its
highlights where the city shares them.

A photo is only an image the city chose to share with the network: a file of one of its
published good practices (practices.Practice.evidence, "Solo estas evidencias se muestran
fuera de su ciudad"). The report's page links to it as the practice's page does; the stored
HTML and the PDF carry a small copy inside the file (a data: URL), read from the app's own
media storage, so the PDF is written without fetching anything (see `url_fetcher`).
"""

import base64
import datetime
import io
import logging
from decimal import Decimal

from django.db.models import Min
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

from commitments.models import Evidence
from practices.models import Practice

from . import charts, series

logger = logging.getLogger(__name__)

PHOTO_PIXELS = 480  # the longer side of the copy carried by the HTML and PDF files


# In the snapshot.


def series_entry(*, city, period, axes):
    """The city's approved actions per month and axis over the twelve months up to the period's
    end (whatever its kind), and the people reached each month. One query."""
    found = series.city_last_twelve_months(city=city, today=period.end, axes=axes)
    return {
        "months": [month.isoformat() for month in found["months"]],
        "axes": [{"number": entry["axis"].number, "counts": entry["counts"]} for entry in found["axes"]],
        "people": found["people"],
    }


def shared_photos(action_ids):
    """{action id: its first shared photo} among `action_ids`: an image file of a published
    practice, as {"evidence", "practice", "file", "title"}. One query."""
    rows = (
        Evidence.objects.filter(
            action__in=action_ids,
            content_type__startswith="image/",
            practices__status=Practice.Status.PUBLISHED,
        )
        .exclude(file="")
        .values("pk", "action_id", "file", "title")
        .annotate(practice=Min("practices__pk"))
        .order_by("action_id", "pk")
    )
    photos = {}
    for row in rows:
        photos.setdefault(
            row["action_id"],
            {"evidence": row["pk"], "practice": row["practice"], "file": row["file"], "title": row["title"]},
        )
    return photos


# Read in one language.


def presented_series(entry, axes):
    """The months as dates and each axis with its name and colour (`axes`, presented), or None
    for a report written before the series was kept (SNAPSHOT_VERSION 4 or older)."""
    if entry is None:
        return None
    by_number = {axis["number"]: axis for axis in axes}
    return {
        "months": [datetime.date.fromisoformat(month) for month in entry["months"]],
        "axes": [
            {
                "number": row["number"],
                "name": by_number.get(row["number"], {}).get("name", ""),
                "colour": by_number.get(row["number"], {}).get("colour", charts.BAR),
                "counts": row["counts"],
            }
            for row in entry["axes"]
        ],
        "people": entry["people"],
        "approved": sum(sum(row["counts"]) for row in entry["axes"]),
    }


def expected_percent(target):
    """The share of the way from baseline to target expected by the report's day, 0 to 100."""
    span = target["target_value"] - target["baseline"]
    if not span:
        return Decimal(100)
    return max(Decimal(0), min(Decimal(100), (target["expected_value"] - target["baseline"]) / span * 100))


# The groups among the people reached, named as the report's table of them names them.
PEOPLE_GROUPS = {
    "women": gettext_lazy("Mujeres"),
    "men": gettext_lazy("Hombres"),
    "other": gettext_lazy("Otras / sin dato"),
    "youth": gettext_lazy("Jóvenes"),
    "disability": gettext_lazy("Personas con discapacidad"),
    "indigenous": gettext_lazy("Personas indígenas"),
    "afro": gettext_lazy("Personas afrodescendientes"),
}


def report_charts(report):
    """The charts of a presented report (content.present), by name; a chart whose figures the
    report has none of (no approved action, no target, no funding) is left out."""
    found = {}
    monthly = report.get("series")
    if monthly and monthly["approved"]:
        found["monthly"] = charts.monthly_by_axis(monthly["months"], monthly["axes"])
    totals = report["totals"]
    if totals["people"]:
        groups = [
            {"label": str(label), "count": totals[name]}
            for name, label in PEOPLE_GROUPS.items()
            if totals.get(name) is not None  # unknown in a report written before they were counted
        ]
        found["people"] = charts.people_by_group(groups)
    if report["targets"]:
        found["targets"] = charts.targets_progress(
            [
                {
                    "label": f"{target['indicator']} {target['name']}",
                    "progress": target["progress"],
                    "expected": target["expected_progress"],
                    "status": target["status"],
                    "status_label": target["status_label"],
                }
                for target in report["targets"]
            ]
        )
    money = report.get("money")
    if money and money["recorded"]:
        found["funds"] = charts.funds_by_stage([stage for stage in money["stages"] if stage["count"]])
    return found


# The photos inside the HTML and PDF files.


def embed_photos(report):
    """Give each highlight's photo a `src` the HTML and PDF files carry inside them (a data: URL
    of a copy at most PHOTO_PIXELS on its longer side); a photo whose file cannot be read (gone,
    or not an image) is left out. Reads only names under the evidence storage's "evidence/"."""
    for entry in report["highlights"]:
        photo = entry.get("photo")
        if photo:
            photo["src"] = _data_url(photo["file"])
            if not photo["src"]:
                entry["photo"] = None


def _data_url(name):
    storage = Evidence._meta.get_field("file").storage
    if not name.startswith("evidence/") or ".." in name.split("/"):
        return None
    try:
        with storage.open(name, "rb") as source, Image.open(source) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail((PHOTO_PIXELS, PHOTO_PIXELS))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=80)
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        logger.warning("The photo %s of a report could not be read", name)
        return None
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def url_fetcher():
    """WeasyPrint's fetcher for a report: only what the HTML carries inside it (data: URLs). A
    report's text comes from its users; nothing in it may make the worker read a file or a URL."""
    from weasyprint.urls import URLFetcher  # imported here, as outputs imports WeasyPrint

    return URLFetcher(allowed_protocols=["data"], allow_redirects=False)

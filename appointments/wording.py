"""The wording of the commitments an ambassador accepts: the three axes and their active
commitments, word for word as the catalogue holds them, in one language, and its version.

The version is a SHA-256 of that wording (numbers and texts, nothing else): a change of any
commitment's text, or of an axis's name, in a language makes a new version there, and the
ambassadors who accepted the earlier one are asked again. The axes' descriptions and the
commitments' short titles are the site's own labels, not the organisation's text, and do not count.
Migration 0002 computes the same version without importing this module (a test pins both)."""

import hashlib
import json

from django.conf import settings
from django.utils.translation import get_supported_language_variant

from axes.models import Axis
from commitments.models import Commitment

from .models import Wording

SOURCE_LANGUAGE = "es"


def wording_language(code):
    """One of the site's languages for a language code (the active one, a preference); Spanish
    when there is none."""
    try:
        return get_supported_language_variant(code or SOURCE_LANGUAGE)
    except LookupError:
        return SOURCE_LANGUAGE


def _in(obj, name, language):
    """A translated field in `language`, falling back to Spanish as the site does."""
    suffix = language.replace("-", "_")
    return getattr(obj, f"{name}_{suffix}", "") or getattr(obj, f"{name}_{SOURCE_LANGUAGE}")


def wording_of(language):
    """The wording in `language`: {"axes": [{"number", "name", "commitments": [{"code", "text"}]}]}.
    Two queries."""
    commitments = {}
    for commitment in Commitment.objects.active().order_by("order", "number"):
        commitments.setdefault(commitment.axis_id, []).append(
            {"code": f"{commitment.axis.number}.{commitment.number}", "text": _in(commitment, "text", language)}
        )
    return {
        "axes": [
            {"number": axis.number, "name": _in(axis, "name", language), "commitments": commitments.get(axis.pk, [])}
            for axis in Axis.objects.order_by("number")
        ]
    }


def wording_version(wording):
    """The version of a wording: the SHA-256 of its canonical JSON."""
    canonical = json.dumps(wording, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def wording_store(*, language, version):
    """Record `version` as the current one of `language` (the gate reads it)."""
    Wording.objects.update_or_create(language=language, defaults={"version": version})


def wording_refresh():
    """Compute and store the current version of every language."""
    for language, _name in settings.LANGUAGES:
        wording_store(language=language, version=wording_version(wording_of(language)))


def on_catalogue_change(sender, raw=False, **kwargs):
    """Signal receiver: an axis or a commitment was saved or deleted. The versions are written in
    the same transaction, so a rolled-back change takes its version with it."""
    if not raw:
        wording_refresh()


def on_migrate(sender, using="default", **kwargs):
    """Signal receiver (post_migrate): a data migration may have changed the catalogue."""
    if using == "default":
        wording_refresh()

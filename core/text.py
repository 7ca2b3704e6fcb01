"""Text helpers the apps share."""

import unicodedata


def folded(text):
    """`text` as people expect it sorted: without case or accents (México among the M)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()

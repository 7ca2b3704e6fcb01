"""The app's icons for the web app manifest, drawn from the favicon's design (static/img/favicon.svg:
a white ring and cross on the OMCS green) at the sizes phones ask for. `manage.py draw_icons`
writes them to static/img/icons/; they are committed, so this runs only when the logo changes."""

from pathlib import Path

from PIL import Image, ImageDraw

GREEN = "#145c43"
WHITE = "#ffffff"
SIZES = (192, 512)
FOLDER = Path(__file__).resolve().parents[1] / "static" / "img" / "icons"


def draw(size, *, maskable=False):
    """The favicon's 32-unit drawing scaled to `size`. A maskable icon fills the square with green
    (the phone cuts its own shape) and keeps the drawing inside the central safe zone (80 %)."""
    scale = 4  # drawn larger, then reduced: smooth edges
    full = size * scale
    image = Image.new("RGBA", (full, full), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle((0, 0, full, full), fill=GREEN)
        unit = full * 0.6 / 32
        origin = full * 0.2
    else:
        unit = full / 32
        origin = 0
        pen.rounded_rectangle((0, 0, full - 1, full - 1), radius=6 * unit, fill=GREEN)

    def at(value):
        return origin + value * unit

    ring = 9 * unit
    pen.ellipse((at(16) - ring, at(16) - ring, at(16) + ring, at(16) + ring), outline=WHITE, width=round(3 * unit))
    pen.line((at(16), at(7), at(16), at(25)), fill=WHITE, width=round(2 * unit))
    pen.line((at(7), at(16), at(25), at(16)), fill=WHITE, width=round(2 * unit))
    return image.resize((size, size), Image.LANCZOS)


def write_icons(folder=FOLDER):
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for size in SIZES:
        for maskable in (False, True):
            path = folder / f"icon-{'maskable-' if maskable else ''}{size}.png"
            draw(size, maskable=maskable).save(path, optimize=True)
            written.append(path)
    return written

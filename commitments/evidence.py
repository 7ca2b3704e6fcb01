"""What an evidence file may be. The content decides, never the name the uploader gave it.

The detected type decides the extension a file is stored and served under; the name it came
with is kept for display only, and a name that claims another type is refused. Office
documents are looked into (evidence_office.py), PDFs scanned for what runs (evidence_pdf.py).
Photos are stored without their metadata: a phone's EXIF says where the picture was taken.
"""

import datetime
import io
import logging
import re
import struct
from pathlib import PurePath

import magic
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError
from PIL.JpegImagePlugin import get_sampling

from .evidence_office import DOCX, ODP, ODS, ODT, PPTX, XLSX, is_zip, office_type_of_zip
from .evidence_pdf import check_pdf
from .models import Evidence

logger = logging.getLogger(__name__)

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_FILES = 10
# Files one person may store in any rolling hour, across all their actions.
MAX_UPLOADS_PER_HOUR = 60

# Detected MIME type -> (extension we store and serve it under, extensions its name may have)
ACCEPTED_TYPES = {
    "application/pdf": (".pdf", {".pdf"}),
    "image/jpeg": (".jpg", {".jpg", ".jpeg", ".jpe", ".jfif"}),
    "image/png": (".png", {".png"}),
    "image/webp": (".webp", {".webp"}),
    "image/gif": (".gif", {".gif"}),
    DOCX: (".docx", {".docx"}),
    XLSX: (".xlsx", {".xlsx"}),
    PPTX: (".pptx", {".pptx"}),
    ODT: (".odt", {".odt"}),
    ODS: (".ods", {".ods"}),
    ODP: (".odp", {".odp"}),
}
# Formats a browser would run if someone opened them: refused with their own message.
ACTIVE_CONTENT = {"text/html", "image/svg+xml", "application/xhtml+xml", "text/xml", "application/xml"}
# HEIC/HEIF photos carry where they were taken, and Pillow cannot open them to remove it:
# refused with their own message (phones can send JPEG instead).
HEIF_TYPES = {"image/heic", "image/heif", "image/heic-sequence", "image/heif-sequence"}
# Word 97-2003, Excel 97-2003 and PowerPoint 97-2003 files hide macros in three different
# places (a VBA storage, Excel 4.0 macro sheets, a compressed storage inside PowerPoint's
# document stream) that only a full parser of each format finds: refused, with a request for
# the format that came after them in 2007, which is checked.
LEGACY_OFFICE_TYPES = {"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"}
SNIFF_BYTES = 8192
# What a name's last suffix must look like to be read as an extension (not "v1.2").
EXTENSION_LIKE = re.compile(r"\.(?=[a-z0-9]*[a-z])[a-z0-9]{1,10}")
# Extensions a system or a browser would open as something that runs, or as an Office file
# with macros: a name ending in one is refused whatever the content.
ACTIVE_EXTENSIONS = {
    *(".html", ".htm", ".shtml", ".xhtml", ".xht", ".mht", ".mhtml", ".hta", ".svg", ".svgz"),
    *(".xml", ".xsl", ".xslt", ".swf", ".js", ".mjs", ".jse", ".vbs", ".vbe", ".wsf", ".wsh", ".ps1"),
    *(".psm1", ".bat", ".cmd", ".com", ".exe", ".scr", ".pif", ".cpl", ".msi", ".msp", ".dll", ".jar"),
    *(".class", ".jnlp", ".lnk", ".url", ".reg", ".inf", ".sh", ".app", ".apk", ".php", ".asp", ".aspx"),
    *(".jsp", ".py", ".pl", ".rb", ".doc", ".xls", ".ppt", ".docm", ".xlsm", ".pptm", ".dotm", ".xltm"),
    *(".potm", ".ppsm", ".xlam", ".ppam", ".sldm"),
}
# A name ending in one of these claims a type: refused when the content is another. Any other
# ending ("Acta.borrador", "plan.final") is part of the name: the file is stored and served
# under its detected type's extension.
CLAIMING_EXTENSIONS = ACTIVE_EXTENSIONS.union(*(names for _, names in ACCEPTED_TYPES.values()))


def given_extension(name):
    """The extension a file's name ends in, lower case, or "" when it has none."""
    suffix = PurePath(name.strip().rstrip(". ")).suffix.lower()
    return suffix if EXTENSION_LIKE.fullmatch(suffix) else ""


def served_name(*, original_name, stored_name):
    """The name a file is downloaded under: the uploader's, ending in the extension of the type
    it was stored as (a PDF uploaded as "x.html" downloads as "x.pdf", as "Acta.borrador" as
    "Acta.borrador.pdf")."""
    extension = PurePath(stored_name).suffix.lower()
    aliases = next((names for stored, names in ACCEPTED_TYPES.values() if stored == extension), {extension})
    name = original_name.strip().rstrip(". ") or "evidencia"
    given = given_extension(name)
    if given in aliases:
        return name
    return (name[: -len(given)] if given in CLAIMING_EXTENSIONS else name) + extension


def file_response(evidence):
    """The evidence's file as a download, never rendered by the browser: the one way files leave
    (after the caller's scope check: an action's evidence, or a practice's shared file)."""
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=served_name(original_name=evidence.original_name, stored_name=evidence.file.name),
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def check_uploaded_file(uploaded_file):
    """Return (content type, stored extension) or raise ValidationError saying why not."""
    name = uploaded_file.name
    if uploaded_file.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            _("«%(name)s» pesa %(size)s; el máximo es %(max)s por archivo.")
            % {"name": name, "size": filesizeformat(uploaded_file.size), "max": filesizeformat(MAX_EVIDENCE_BYTES)}
        )
    if uploaded_file.size == 0:
        raise ValidationError(_("«%(name)s» está vacío.") % {"name": name})
    uploaded_file.seek(0)
    head = uploaded_file.read(SNIFF_BYTES)
    uploaded_file.seek(0)
    content_type = magic.from_buffer(head, mime=True)
    if is_zip(head, content_type):
        content_type = office_type_of_zip(uploaded_file)
    if content_type in ACTIVE_CONTENT:
        raise ValidationError(
            _("«%(name)s» es una página web o una imagen SVG, que pueden contener código: no se aceptan.")
            % {"name": name}
        )
    if content_type in HEIF_TYPES:
        raise ValidationError(
            _(
                "«%(name)s» es una foto HEIC, que puede llevar el lugar donde se tomó y aquí no se puede borrar. "
                "Súbala en JPEG: el teléfono puede guardarla o compartirla así (en el iPhone: Ajustes > Cámara "
                "> Formatos > Más compatible)."
            )
            % {"name": name}
        )
    if content_type in LEGACY_OFFICE_TYPES:
        raise ValidationError(
            _(
                "«%(name)s» es un documento de Office 97-2003 (.doc, .xls o .ppt), cuyas macros aquí no se "
                "pueden revisar. Guárdelo como .docx, .xlsx o .pptx (o como PDF) y súbalo."
            )
            % {"name": name}
        )
    if content_type not in ACCEPTED_TYPES:
        raise ValidationError(
            _(
                "«%(name)s» no es un PDF, una imagen ni un documento de oficina (su contenido es %(type)s). "
                "Suba uno de esos formatos."
            )
            % {"name": name, "type": content_type}
        )
    stored_extension, allowed_names = ACCEPTED_TYPES[content_type]
    given = given_extension(name)
    if given in CLAIMING_EXTENSIONS and given not in allowed_names:
        raise ValidationError(
            _("«%(name)s» dice ser %(given)s pero su contenido es %(actual)s. Revise que sea el archivo correcto.")
            % {"name": name, "given": given, "actual": stored_extension}
        )
    if content_type == "application/pdf":
        check_pdf(uploaded_file)
    return content_type, stored_extension


# Image metadata ---------------------------------------------------------------------------

# Each image is opened only by the plugin of its detected type, and saved again in it.
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}
# Pixels decoded per image, all frames of an animation together: a 10 MB file can unpack to
# gigabytes. 60 million holds the 48 and 50 megapixel photos of today's phones (about 4 bytes
# a pixel in memory while it is re-saved).
MAX_IMAGE_PIXELS = 60_000_000
# Each frame of an animation, and each scan of a progressive JPEG, is decoded on its own: a
# 10 MB GIF of 700,000 one-pixel frames, or a 1 MB JPEG of 30,000 scans, held a worker past
# gunicorn's timeout. Phones' animations have a few hundred frames, progressive JPEGs about ten scans.
MAX_IMAGE_FRAMES = 1000
MAX_JPEG_SCANS = 100
JPEG_START_OF_SCAN = b"\xff\xda"  # a marker: inside a scan's data 0xFF is always stuffed
# What a re-saved image keeps of the original's info: only what draws it. EXIF, XMP, IPTC,
# comments and PNG text chunks are everything else, and are dropped.
DRAWING_INFO = {"transparency", "duration", "loop", "background", "icc_profile"}
# What Pillow's decoders and encoders raise on a damaged or crafted image (found by mutating
# real files: commitments/tests/test_upload_properties.py). MemoryError too: an image that
# asks for more than the process can have is no valid evidence, and the request goes on.
IMAGE_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError)
IMAGE_ERRORS += (KeyError, TypeError, ArithmeticError, RuntimeError, MemoryError)
# For lossy images re-encoded without the original's quantization tables.
LOSSY_QUALITY = 90


def _not_an_image(name):
    return ValidationError(
        _("«%(name)s» no es una imagen válida: puede estar dañada o incompleta. Ábrala, guárdela de nuevo y súbala.")
        % {"name": name}
    )


def _too_many_pixels(name):
    return ValidationError(
        _(
            "«%(name)s» es una imagen demasiado grande para procesarla: tiene más de %(max)d millones de píxeles. "
            "Redúzcala y vuelva a subirla."
        )
        % {"name": name, "max": MAX_IMAGE_PIXELS // 1_000_000}
    )


def _too_much_work(name):
    return ValidationError(
        _(
            "«%(name)s» tiene demasiados cuadros o pasadas para procesarla (más de %(frames)d cuadros de animación "
            "o %(scans)d pasadas de JPEG). Guárdela de nuevo como imagen fija y súbala."
        )
        % {"name": name, "frames": MAX_IMAGE_FRAMES, "scans": MAX_JPEG_SCANS}
    )


def _frame_count(image, image_format, name):
    """Frames to decode, refused above MAX_IMAGE_FRAMES before any is decoded."""
    # Multi-picture JPEGs (MPO: depth maps, previews) keep only their first picture.
    if image_format == "JPEG" or not getattr(image, "is_animated", False):
        return 1
    if image_format == "GIF":
        # A GIF's frames are counted by reading through them all: stop one past the limit.
        try:
            image.seek(MAX_IMAGE_FRAMES)
        except EOFError:
            pass
        else:
            raise _too_much_work(name)
        finally:
            image.seek(0)
    if image.n_frames > MAX_IMAGE_FRAMES:  # WebP and APNG say it in their header
        raise _too_much_work(name)
    return image.n_frames


def _check_pixels(image, image_format, name):
    if image.width * image.height * _frame_count(image, image_format, name) > MAX_IMAGE_PIXELS:
        raise _too_many_pixels(name)


def _only_drawing_info(image):
    image.info = {key: value for key, value in image.info.items() if key in DRAWING_INFO}
    return image


def _upright_frames(image, image_format):
    """The frames to save, each turned as its EXIF Orientation says and stripped of metadata."""
    if image_format == "JPEG" or not getattr(image, "is_animated", False):
        ImageOps.exif_transpose(image, in_place=True)
        return [_only_drawing_info(image)]
    return [_only_drawing_info(ImageOps.exif_transpose(frame)) for frame in ImageSequence.Iterator(image)]


def _webp_is_lossless(data):
    """Whether the WebP's first picture is lossless (a VP8L chunk): re-encoding it lossy would blur it."""
    offset = 12  # after "RIFF", the size and "WEBP"
    while offset + 8 <= len(data):
        fourcc, size = data[offset : offset + 4], int.from_bytes(data[offset + 4 : offset + 8], "little")
        if fourcc in (b"VP8 ", b"VP8L"):
            return fourcc == b"VP8L"
        # An animation frame holds 16 bytes of position and timing, then the frame's own chunks.
        offset += 8 + 16 if fourcc == b"ANMF" else 8 + size + (size & 1)
    return False


def _save_options(image, image_format, frames, data):
    first, rest = frames[0], frames[1:]
    options = {"save_all": True, "append_images": rest} if rest else {}
    if image_format == "JPEG":
        # The original's quantization tables and subsampling, as quality="keep" would take them
        # (which Pillow refuses for the multi-picture JPEGs many phones save).
        if image.quantization:
            options.update(qtables=image.quantization, subsampling=get_sampling(image))
        else:
            options.update(quality=LOSSY_QUALITY)
    elif image_format == "WEBP":
        lossless = _webp_is_lossless(data)
        options.update(lossless=lossless, quality=80 if lossless else LOSSY_QUALITY)
        if rest:
            options.update(duration=[frame.info.get("duration", 0) for frame in frames], loop=first.info.get("loop", 0))
    if image_format in ("JPEG", "WEBP") and "icc_profile" in first.info:
        # Colour, not personal data; PNG takes it from the image's info by itself.
        options["icc_profile"] = first.info["icc_profile"]
    return options


def strip_image_metadata(uploaded_file, content_type):
    """The image re-saved without EXIF, XMP, IPTC, comments or text (so without GPS position),
    upright as its EXIF Orientation said; other files as they came.

    Raises ValidationError when the image cannot be read or would unpack too large.
    """
    image_format = IMAGE_FORMATS.get(content_type)
    if image_format is None:
        return uploaded_file
    name = uploaded_file.name
    uploaded_file.seek(0)
    data = uploaded_file.read() if image_format in ("WEBP", "JPEG") else b""
    uploaded_file.seek(0)
    if data.count(JPEG_START_OF_SCAN) > MAX_JPEG_SCANS:
        raise _too_much_work(name)
    out = io.BytesIO()
    try:
        with Image.open(uploaded_file, formats=[image_format]) as image:
            _check_pixels(image, image_format, name)
            frames = _upright_frames(image, image_format)
            frames[0].save(out, format=image_format, **_save_options(image, image_format, frames, data))
    except Image.DecompressionBombError as error:
        raise _too_many_pixels(name) from error
    except IMAGE_ERRORS as error:
        logger.info("Image %r refused: %r", name, error)
        raise _not_an_image(name) from error
    finally:
        uploaded_file.seek(0)
    return ContentFile(out.getvalue(), name=name)


def files_uploaded_in_the_last_hour(by):
    """Files stored by `by` in the last hour, counted in the audit trail (the "+" entries), so
    a file uploaded and then removed still counts. Links are not files."""
    since = timezone.now() - datetime.timedelta(hours=1)
    return Evidence.history.filter(history_type="+", history_user=by, history_date__gt=since).exclude(file="").count()


def check_upload_rate(by, name, *, elsewhere=0):
    """A person stores at most MAX_UPLOADS_PER_HOUR files in any rolling hour: their evidence
    files and `elsewhere`, the files another app counted for them (funding's documents).

    Not locked: two requests at the same moment may each store their files past the limit by
    a few. Removed files still count.
    """
    if files_uploaded_in_the_last_hour(by) + elsewhere >= MAX_UPLOADS_PER_HOUR:
        raise ValidationError(
            _("«%(name)s» no se guardó: ya subió %(max)d archivos en la última hora. Inténtelo más tarde.")
            % {"name": name, "max": MAX_UPLOADS_PER_HOUR}
        )

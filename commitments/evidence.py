"""What an evidence file may be. The content decides, never the name the uploader gave it."""

import zipfile
from pathlib import PurePath

import magic
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_FILES = 10

# Detected MIME type -> (extension we store it under, extensions a person may have named it with)
ACCEPTED_TYPES = {
    "application/pdf": (".pdf", {".pdf"}),
    "image/jpeg": (".jpg", {".jpg", ".jpeg", ".jfif"}),
    "image/png": (".png", {".png"}),
    "image/webp": (".webp", {".webp"}),
    "image/gif": (".gif", {".gif"}),
    "image/heic": (".heic", {".heic", ".heif"}),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx", {".docx"}),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx", {".xlsx"}),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (".pptx", {".pptx"}),
    "application/vnd.oasis.opendocument.text": (".odt", {".odt"}),
    "application/vnd.oasis.opendocument.spreadsheet": (".ods", {".ods"}),
    "application/vnd.oasis.opendocument.presentation": (".odp", {".odp"}),
    "application/msword": (".doc", {".doc"}),
    "application/vnd.ms-excel": (".xls", {".xls"}),
    "application/vnd.ms-powerpoint": (".ppt", {".ppt"}),
}
# Names any accepted type could carry: a name outside these says nothing we can check.
KNOWN_EXTENSIONS = set().union(*(names for _stored, names in ACCEPTED_TYPES.values()))
# Formats a browser would run if someone opened them: refused with their own message.
ACTIVE_CONTENT = {"text/html", "image/svg+xml", "application/xhtml+xml", "text/xml", "application/xml"}
SNIFF_BYTES = 8192
# Office documents are zip files: libmagic names them only when the parts come in Word's
# order, so for any other zip the parts inside tell.
OFFICE_PARTS = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/presentation.xml": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def _office_type_of_zip(uploaded_file):
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                if declared in ACCEPTED_TYPES:
                    return declared
    except (zipfile.BadZipFile, OSError, KeyError):
        return "application/zip"
    finally:
        uploaded_file.seek(0)
    return next((content_type for part, content_type in OFFICE_PARTS.items() if part in names), "application/zip")


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
    if content_type == "application/zip":
        content_type = _office_type_of_zip(uploaded_file)
    if content_type in ACTIVE_CONTENT:
        raise ValidationError(
            _("«%(name)s» es una página web o una imagen SVG, que pueden contener código: no se aceptan.")
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
    given_extension = PurePath(name).suffix.lower()
    if given_extension in KNOWN_EXTENSIONS and given_extension not in allowed_names:
        raise ValidationError(
            _("«%(name)s» dice ser %(given)s pero su contenido es %(actual)s. Revise que sea el archivo correcto.")
            % {"name": name, "given": given_extension, "actual": stored_extension}
        )
    return content_type, stored_extension

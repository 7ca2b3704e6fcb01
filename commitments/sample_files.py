"""Small real files of each kind, made in memory: the demo data's evidence and the upload tests."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, PngImagePlugin

# Where the phone says the photo was taken: 12°02'46" S, 77°01'42" W (Lima's main square).
GPS_TAGS = {
    ExifTags.GPS.GPSLatitudeRef: "S",
    ExifTags.GPS.GPSLatitude: (12.0, 2.0, 46.0),
    ExifTags.GPS.GPSLongitudeRef: "W",
    ExifTags.GPS.GPSLongitude: (77.0, 1.0, 42.0),
}


def _page_objects(text):
    body = f"BT /F1 18 Tf 40 100 Td ({text}) Tj ET".encode()
    return [
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def pdf_bytes(text="Evidencia"):
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", *_page_objects(text)]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def pdf_with_objects(*, catalog=b"", objects=(), compressed=(), encoding="/FlateDecode", trailer=b""):
    """A one-page PDF 1.5 with cross-reference stream, as recent writers save them: `catalog`
    is added to its catalog, `objects` are numbered from 6 and `compressed` ones after them,
    inside one object stream encoded with `encoding` (/FlateDecode or /ASCIIHexDecode)."""
    plain = [b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>", *_page_objects("Evidencia"), *objects]
    first_compressed = len(plain) + 1
    out = io.BytesIO()
    out.write(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    entries = {0: (0, 0, 0xFFFF)}
    for number, obj in enumerate(plain, start=1):
        entries[number] = (1, out.tell(), 0)
        out.write(b"%d 0 obj\n" % number + obj + b"\nendobj\n")
    stream_number = first_compressed + len(compressed)
    if compressed:
        header, bodies = b"", b""
        for index, obj in enumerate(compressed):
            entries[first_compressed + index] = (2, stream_number, index)
            header += b"%d %d " % (first_compressed + index, len(bodies))
            bodies += obj + b"\n"
        data = header + bodies
        data = zlib.compress(data) if encoding == "/FlateDecode" else data.hex().encode() + b">"
        entries[stream_number] = (1, out.tell(), 0)
        out.write(
            b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter %s /Length %d >>\nstream\n"
            % (stream_number, len(compressed), len(header), encoding.encode(), len(data))
            + data
            + b"\nendstream\nendobj\n"
        )
        stream_number += 1
    entries[stream_number] = (1, out.tell(), 0)
    size = stream_number + 1
    table = b"".join(struct.pack(">BIH", *entries[number]) for number in range(size))
    out.write(
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R %s /Length %d >>\nstream\n"
        % (stream_number, size, trailer, len(table))
        + table
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % entries[stream_number][1]
    )
    return out.getvalue()


def png_bytes(width=4, height=4, rgb=(20, 120, 80)):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def photo_exif(orientation=6):
    """A phone's EXIF: camera, owner, the GPS position, and how to turn the picture upright."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Telefono"
    exif[ExifTags.Base.Artist] = "Alicia"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS_TAGS)
    return exif


def jpeg_with_gps_bytes(width=60, height=40, orientation=6):
    """A photo as a phone saves it: stored sideways, with Orientation 6 (turn 90° clockwise)
    and the place it was taken in its EXIF, plus an XMP packet and a comment."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, width // 2, height))  # left half blue: shows which way it is turned
    out = io.BytesIO()
    image.save(
        out,
        format="JPEG",
        quality=90,
        exif=photo_exif(orientation),
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>12,2.77S</exif:GPSLatitude></x:xmpmeta>',
        comment=b"Plaza de Armas de Lima",
    )
    return out.getvalue()


def png_with_text_bytes(width=8, height=6):
    """A PNG with a tEXt chunk (a place name) and an eXIf chunk with the GPS position."""
    text = PngImagePlugin.PngInfo()
    text.add_text("Location", "Plaza de Armas de Lima")
    out = io.BytesIO()
    Image.new("RGB", (width, height), (20, 120, 80)).save(out, format="PNG", pnginfo=text, exif=photo_exif(1))
    return out.getvalue()


def gif_bytes(frames=2, size=4):
    """An animated GIF of `frames` flat frames."""
    pictures = [Image.new("P", (size, size), 40 * n) for n in range(frames)]
    out = io.BytesIO()
    pictures[0].save(out, format="GIF", save_all=True, append_images=pictures[1:], duration=100, loop=0)
    return out.getvalue()


def webp_bytes(frames=1, size=8, lossless=False):
    pictures = [Image.new("RGB", (size, size), (40 * n, 120, 80)) for n in range(frames)]
    out = io.BytesIO()
    options = {"save_all": True, "append_images": pictures[1:], "duration": 100} if frames > 1 else {}
    pictures[0].save(out, format="WEBP", lossless=lossless, **options)
    return out.getvalue()


def zip_bytes(entries):
    """A zip of (name, content) pairs, in that order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return out.getvalue()


OOXML = {
    "docx": ("word/document.xml", "wordprocessingml.document", "<w:document/>"),
    "xlsx": ("xl/workbook.xml", "spreadsheetml.sheet", "<workbook/>"),
    "pptx": ("ppt/presentation.xml", "presentationml.presentation", "<p:presentation/>"),
}


def ooxml_content_types(main_part, main_content_type, *overrides):
    parts = [(f"/{main_part}", main_content_type), *overrides]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{part}" ContentType="{content_type}"/>' for part, content_type in parts)
        + "</Types>"
    )


def ooxml_bytes(kind="docx", *, main_content_type=None, extra=()):
    """A Word, Excel or PowerPoint document as Office writes one: [Content_Types].xml, the
    package's relationships and the main part, plus `extra` (name, content) entries."""
    main_part, family, body = OOXML[kind]
    main_content_type = main_content_type or f"application/vnd.openxmlformats-officedocument.{family}.main+xml"
    relationships = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="' + main_part + '" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument"/></Relationships>'
    )
    return zip_bytes(
        [
            ("[Content_Types].xml", ooxml_content_types(main_part, main_content_type)),
            ("_rels/.rels", relationships),
            (main_part, f'<?xml version="1.0" encoding="UTF-8"?>{body}'),
            *extra,
        ]
    )


def docx_bytes():
    return ooxml_bytes("docx")


def odf_bytes(kind="odt", *, mimetype=None, content="<office:document-content/>", extra=()):
    """An OpenDocument file as LibreOffice writes one: the `mimetype` entry first and stored
    uncompressed, then its content, styles and manifest."""
    family = {"odt": "text", "ods": "spreadsheet", "odp": "presentation"}[kind]
    mimetype = mimetype or f"application/vnd.oasis.opendocument.{family}"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", f'<?xml version="1.0" encoding="UTF-8"?>{content}')
        archive.writestr("styles.xml", '<?xml version="1.0" encoding="UTF-8"?><office:document-styles/>')
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest>'
            f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/></manifest:manifest>',
        )
        for name, data in extra:
            archive.writestr(name, data)
    return out.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)

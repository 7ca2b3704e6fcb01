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


def pdf_bytes(text="Evidencia"):
    body = f"BT /F1 18 Tf 40 100 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
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


def docx_bytes():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as docx:
        docx.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        docx.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return out.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)

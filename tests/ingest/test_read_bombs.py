"""Tests for the read stage's bounds on inflated size: zip bombs in .docx, stream bombs in .pdf, long text."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from ingest.read import DEFAULT_MAX_BYTES, DEFAULT_MAX_INFLATED_BYTES, read_file
from ingest.types import FileError, RawFile

REPO = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W}"><w:body>'.encode()
DOCUMENT_TAIL = b"</w:body></w:document>"
PARAGRAPH = "<w:p><w:r><w:t>加强基层党组织建设，落实“三会一课”制度。</w:t></w:r></w:p>".encode()
COMMENTS_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:comments xmlns:w="{W}">'.encode()
COMMENT = f'<w:comment w:id="0" w:author="审核"><w:p><w:r><w:t>{"批注" * 20}</w:t></w:r></w:p></w:comment>'.encode()
COMMENTS_REL = (
    '<Relationship Id="rIdBomb" Target="comments.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"/>'
)
COMMENTS_TYPE = (
    '<Override PartName="/word/comments.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>'
)
LIMIT_NOTE = f"> {DEFAULT_MAX_INFLATED_BYTES / MB:g} MB limit on inflated size (set DJKG_MAX_INFLATED_MB)"
# The child reports its own peak from /proc (VmHWM, which exec resets): RUSAGE_CHILDREN here would be the
# largest of every child pytest has waited for, and even the child's RUSAGE_SELF keeps the size of the forked
# copy of pytest it was before it exec'd (550 MB once the model is loaded).
CHILD = """
import json, sys, time
from ingest.read import read_file
start = time.perf_counter()
result = read_file(sys.argv[1])
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"reason": getattr(result, "reason", None), "seconds": time.perf_counter() - start,
                  "peak_mb": peak_kb / 1024}))
"""
# Refusing the bombs below peaks at 40–75 MB (40 MB is the imports); before the bounds, the lying .docx
# alone peaked at 1.2 GB.
PEAK_MB = 300
REFUSE_S = 5


def read_in_child(path: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], cwd=REPO, capture_output=True, text=True,
                          timeout=300, check=True)
    return json.loads(done.stdout)


def repeated(head: bytes, unit: bytes, tail: bytes, size: int) -> Iterator[bytes]:
    """`head`, then `unit` repeated, then `tail`: `size` bytes in all, yielded in chunks of about 1 MB."""
    count, chunk = (size - len(head) - len(tail)) // len(unit), unit * (MB // len(unit))
    yield head
    for _ in range(count // (MB // len(unit))):
        yield chunk
    yield unit * (count % (MB // len(unit)))
    yield b" " * (size - len(head) - len(tail) - count * len(unit))
    yield tail


def build_docx(path: Path, parts: dict[str, Iterator[bytes]], method: int = zipfile.ZIP_DEFLATED,
               rel: str = "", content_type: str = "") -> Path:
    """A real python-docx document whose parts named in `parts` are replaced or added, streamed in."""
    base = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("基层党建工作总结")
    document.save(base)
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name in parts:
                continue
            data = source.read(name)
            if name == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            if name == "[Content_Types].xml":
                data = data.replace(b"</Types>", content_type.encode() + b"</Types>")
            target.writestr(name, data)
        for name, chunks in parts.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = method
            with target.open(info, "w") as member:
                for chunk in chunks:
                    member.write(chunk)
    return path


def lie_about_size(path: Path, name: str, declared: int, crc: int) -> None:
    """Patch a member's uncompressed size and CRC in its local header and its central directory entry."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo(name).header_offset
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name.encode():
        central = data.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, local + 14, crc)
    struct.pack_into("<I", data, local + 22, declared)
    struct.pack_into("<I", data, central + 16, crc)
    struct.pack_into("<I", data, central + 24, declared)
    path.write_bytes(bytes(data))


def write_pdf(path: Path, stream: bytes, pages: int = 1, contents_refs: int = 1) -> Path:
    """A PDF written by hand: `pages` pages showing one FlateDecode content stream, `contents_refs` times each."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    contents = b"4 0 R" if contents_refs == 1 else b"[" + b" 4 0 R" * contents_refs + b"]"
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents " + contents + b" >>")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        *[page] * pages,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def deflate(chunks: Iterator[bytes]) -> bytes:
    compressor = zlib.compressobj()
    return b"".join([*(compressor.compress(chunk) for chunk in chunks), compressor.flush()])


TEXT_OP = b"BT /F1 12 Tf 72 720 Td (Party building report) Tj ET\n"


# --- .docx ---


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bombs")
    build_docx(folder / "document.docx",
               {"word/document.xml": repeated(DOCUMENT_HEAD, PARAGRAPH, DOCUMENT_TAIL, 64 * MB)})
    build_docx(folder / "comments.docx",
               {"word/comments.xml": repeated(COMMENTS_HEAD, COMMENT, b"</w:comments>", 400 * MB)},
               rel=COMMENTS_REL, content_type=COMMENTS_TYPE)
    return folder


@pytest.mark.slow
@pytest.mark.parametrize(("name", "part", "inflated_mb"), [
    ("document.docx", "word/document.xml", 64),
    ("comments.docx", "word/comments.xml", 400),
])
def test_docx_bomb_is_refused_quickly_in_bounded_memory(bombs, name, part, inflated_mb):
    path = bombs / name
    assert path.stat().st_size < DEFAULT_MAX_BYTES / 10
    report = read_in_child(path)
    assert report["reason"].startswith(f"docx part {part} inflates to {inflated_mb:.1f} MB (all parts ")
    assert report["reason"].endswith(LIMIT_NOTE)
    assert report["seconds"] < REFUSE_S
    assert report["peak_mb"] < PEAK_MB


@pytest.fixture(scope="module")
def lying_docx(tmp_path_factory) -> tuple[Path, int]:
    """A .docx whose document.xml inflates to 600 MB but declares 1 MB; also the CRC of its first 1 MB."""
    path = build_docx(tmp_path_factory.mktemp("lying") / "lying.docx",
                      {"word/document.xml": repeated(DOCUMENT_HEAD, b"<w:p/>", DOCUMENT_TAIL, 600 * MB)})
    prefix = b""
    for chunk in repeated(DOCUMENT_HEAD, b"<w:p/>", DOCUMENT_TAIL, 600 * MB):
        prefix += chunk
        if len(prefix) >= MB:
            return path, zlib.crc32(prefix[:MB])
    raise AssertionError("the document is shorter than 1 MB")


@pytest.mark.slow
@pytest.mark.parametrize("forged_crc", [False, True])
def test_docx_part_lying_about_its_size_inflates_no_further_than_declared(lying_docx, tmp_path, forged_crc):
    # python-docx's ZipFile.read() would inflate all 600 MB before truncating to the declared 1 MB, and with
    # the CRC forged to match the first 1 MB it would not even notice.
    source, prefix_crc = lying_docx
    path = tmp_path / "lying.docx"
    path.write_bytes(source.read_bytes())
    with zipfile.ZipFile(path) as archive:
        crc = prefix_crc if forged_crc else archive.getinfo("word/document.xml").CRC
    lie_about_size(path, "word/document.xml", MB, crc)
    report = read_in_child(path)
    if forged_crc:  # the 1 MB read is a cut-off document
        assert report["reason"].startswith("corrupt .docx: ")
    else:
        assert report["reason"] == "corrupt .docx: Bad CRC-32 for file 'word/document.xml'"
    assert report["seconds"] < REFUSE_S
    assert report["peak_mb"] < PEAK_MB


def test_docx_at_the_limit_reads_and_one_byte_less_refuses(tmp_path):
    path = build_docx(tmp_path / "small.docx", {})
    with zipfile.ZipFile(path) as archive:
        parts = archive.infolist()
    total = sum(info.file_size for info in parts)
    largest = max(parts, key=lambda info: info.file_size)
    raw = read_file(path, max_inflated_bytes=total)
    assert isinstance(raw, RawFile), raw
    assert raw.text == "基层党建工作总结"
    refused = read_file(path, max_inflated_bytes=total - 1)
    assert isinstance(refused, FileError)
    assert refused.reason.startswith(f"docx part {largest.filename} inflates to ")


def test_docx_part_in_bzip2_is_refused(tmp_path):
    xml = b"".join(repeated(DOCUMENT_HEAD, PARAGRAPH, DOCUMENT_TAIL, 10_000))
    path = build_docx(tmp_path / "bzip2.docx", {"word/document.xml": iter([xml])}, method=zipfile.ZIP_BZIP2)
    result = read_file(path)
    assert isinstance(result, FileError)
    assert result.reason == ("corrupt .docx: part word/document.xml uses zip compression method 12; "
                             "a .docx uses only deflate or none")


# --- .pdf ---


def test_plain_pdf_still_reads(tmp_path):
    raw = read_file(write_pdf(tmp_path / "plain.pdf", zlib.compress(TEXT_OP)))
    assert isinstance(raw, RawFile), raw
    assert raw.text == "Party building report"


@pytest.mark.slow
@pytest.mark.parametrize(("name", "inflated_mb", "contents_refs", "message"), [
    ("flate.pdf", 200, 1, "Limit reached while decompressing."),  # one stream inflating to 200 MB
    ("array.pdf", 4, 100, "Array-based stream has at least"),  # 100 references to one 4 MB stream
])
def test_pdf_stream_bomb_is_refused_quickly_in_bounded_memory(tmp_path, name, inflated_mb, contents_refs, message):
    stream = deflate(repeated(TEXT_OP, b" ", b"", inflated_mb * MB))
    path = write_pdf(tmp_path / name, stream, contents_refs=contents_refs)
    assert path.stat().st_size < MB
    report = read_in_child(path)
    assert report["reason"].startswith("PDF refused by a safety limit (a stream may inflate to at most "
                                       f"{DEFAULT_MAX_INFLATED_BYTES / MB:g} MB; set DJKG_MAX_INFLATED_MB): {message}")
    assert report["seconds"] < REFUSE_S
    assert report["peak_mb"] < PEAK_MB


def test_pdf_text_stops_at_the_page_that_crosses_the_limit(tmp_path):
    lines = b"BT /F1 12 Tf 14 TL 72 720 Td\n" + b"(Party building report) Tj T*\n" * 200 + b"ET\n"
    path = write_pdf(tmp_path / "pages.pdf", zlib.compress(lines), pages=500)
    page_bytes = len(PdfReader(path).pages[0].extract_text().encode("utf-8"))
    limit = page_bytes * 10 + page_bytes // 2
    started = time.perf_counter()
    result = read_file(path, max_inflated_bytes=limit)
    assert isinstance(result, FileError)
    assert result.reason == (f"text too long: {page_bytes * 11 / MB:.1f} MB (UTF-8) by page 11 of 500 > "
                             f"{limit / MB:g} MB limit on inflated size (set DJKG_MAX_INFLATED_MB)")
    assert time.perf_counter() - started < REFUSE_S


# --- text of any format ---


@pytest.mark.parametrize(("name", "data"), [
    ("report.txt", ("党建" * 100_000).encode("gb18030")),
    ("report.html", ("<html><body><p>" + "党建" * 100_000 + "</p></body></html>").encode("utf-8")),
])
def test_text_over_the_limit_in_utf8_bytes_is_refused(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    utf8_bytes = len(("党建" * 100_000).encode("utf-8"))
    assert isinstance(read_file(path, max_inflated_bytes=utf8_bytes), RawFile)
    result = read_file(path, max_inflated_bytes=utf8_bytes - 1)
    assert isinstance(result, FileError)
    assert result.reason == (f"text too long: {utf8_bytes / MB:.1f} MB (UTF-8) > {(utf8_bytes - 1) / MB:g} MB "
                             "limit on inflated size (set DJKG_MAX_INFLATED_MB)")


def test_limit_must_be_positive(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("党建", encoding="utf-8")
    with pytest.raises(ValueError, match="max_inflated_bytes must be a positive number of bytes, got 0"):
        read_file(path, max_inflated_bytes=0)

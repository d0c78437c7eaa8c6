"""Read stage, containers: text out of .docx and .pdf files with their inflated size bounded (a zip or
stream bomb is refused before it is inflated), and the one check on extracted text size."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.table import Table
from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError, PdfReadError

_MB = 1024 * 1024
# pypdf's limits on what one stream (or a page's array of content streams) may decode to.
_PDF_OUTPUT_LIMITS = ("zlib", "lzw", "run_length", "brotli", "array_based_stream")


class Unreadable(Exception):
    """A file the read stage cannot turn into text; the message is the user-facing reason."""


def one_line(message: str, limit: int = 200) -> str:
    line = " ".join(message.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def read_docx(path: Path, max_inflated_bytes: int) -> str:
    package = _inflate_docx(path, max_inflated_bytes)
    try:
        document = docx.Document(package)
    except (KeyError, ValueError, SyntaxError) as error:
        detail = error.args[0] if isinstance(error, KeyError) and error.args else error
        raise Unreadable(one_line(f"corrupt .docx: {detail}")) from error
    return "\n".join(_docx_blocks(document))


def _inflate_docx(path: Path, limit: int) -> io.BytesIO:
    """The package with every part inflated within `limit` and stored uncompressed, for python-docx to open.

    The declared sizes are checked before anything is inflated. A lying header cannot get past them:
    ZipExtFile.read(n) inflates at most max(n, 4096) bytes per step (zlib's max_length), stops at the declared
    file_size and then checks the CRC (CPython 3.11 Lib/zipfile.py, ZipExtFile._read1). ZipFile.read(name),
    which python-docx calls, reads with n = ZipExtFile.MAX_N, so it inflates up to 1 GiB per step before
    truncating to file_size: hence python-docx gets a stored copy and inflates nothing itself.
    """
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise Unreadable("corrupt .docx: not a zip package (an old .doc renamed? save it as .docx)") from error
    with archive:
        _check_parts(archive.infolist(), limit)
        copy = io.BytesIO()
        parts = {info.filename: info for info in archive.infolist()}  # of duplicate names the last, as getinfo
        try:
            with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as stored:
                for info in parts.values():
                    with archive.open(info) as member:
                        stored.writestr(info.filename, member.read(info.file_size))
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise Unreadable(one_line(f"corrupt .docx: {error}")) from error
    return copy


def _check_parts(parts: list[zipfile.ZipInfo], limit: int) -> None:
    # ECMA-376 Part 2 (OPC) allows only stored and deflated parts; zipfile inflates bzip2 and LZMA without
    # an output bound per step, so those are refused rather than trusted.
    for info in parts:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Unreadable(f"corrupt .docx: part {info.filename} uses zip compression method "
                              f"{info.compress_type}; a .docx uses only deflate or none")
    # One part over the limit puts the total over it too; the message names the largest part either way.
    if (total := sum(info.file_size for info in parts)) > limit:
        largest = max(parts, key=lambda info: info.file_size)
        raise Unreadable(f"docx part {largest.filename} inflates to {largest.file_size / _MB:.1f} MB "
                          f"(all parts {total / _MB:.1f} MB) > {limit / _MB:g} MB limit on inflated size "
                          "(set DJKG_MAX_INFLATED_MB)")


def _docx_blocks(container) -> Iterator[str]:
    """Paragraph texts in document order, descending into table cells (merged cells once)."""
    for block in container.iter_inner_content():
        if not isinstance(block, Table):
            yield block.text
            continue
        for row in block.rows:
            seen = set()
            for cell in row.cells:
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    yield from _docx_blocks(cell)


def read_pdf(path: Path, max_inflated_bytes: int) -> str:
    # pypdf 7 reads its limits from a context variable each time it decodes a stream, so this bounds every
    # stream of this read and of this read only; its module constants (ZLIB_MAX_OUTPUT_LENGTH …) are deprecated.
    limits = {f"{kind}_maximum_output_length": max_inflated_bytes for kind in _PDF_OUTPUT_LIMITS}
    try:
        with apply_configuration(**limits):
            return _pdf_text(path, max_inflated_bytes)
    except LimitReachedError as error:
        # pypdf's own words last, where a long message may be cut: the fix comes first.
        raise Unreadable(one_line(f"PDF refused by a safety limit (a stream may inflate to at most "
                                    f"{max_inflated_bytes / _MB:g} MB; set DJKG_MAX_INFLATED_MB): {error}")) from error


def _pdf_text(path: Path, max_inflated_bytes: int) -> str:
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable("encrypted PDF: it needs a password; save an unencrypted copy")
        pages = list(reader.pages)
    except PdfReadError as error:
        raise Unreadable(one_line(f"corrupt .pdf: {error}")) from error
    if not pages:
        raise Unreadable("corrupt .pdf: no pages")
    texts = []
    failed = 0
    size = 0
    for number, page in enumerate(pages, 1):
        try:
            texts.append(page.extract_text() or "")
        except LimitReachedError:
            raise
        except Exception:
            failed += 1
            continue
        size += utf8_size(texts[-1])
        check_text_size(size, max_inflated_bytes, f" by page {number} of {len(pages)}")
    if failed == len(pages):
        raise Unreadable("corrupt .pdf: text extraction failed on every page")
    if not any(text.strip() for text in texts):
        raise Unreadable("PDF has no text layer (scanned?); run OCR first")
    return "\n".join(texts)


def utf8_size(text: str) -> int:
    return len(text.encode("utf-8", errors="surrogatepass"))


def check_text_size(size: int, limit: int, where: str = "") -> None:
    if size > limit:
        raise Unreadable(f"text too long: {size / _MB:.1f} MB (UTF-8){where} > {limit / _MB:g} MB limit "
                          "on inflated size (set DJKG_MAX_INFLATED_MB)")

"""Tests for the read stage: every format and encoding from real files, and every kind of bad input."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter

from ingest.read import DEFAULT_MAX_BYTES, SUPPORTED, iter_paths, read_file, read_files
from ingest.types import FileError, RawFile

SIMPLIFIED = (
    "一、落实各级党委抓基层党建工作责任制\n"
    "要建设和谐社会，必须高度重视基层党组织建设，发挥政治思想和组织保障作用，"
    "担负起更加繁重的统一思想、凝聚人心、整合力量的任务。\n"
    "通过两推一选、公推直选、村支部两委交叉任职等办法，真正把那些想干事、能干事、会干事的优秀分子选拔出来。\n"
)
TRADITIONAL = (
    "一、落實各級黨委抓基層黨建工作責任制\n"
    "要建設和諧社會，必須高度重視基層黨組織建設，發揮政治思想和組織保障作用，"
    "擔負起更加繁重的統一思想、凝聚人心、整合力量的任務。\n"
    "通過兩推一選、公推直選、村支部兩委交叉任職等辦法，真正把那些想幹事、能幹事、會幹事的優秀分子選拔出來。\n"
)
MB = 1024 * 1024


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def read_ok(path: Path) -> RawFile:
    result = read_file(path)
    assert isinstance(result, RawFile), result
    return result


def read_error(path: Path, **kwargs) -> str:
    result = read_file(path, **kwargs)
    assert isinstance(result, FileError), result
    assert result.path == str(path)
    assert "\n" not in result.reason
    return result.reason


def make_pdf(path: Path, pages: list[list[str]]) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path))
    for lines in pages:
        pdf.setFont("STSong-Light", 12)
        for i, line in enumerate(lines):
            pdf.drawString(72, 750 - 20 * i, line)
        pdf.showPage()
    pdf.save()
    return path


# --- plain text and encodings ---


def test_txt_utf8(tmp_path):
    raw = read_ok(write(tmp_path / "report.txt", SIMPLIFIED))
    assert raw.text == SIMPLIFIED
    assert (raw.encoding, raw.fmt, raw.path) == ("utf-8", "txt", str(tmp_path / "report.txt"))
    assert raw.meta == {}


def test_txt_utf8_bom_is_stripped(tmp_path):
    raw = read_ok(write(tmp_path / "bom.txt", "\ufeff" + SIMPLIFIED))
    assert raw.text == SIMPLIFIED
    assert raw.encoding == "utf-8-sig"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_txt_utf16_with_bom(tmp_path, codec):
    raw = read_ok(write(tmp_path / "wide.txt", ("\ufeff" + SIMPLIFIED).encode(codec)))
    assert raw.text == SIMPLIFIED
    assert raw.encoding == codec


def test_txt_gbk_simplified_chinese(tmp_path):
    raw = read_ok(write(tmp_path / "gbk.txt", SIMPLIFIED.encode("gbk")))
    assert raw.text == SIMPLIFIED
    assert raw.encoding == "gb18030"


def test_txt_big5_traditional_chinese(tmp_path):
    raw = read_ok(write(tmp_path / "big5.txt", TRADITIONAL.encode("big5")))
    assert raw.text == TRADITIONAL
    assert raw.encoding in ("big5", "cp950")


@pytest.mark.parametrize("text", [SIMPLIFIED, TRADITIONAL])
def test_short_legacy_lines_still_pick_the_right_codec(tmp_path, text):
    codec = "gbk" if text is SIMPLIFIED else "big5"
    for n, line in enumerate(text.splitlines()):
        raw = read_ok(write(tmp_path / f"line{n}.txt", line[:12].encode(codec)))
        assert raw.text == line[:12]


def test_gbk_with_one_damaged_byte_is_kept_with_a_replacement_char(tmp_path):
    data = SIMPLIFIED.encode("gbk") + b"\xff" + SIMPLIFIED.encode("gbk")
    raw = read_ok(write(tmp_path / "damaged.txt", data))
    assert raw.encoding == "gb18030"
    assert raw.text == SIMPLIFIED + "\ufffd" + SIMPLIFIED


def test_newlines_are_normalised_and_nothing_else_changes(tmp_path):
    original = "　　第一段，保留全角缩进。  \r\n第二段\r第三段\n\n\t第四段"
    raw = read_ok(write(tmp_path / "mixed.txt", original))
    assert raw.text == "　　第一段，保留全角缩进。  \n第二段\n第三段\n\n\t第四段"


def test_markdown(tmp_path):
    text = "# 基层党建工作总结\n\n## 一、主要做法\n\n- 推行“三会一课”制度\n- 落实“四议两公开”\n"
    raw = read_ok(write(tmp_path / "notes.md", text))
    assert raw.text == text
    assert raw.fmt == "md"


def test_uppercase_extension_is_supported(tmp_path):
    assert read_ok(write(tmp_path / "REPORT.TXT", SIMPLIFIED)).fmt == "txt"


# --- html ---

PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>某县基层党建工作报告</title>
<style>p {{ color: red }}</style><script>var menu = "首页 新闻 党建";</script></head>
<body>
<header><h1>某县人民政府网</h1></header>
<nav><ul><li>首页</li><li>新闻中心</li></ul></nav>
<article>
  <h2>一、主要做法</h2>
  <p>推行“<b>三会一课</b>”制度，
     规范党内政治生活。</p>
  <div>落实“四议两公开”工作法<br>提高村级决策水平。</div>
  <table><tr><td>党员人数</td><td>1200人</td></tr></table>
  <!-- 注释不应出现 -->
</article>
<aside>相关链接</aside><form><input value="搜索"></form>
<footer>版权所有 联系我们</footer>
<noscript>请开启脚本</noscript>
</body></html>"""
PAGE_LINES = [
    "一、主要做法",
    "推行“三会一课”制度， 规范党内政治生活。",
    "落实“四议两公开”工作法",
    "提高村级决策水平。",
    "党员人数",
    "1200人",
]


def test_html_drops_site_chrome_and_keeps_paragraph_lines(tmp_path):
    raw = read_ok(write(tmp_path / "page.html", PAGE.format(charset="utf-8")))
    assert raw.text.split("\n") == PAGE_LINES
    assert raw.fmt == "html"
    assert raw.meta["title"] == "某县基层党建工作报告"
    for junk in ("首页", "var menu", "color", "版权所有", "相关链接", "搜索", "注释", "请开启脚本", "人民政府网"):
        assert junk not in raw.text


def test_html_honours_meta_charset_gb2312(tmp_path):
    page = PAGE.format(charset="gb2312").encode("gbk")
    raw = read_ok(write(tmp_path / "page.htm", page))
    assert raw.text.split("\n") == PAGE_LINES
    assert raw.encoding == "gb18030"
    assert raw.fmt == "html"


def test_html_utf8_body_wins_over_a_stale_gb2312_declaration(tmp_path):
    raw = read_ok(write(tmp_path / "page.html", PAGE.format(charset="gb2312")))
    assert raw.text.split("\n") == PAGE_LINES
    assert raw.encoding == "utf-8"


def test_html_title_falls_back_to_first_h1(tmp_path):
    page = "<html><body><h1>村级党组织建设经验</h1><p>坚持党建引领。</p></body></html>"
    raw = read_ok(write(tmp_path / "h1.html", page))
    assert raw.meta["title"] == "村级党组织建设经验"
    assert raw.text == "村级党组织建设经验\n坚持党建引领。"


FURNISHED = """<html><head><title>{title}</title></head><body>
<div class="top-nav"><a>首页</a><a>要闻</a></div><div id="breadcrumb">当前位置：首页 > 党建</div>
<h1>{h1}</h1>
<div class="article-content"><p>东岭村党支部推行党员积分制管理，每季度公示一次积分。</p>
<p>积分结果与评先评优挂钩，全村党员主动认领公益岗位。</p></div>
<div class="share_bar">分享到：微信 微博</div>
<div class="related-news"><h3>相关新闻</h3><ul><li>北湖社区召开议事会</li><li>南坪镇举办培训班</li></ul></div>
<div id="footer">某某网 主办</div></body></html>"""


def test_html_blocks_named_as_page_furniture_are_left_out(tmp_path):
    page = FURNISHED.format(title="东岭村推行党员积分制_党建动态_某某网", h1="东岭村推行党员积分制")
    raw = read_ok(write(tmp_path / "furnished.html", page))
    assert raw.text.split("\n") == ["东岭村推行党员积分制", "东岭村党支部推行党员积分制管理，每季度公示一次积分。",
                                    "积分结果与评先评优挂钩，全村党员主动认领公益岗位。"]


def test_a_template_naming_its_whole_body_as_furniture_keeps_the_text(tmp_path):
    page = ("<html><body><div class='main-nav-layout'><h1>标题</h1>"
            "<p>东岭村党支部推行党员积分制管理，每季度公示一次积分。</p>"
            "</div><div class='nav'>首页</div></body></html>")
    raw = read_ok(write(tmp_path / "whole.html", page))
    assert "东岭村党支部推行党员积分制管理" in raw.text and "首页" not in raw.text


@pytest.mark.parametrize(("title", "h1", "expected"), [
    ("东岭村推行党员积分制_党建动态_某某网", "东岭村推行党员积分制", "东岭村推行党员积分制"),
    ("东岭村推行党员积分制激活乡村治理 - 某某网", "", "东岭村推行党员积分制激活乡村治理"),
    ("东岭村推行党员积分制激活乡村治理｜某某网", "另一个标题", "东岭村推行党员积分制激活乡村治理"),
    ("要闻_某某网", "", "要闻_某某网"),  # too short a head to be the title on its own
])
def test_the_page_title_loses_the_site_name(tmp_path, title, h1, expected):
    raw = read_ok(write(tmp_path / "titled.html", FURNISHED.format(title=title, h1=h1)))
    assert raw.meta["title"] == expected


TABLE_LAID = """<html><body><table><tr>
<td><div><a href="/">首页</a></div><div><a href="/a">组织工作会议召开</a></div>
<div><a href="/b">干部培训班开班</a></div><div><a href="/c">党员教育视频展播</a></div></td>
<td><h2>柳湾村推行村民说事制度</h2>
<p>柳湾村党支部推行<a href="/s">村民说事</a>制度，每月召开说事会，村民当面提出诉求，村两委现场答复，
参照<a href="/x">枫桥经验</a>和<a href="/y">四议两公开</a>办理。</p>
<p>一年来，全村共召开说事会12场，收集村民诉求186件，办结率达95%。</p></td></tr></table></body></html>"""


def test_a_column_of_links_without_a_name_is_left_out_and_links_in_a_paragraph_stay(tmp_path):
    raw = read_ok(write(tmp_path / "table.html", TABLE_LAID))
    assert raw.text.split("\n")[0] == "柳湾村推行村民说事制度"
    assert "干部培训班开班" not in raw.text and "首页" not in raw.text
    assert "参照枫桥经验和四议两公开办理" in raw.text.replace("\n", "")


def test_html_with_only_chrome_is_empty(tmp_path):
    page = "<html><body><nav>首页</nav><script>x()</script><footer>版权所有</footer></body></html>"
    assert read_error(write(tmp_path / "chrome.html", page)) == "empty file"


# --- docx and pdf ---


def test_docx_paragraphs_and_table_cells(tmp_path):
    document = docx.Document()
    document.add_heading("基层党建工作总结", level=1)
    document.add_paragraph("一、主要做法")
    document.add_paragraph("推行“支部+合作社+农户”模式，带动群众增收。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "指标"
    table.cell(0, 1).text = "数值"
    table.cell(1, 0).text = "新发展党员"
    table.cell(1, 1).text = "35名"
    document.add_paragraph("二、存在的问题")
    path = tmp_path / "summary.docx"
    document.save(str(path))

    raw = read_ok(path)
    assert raw.fmt == "docx"
    assert raw.text.split("\n") == [
        "基层党建工作总结",
        "一、主要做法",
        "推行“支部+合作社+农户”模式，带动群众增收。",
        "指标",
        "数值",
        "新发展党员",
        "35名",
        "二、存在的问题",
    ]


def test_docx_merged_cell_is_read_once(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "合并单元格"
    table.cell(0, 2).text = "右侧"
    path = tmp_path / "merged.docx"
    document.save(str(path))
    assert read_ok(path).text == "合并单元格\n右侧"


PDF_PAGES = [
    ["一、落实各级党委抓基层党建工作责任制", "建立健全党建工作制度，进一步加强党员教育管理。"],
    ["第二页：三会一课"],
]


def test_pdf_with_chinese_text_layer(tmp_path):
    # reportlab's STSong-Light is a predefined CID font with the UniGB-UCS2-H encoding and no ToUnicode
    # map; pypdf maps its codes back to Unicode from the predefined CMap, so the Chinese round-trips.
    path = make_pdf(tmp_path / "report.pdf", PDF_PAGES)
    raw = read_ok(path)
    assert raw.fmt == "pdf"
    assert [line for line in raw.text.split("\n") if line] == [line for page in PDF_PAGES for line in page]
    assert raw.text == "\n".join(page.extract_text() for page in PdfReader(path).pages)


# --- sidecar metadata ---

META = {"title": "某镇党建报告", "author": "张三", "date": "2021-06-30", "url": "http://example.org/a", "pages": 3}


def test_sidecar_with_full_name(tmp_path):
    path = write(tmp_path / "a.txt", SIMPLIFIED)
    write(tmp_path / "a.txt.meta.json", json.dumps(META, ensure_ascii=False))
    raw = read_ok(path)
    assert raw.meta == {"title": "某镇党建报告", "author": "张三", "date": "2021-06-30", "url": "http://example.org/a"}


def test_sidecar_with_stem_name_and_precedence(tmp_path):
    path = write(tmp_path / "b.txt", SIMPLIFIED)
    write(tmp_path / "b.meta.json", json.dumps({"source": "组织部", "organization": 7}, ensure_ascii=False))
    assert read_ok(path).meta == {"source": "组织部"}
    write(tmp_path / "b.txt.meta.json", json.dumps({"author": "李四"}, ensure_ascii=False))
    assert read_ok(path).meta == {"author": "李四"}


def test_sidecar_title_overrides_html_title(tmp_path):
    path = write(tmp_path / "page.html", PAGE.format(charset="utf-8"))
    write(tmp_path / "page.meta.json", json.dumps({"title": "正式标题"}, ensure_ascii=False))
    assert read_ok(path).meta["title"] == "正式标题"


def test_a_sidecar_title_loses_its_sites_part_and_reads_like_the_text(tmp_path):
    from api.settings import DEFAULT_LEXICON
    from ingest.pipeline import PipelineConfig, split_raw

    text = "某鎮推行積分制管理，黨員志願效勞熱情高。全鎮設立效勞站三百個，效勞隊五十支。"
    path = write(tmp_path / "d.txt", text)
    title = "某鎮：激活黨員志願效勞“一池春水”_工作動態_某縣人民政府"
    write(tmp_path / "d.meta.json", json.dumps({"title": title}, ensure_ascii=False))
    raw = read_ok(path)
    assert raw.meta["title"] == "某鎮：激活黨員志願效勞“一池春水”"   # the site's part goes at reading
    docs = split_raw(raw, PipelineConfig(DEFAULT_LEXICON, DEFAULT_MAX_BYTES, DEFAULT_MAX_BYTES)).documents
    assert [d.title for d in docs] == ["某镇:激活党员志愿服务“一池春水”"]   # the script as the text's
    # a page showing no converter's signature keeps the title's word
    write(tmp_path / "e.txt", "某鎮推行積分制管理，黨員熱情高。全鎮設立服務站三百個。")
    write(tmp_path / "e.meta.json", json.dumps({"title": title}, ensure_ascii=False))
    raw = read_ok(tmp_path / "e.txt")
    docs = split_raw(raw, PipelineConfig(DEFAULT_LEXICON, DEFAULT_MAX_BYTES, DEFAULT_MAX_BYTES)).documents
    assert [d.title for d in docs] == ["某镇:激活党员志愿效劳“一池春水”"]
    # a subtitle after a dash stays
    write(tmp_path / "d.meta.json", json.dumps({"title": "窑洞里的“讲堂”——某区党员教育的探索"}, ensure_ascii=False))
    assert read_ok(path).meta["title"] == "窑洞里的“讲堂”——某区党员教育的探索"
    write(tmp_path / "d.meta.json", json.dumps({"title": "党员住进楼栋——某校纪实-某某大学新闻网"}, ensure_ascii=False))
    assert read_ok(path).meta["title"] == "党员住进楼栋——某校纪实"
    for title in ("基层党建巡礼 | 某村推行积分制管理", "某村推行积分制管理——某街道织密治理网"):
        write(tmp_path / "d.meta.json", json.dumps({"title": title}, ensure_ascii=False))
        assert read_ok(path).meta["title"] == title.split(" | ")[-1], title


@pytest.mark.parametrize("content", ['{"title": "缺引号}', "[1, 2]"])
def test_bad_sidecar_keeps_the_file_and_warns(tmp_path, content):
    path = write(tmp_path / "c.txt", SIMPLIFIED)
    write(tmp_path / "c.meta.json", content)
    raw = read_ok(path)
    assert raw.text == SIMPLIFIED
    assert set(raw.meta) == {"meta_error"}
    assert raw.meta["meta_error"].startswith("ignored c.meta.json: ")


# --- bad inputs ---


@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n ", "\ufeff　\n".encode()])
def test_empty_file(tmp_path, content):
    assert read_error(write(tmp_path / "empty.txt", content)) == "empty file"


def test_binary_file(tmp_path):
    png_like = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    assert read_error(write(tmp_path / "image.txt", png_like)) == "binary file, not text"


def test_mostly_control_bytes_is_binary(tmp_path):
    data = bytes([1, 2, 3, 4, 5, 6, 7, 8, 0x41]) * 100
    assert read_error(write(tmp_path / "ctl.md", data)) == "binary file, not text"


def test_invalid_encoding(tmp_path):
    data = b"\xff\xfe\xfd\x80" * 50 + "党建".encode("gbk")
    assert read_error(write(tmp_path / "bad.txt", b"x" + data)) == "cannot decode: not UTF-8, GB18030 or Big5 text"


def test_file_over_the_size_limit_is_rejected_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.seek(50 * MB - 1)
        handle.write(b"\0")
    # Reading would report "binary file" (it is all NUL bytes): the size reason proves stat came first.
    reason = read_error(path)
    assert reason == "file too large: 50.0 MB > 20 MB limit (set DJKG_MAX_MB)"
    assert read_error(write(tmp_path / "small.txt", "x" * 2000), max_bytes=1000).startswith("file too large")
    assert DEFAULT_MAX_BYTES == 20 * MB


def test_corrupt_docx_not_a_zip(tmp_path):
    reason = read_error(write(tmp_path / "old.docx", b"\xd0\xcf\x11\xe0 an OLE2 .doc renamed"))
    assert reason.startswith("corrupt .docx: not a zip package")


def test_corrupt_docx_bad_xml(tmp_path):
    good = tmp_path / "good.docx"
    docx.Document().save(str(good))
    bad = tmp_path / "badxml.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    assert read_error(bad).startswith("corrupt .docx: ")


def test_scanned_pdf_without_text_layer(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    writer.write(str(path))
    assert read_error(path) == "PDF has no text layer (scanned?); run OCR first"


def test_corrupt_pdf(tmp_path):
    assert read_error(write(tmp_path / "broken.pdf", b"%PDF-1.4\nnot really a pdf\n")).startswith("corrupt .pdf: ")


def test_encrypted_pdf(tmp_path):
    source = make_pdf(tmp_path / "plain.pdf", [["党员教育管理"]])
    writer = PdfWriter(clone_from=source)
    writer.encrypt("secret", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    writer.write(str(path))
    assert read_error(path).startswith("encrypted PDF: it needs a password")


def test_missing_path(tmp_path):
    missing = tmp_path / "nope.txt"
    assert read_error(missing) == "no such file or directory"
    assert list(iter_paths([missing])) == [FileError(str(missing), "no such file or directory")]


def test_unsupported_extension_named_directly(tmp_path):
    path = write(tmp_path / "table.xyz", "数据")
    expected = "unsupported file type .xyz (supported: .txt, .md, .html, .htm, .docx, .pdf)"
    assert read_error(path) == expected
    assert list(iter_paths([path])) == [FileError(str(path), expected)]
    assert ", ".join(SUPPORTED) in expected


def test_directory_passed_to_read_file(tmp_path):
    assert read_error(tmp_path).startswith("is a directory")


# --- walking folders ---


def build_corpus(root: Path) -> dict[str, Path]:
    files = {
        "a_good.txt": write(root / "a_good.txt", SIMPLIFIED),
        "b_empty.txt": write(root / "b_empty.txt", b""),
        "c_binary.md": write(root / "c_binary.md", b"\x00\x01\x02" * 100),
        "d_gbk.txt": write(root / "d_gbk.txt", SIMPLIFIED.encode("gbk")),
        "e_corrupt.docx": write(root / "e_corrupt.docx", b"not a zip"),
        "sub/f_big5.txt": write(root / "sub" / "f_big5.txt", TRADITIONAL.encode("big5")),
        "sub/g_page.html": write(root / "sub" / "g_page.html", PAGE.format(charset="utf-8")),
    }
    write(root / "a_good.meta.json", json.dumps({"title": "甲"}, ensure_ascii=False))
    write(root / ".hidden.txt", SIMPLIFIED)
    write(root / ".git" / "notes.txt", SIMPLIFIED)
    write(root / "ignored.xyz", "数据")
    write(root / "sub" / "g_page.html.meta.json", "{broken")
    return files


def test_iter_paths_walks_sorted_and_skips_sidecars_hidden_and_unsupported(tmp_path):
    files = build_corpus(tmp_path)
    assert list(iter_paths([tmp_path])) == list(files.values())


def test_iter_paths_skips_sidecars_named_directly_and_duplicates(tmp_path):
    files = build_corpus(tmp_path)
    named = [files["a_good.txt"], tmp_path / "a_good.meta.json", tmp_path, files["a_good.txt"]]
    assert list(iter_paths(named)) == list(files.values())


def test_read_files_mixes_good_and_bad_and_reads_every_good_file(tmp_path):
    files = build_corpus(tmp_path)
    missing = tmp_path / "missing.txt"
    results = {Path(result.path).name: result for result in read_files([tmp_path / "sub", tmp_path, missing])}
    assert len(results) == len(files) + 1
    good = {name: result for name, result in results.items() if isinstance(result, RawFile)}
    bad = {name: result.reason for name, result in results.items() if isinstance(result, FileError)}
    assert sorted(good) == ["a_good.txt", "d_gbk.txt", "f_big5.txt", "g_page.html"]
    assert good["a_good.txt"].meta == {"title": "甲"}
    assert good["d_gbk.txt"].text == SIMPLIFIED
    assert good["f_big5.txt"].text == TRADITIONAL
    assert good["g_page.html"].text.split("\n") == PAGE_LINES
    assert good["g_page.html"].meta["title"] == "某县基层党建工作报告"
    assert "meta_error" in good["g_page.html"].meta
    assert bad == {
        "b_empty.txt": "empty file",
        "c_binary.md": "binary file, not text",
        "e_corrupt.docx": "corrupt .docx: not a zip package (an old .doc renamed? save it as .docx)",
        "missing.txt": "no such file or directory",
    }

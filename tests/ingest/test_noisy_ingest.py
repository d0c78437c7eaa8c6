"""Every noise class, end to end: the noisy fixture pages ingest into clean, citable passages."""

import pytest

from search.engine import Engine, EngineConfig
from tests.conftest import FIXTURES, FakeEncoder

NOISY = FIXTURES / "noisy"
CHROME = ["浏览次数", "当前位置", "您的位置", "加微信", "QQ群", "全文共", "用户关注", "继续阅读", "打印本页",
          "关闭窗口", "扫码", "付费下载", "温馨提示", "由会员分享", "上一篇", "下一篇", "版权所有",
          "蓝字", "关注我们", "点赞", "发表于", "本期编辑", "往期推荐", "END", "热点排行", "组织工作会议"]


@pytest.fixture(scope="module")
def noisy(tmp_path_factory):
    from api.settings import DEFAULT_LEXICON

    engine = Engine(EngineConfig(db=tmp_path_factory.mktemp("noisy"), lexicon_dir=DEFAULT_LEXICON),
                    encoder=FakeEncoder())
    reports = engine.ingest(sorted(p for p in NOISY.iterdir()
                                   if p.suffix in (".txt", ".html", ".md") and p.name != "README.md"))
    return engine, {r.path.rsplit("/", 1)[-1]: r for r in reports}


def _docs(engine, name):
    return [d for d in engine.store.documents() if d.path.endswith("/" + name)]


def _texts(engine, name):
    return [p.text for d in _docs(engine, name) for p in engine.store.document_passages(d.doc_id)]


def test_every_fixture_lands(noisy):
    engine, reports = noisy
    assert len(reports) >= 14
    assert all(r.ok and r.documents >= 1 for r in reports.values()), reports


def test_no_passage_carries_site_chrome(noisy):
    engine, reports = noisy
    for name in reports:
        for text in _texts(engine, name):
            for chrome in CHROME:
                assert chrome not in text, (name, chrome, text[:60])


def test_every_quote_is_exact(noisy):
    engine, _ = noisy
    for doc in engine.store.documents():
        original = engine.store.original_text(doc.doc_id)
        for p in engine.store.document_passages(doc.doc_id):
            assert original[p.start : p.end].strip()


def test_several_reports_in_one_page(noisy):
    engine, _ = noisy
    titles = [d.title for d in _docs(engine, "concatenated.txt")]
    assert len(titles) == 3
    assert titles[0].startswith("青川县白果村党支部")
    assert titles[1] == "县人民医院党委2023年党建工作总结"
    assert titles[2] == "江城理工学院党委2023年基层党建工作总结"
    first = _docs(engine, "concatenated.txt")[0].doc_id
    hit = next(h for h in engine.search("一村一策 整顿提升", k=10).hits if h.doc_id == first)
    assert hit.reference and "党建文库网" in hit.reference


def test_traditional_script_with_pinyin(noisy):
    engine, _ = noisy
    joined = "".join(_texts(engine, "traditional_pinyin.txt"))
    assert "经济发展" in joined
    assert "jīng" not in joined and "(jì)" not in joined
    assert "(AI)" in joined


def test_a_glossed_page_is_found_without_its_glosses_and_shown_with_them(noisy):
    """Matching reads 经济发展; the hit shows the page's words as published, so a phrase copied from the page
    (in simplified script) is found in the hit's text, and the quote stays the original."""
    from ingest.clean import to_simplified

    engine, _ = noisy
    doc = _docs(engine, "traditional_pinyin.txt")[0].doc_id
    hit = next(h for h in engine.search("党建引领经济发展", k=10).hits if h.doc_id == doc)
    copied = "堅持以黨建引領經(jīng)濟(jì)發(fā)展(zhǎn)"
    assert copied in hit.quote
    assert to_simplified(copied) in hit.text
    stored = engine.store.passages([n for n in engine.store.nums_with(doc_ids={doc})])
    assert all("(jīng)" not in p.text for p in stored.values())


def test_letterspaced_pdf_text(noisy):
    engine, _ = noisy
    joined = "".join(_texts(engine, "letterspaced.txt"))
    assert "62.4%" in joined and "35万元" in joined
    assert " 层" not in joined


def test_two_interleaved_columns(noisy):
    engine, _ = noisy
    joined = "".join(_texts(engine, "two_columns.txt")).replace("\n", "")
    assert "“院坝说事”机制" in joined
    assert "累计服务时长超过1.6万小时" in joined


def test_redactions_are_kept(noisy):
    engine, _ = noisy
    joined = "".join(_texts(engine, "redactions.txt"))
    assert "XX县" in joined and "20xx年" in joined


def test_docx_page_fragments(noisy):
    engine, _ = noisy
    joined = "".join(_texts(engine, "docx_pages.txt")).replace("\n", "")
    assert "认真落实党建工作责任制" in joined and "失之于宽、失之于软" in joined


def test_html_page_with_sidecar(noisy):
    engine, _ = noisy
    docs = _docs(engine, "page.html")
    assert len(docs) == 1
    meta = engine.store.document(docs[0].doc_id).meta
    assert meta.get("url", "").startswith("http")


def test_a_post_from_a_messaging_platform(noisy):
    engine, _ = noisy
    (doc,) = _docs(engine, "post.txt")
    assert doc.title == "石桥村:“党员联络户”让服务直达家门"
    texts = _texts(engine, "post.txt")
    assert any(t.startswith("二、聚焦联得紧") for t in texts)   # the short last section is kept


def test_a_digest_of_dated_news_items_with_a_ranked_list_between_its_lines(noisy):
    engine, _ = noisy
    titles = [d.title for d in _docs(engine, "news_digest.txt")]
    expected = ["党建引领让老旧小区焕发新颜", "“小积分”激发村民参与热情", "流动党员有了“网上家园”"]
    assert sorted(titles) == sorted(expected)


def test_a_sidebar_on_the_same_lines_as_the_article(noisy):
    engine, _ = noisy
    (doc,) = _docs(engine, "side_by_side.txt")
    assert doc.title == "石桥村推行“院坝议事”让村民说了算"
    joined = "".join(_texts(engine, "side_by_side.txt")).replace("\n", "")
    assert "党支部针对村民参与村务热情不高的问题,推行“院坝议事”工作法,每月在院坝召开一次议事会" in joined
    assert "党员人数36人" in joined and "村民小组8个" in joined


def test_a_collection_of_marked_reports(noisy):
    engine, _ = noisy
    docs = _docs(engine, "collection.txt")
    assert sorted(d.title for d in docs) == ["城东街道关于推进小区党建全覆盖的情况报告", "白果村党支部2023年工作总结"]
    texts = _texts(engine, "collection.txt")
    assert not any("篇一" in t or "篇二" in t for t in texts)
    roles = {p.role for d in docs for p in engine.store.document_passages(d.doc_id)}
    assert {"practice", "problem"} <= roles


def test_character_references_from_a_pages_source(noisy):
    engine, _ = noisy
    (doc,) = _docs(engine, "char_refs.txt")
    assert doc.title == "青川县“三个一”机制激活流动党员队伍"
    texts = _texts(engine, "char_refs.txt")
    assert texts and not any("&" in t for t in texts)
    assert any("依托“云上党支部”开展线上组织生活" in t for t in texts)
    original = engine.store.original_text(doc.doc_id)
    quotes = [original[p.start:p.end] for p in engine.store.document_passages(doc.doc_id)]
    assert quotes and all(q.strip() and not q.endswith("&") for q in quotes)   # a reference is quoted whole
    assert any(q.rstrip().endswith("&#12290;") for q in quotes)
    measures = {e.name for e in engine.entities("measure")}
    assert "依托云上党支部开展线上组织生活" in measures


@pytest.mark.parametrize(("name", "title", "marks", "roles"), [
    # a page's source saved as text is read as HTML: no tag or menu item in a passage
    ("source_as_text.txt", "白果村推行“院坝议事”", ("<", "首页", "通知公告"), {"practice"}),
    # Markdown's marks leave the title and the headings, which then give the sections their roles
    ("markdown.md", "城东街道推行“楼栋长”制度的调研报告", ("#", "**"), {"practice", "problem"}),
])
def test_markup_leaves_titles_passages_and_headings(noisy, name, title, marks, roles):
    engine, _ = noisy
    (doc,) = _docs(engine, name)
    assert doc.title == title
    texts = _texts(engine, name)
    assert texts and not any(mark in t for t in texts for mark in marks)
    assert roles <= {p.role for p in engine.store.document_passages(doc.doc_id)}


def test_hard_wrapped_lines_read_as_paragraphs(noisy):
    engine, _ = noisy
    (doc,) = _docs(engine, "wrapped.txt")
    assert doc.title == "关于白果镇推行“网格党小组”工作法的调研报告"
    texts = _texts(engine, "wrapped.txt")
    assert any("组织生活难以开展的问题,创新推行“网格党小组”工作法" in t for t in texts)
    assert any(t.startswith("一、主要做法\n") for t in texts)
    assert "以村民小组为单元划分网格" in {e.name for e in engine.entities("measure")}


def test_a_page_on_one_line_is_cut_at_its_paragraph_indents(noisy):
    engine, _ = noisy
    (doc,) = _docs(engine, "one_line.txt")
    assert doc.title == "石桥村推行“院坝议事”工作法"
    roles = {p.role for p in engine.store.document_passages(doc.doc_id)}
    assert {"practice", "problem"} <= roles


def test_a_headline_below_an_unknown_line_and_an_image_name_titles_its_page(noisy):
    engine, _ = noisy
    (doc,) = _docs(engine, "headless_news.txt")
    assert doc.title == "青川县推行“院坝议事”让村民的事村民议"
    texts = _texts(engine, "headless_news.txt")
    assert not any(chrome in t for t in texts for chrome in ("影视", "IMG", "cover", "李明", "微博", "第3期", "客户端",
                                                                    "相关文档", "白果村"))
    assert "院坝议事" in {e.name for e in engine.entities("practice")}


def test_a_running_header_beside_page_numbers_leaves_the_text_and_its_headings(noisy):
    engine, _ = noisy
    (doc,) = _docs(engine, "running_header.txt")
    passages = engine.store.document_passages(doc.doc_id)
    assert not any("内部资料" in p.text for p in passages)
    assert {p.section: p.role for p in passages}["二、主要做法 / (二)实施头雁培育计划"] == "practice"


def test_a_converted_page_is_matched_with_the_standard_word_and_shown_as_published(noisy):
    """The converter's 效劳 reads as 服务 for matching and extraction; the hit shows the page's words, so a sentence
    copied from the page is found in its text."""
    engine, _ = noisy
    doc = _docs(engine, "converted.txt")[0].doc_id
    assert all("效劳" not in t for t in _texts(engine, "converted.txt"))
    hit = next(h for h in engine.search("党员志愿服务队 便民服务站", k=10).hits if h.doc_id == doc)
    assert "效劳" in hit.text and "服务" not in hit.text
    # an entity named there is listed under the standard word, and found under the page's words too
    station = next(e for e in engine.entities("practice") if e.name == "柳湾服务驿站")
    assert "柳湾效劳驿站" in station.aliases

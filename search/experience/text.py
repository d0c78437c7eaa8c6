"""Reading a passage: where its lead sentence ends, which entity it is a case of, and when two names are one."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from ingest.extract.measures import NOT_ACTION_ENDS, states_basis, states_outcome
from ingest.extract.shortfall import states_shortfall
from ingest.extract.spans import OPENERS
from ingest.titles import dateline_end
from kg.records import NamedEntity

# A passage's lead ends at its first sentence end after this many characters.
MIN_LEAD_CHARS = 4
# a half-width full stop ends a sentence between Chinese characters ("工作格局.在…", a converter's output),
# not in a number ("2. 构建…", "3.5").
_SENTENCE_END = re.compile(r"[。！？!?；;\n]|(?<=[\u4e00-\u9fff）)”])\.(?=[\u4e00-\u9fff（(“])")


def lead_end(text: str) -> int:
    r"""End of a passage's lead: its first sentence, where a report states what was done; a passage opening
    with a heading line ("一、主要做法") leads with the heading and the first sentence under it.

    >>> lead_end("推进网络媒体党建覆盖。市委明确要求……")
    11
    >>> text = "一、主要做法\n(一)推进楼宇党建覆盖。依托物业公司……"
    >>> text[: lead_end(text)]
    '一、主要做法\n(一)推进楼宇党建覆盖。'
    """
    match = _SENTENCE_END.search(text, MIN_LEAD_CHARS)
    if match is None:
        return len(text)
    if match.group() == "\n" and match.end() < len(text):
        under = _SENTENCE_END.search(text, match.end() + MIN_LEAD_CHARS)
        return under.end() if under else len(text)
    return match.end()


def pick_entity(mentions: list[NamedEntity], lead: int, used: set[str],
                documents: Callable[[str], int], addressing: frozenset[str] = frozenset()) -> NamedEntity | None:
    """The entity a passage is a case of: a named practice in the passage's lead sentence or one that
    `addresses` the question's problem first; then the measure the lead states, unless a practice named
    further on is named by other reports too (a named practice is what other reports take up, and its
    other mentions show where); then the most documented practice; then the first measure.

    `mentions` are in order of their first mention's start; `lead` is `lead_end(text)`; `documents(id)`
    counts the reports naming an entity.

    >>> rows = [NamedEntity("measure:a", "a", "measure", 0), NamedEntity("practice:b", "b", "practice", 5),
    ...         NamedEntity("practice:c", "c", "practice", 40)]
    >>> docs = {"practice:b": 1, "practice:c": 4}.get
    >>> pick_entity(rows, 20, set(), docs).id
    'practice:b'
    >>> pick_entity(rows, 3, set(), docs).id
    'practice:c'
    >>> pick_entity(rows[:1], 3, set(), docs).id
    'measure:a'
    >>> pick_entity(rows[:1], 3, {"measure:a"}, docs) is None
    True
    """
    free = [m for m in mentions if m.type in ("practice", "measure") and m.id not in used]
    practices = [m for m in free if m.type == "practice"]
    on_topic = [m for m in practices if m.start < lead or m.id in addressing]
    lead_measures = [m for m in free if m.type == "measure" and m.start < lead]
    shared = [m for m in practices if documents(m.id) > 1]
    if on_topic:
        return max(on_topic, key=lambda m: documents(m.id))
    if lead_measures and not shared:  # what the passage is about, before a practice no other report names
        return lead_measures[0]
    if practices:
        return max(practices, key=lambda m: documents(m.id))
    return free[0] if free else None


def name_similarity(a: str, b: str) -> float:
    """Dice coefficient of two names' character bigrams (1.0 for the same bigrams).

    >>> round(name_similarity("建设一支素质优良的专业化社区工作者队伍", "建立一支素质优良的专业化社区工作者队伍"), 2)
    0.89
    >>> round(name_similarity("建设素质优良的专业化社区骨干队伍", "建设一支素质优良的专业化社区工作者队伍"), 2)
    0.67
    """
    ga = {a[i : i + 2] for i in range(len(a) - 1)}
    gb = {b[i : i + 2] for i in range(len(b) - 1)}
    return 2 * len(ga & gb) / (len(ga) + len(gb)) if ga and gb else float(a == b)


# Enumeration before a heading or measure: "一、", "(三)", "2.", "第一，", "一是", "首先,", and the number of a rule's
# article (第十条 of a 办法 or 规定).
_ENUMERATION = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、.．]|\d+[、.．]\s*|"
                          r"第[一二三四五六七八九十]+[，,、]|第[一二三四五六七八九十百零\d]+条\s*|[一二三四五六七八九十]是|"
                          r"(?:首先|其次|再次|最后)[，,])")
_CLAUSE_END = re.compile(r"[，,：:。！？!?；;\n]")
# A passage's own statement names a case at most this long (a measure's name, not a paragraph).
MAX_STATEMENT_CHARS = 40
# The sentences read for a statement: the lead and the one after it.
STATEMENT_SENTENCES = 2
# Sentences searched for a clause holding an action verb, when the caller gives the verbs. On devweb the
# names change (narrative leads give way to what was done) and experience recall@10 stays 0.607 at 2 and 4.
ACTION_SENTENCES = 4
# A lead clause ending like this sets the scene (改革开放以来, 近年来, 在…过程中), it states no action.
_SCENE_END = re.compile(r"(?:以来|年来|年前|以前|之前|(?<![落滞背最])后|期间|时期|过程中|方面|"
                        r"背景下|形势下|情况下|之际|的时候)$")
# … or tells what the whole country or places in general did (我国多省相继开展了…, 各地纷纷建立…): the setting of a
# report, not a case one place can show.
# (not 全国文明村…, an honour before a local subject)
_GENERAL_SUBJECT = re.compile(r"^(?:我国|全国各地|各地|多地|多省|各省|各大城市|(?:许多|不少|一些|很多)地方)")
# … or is only a place or an occasion (在某村每月的党员会上, 在村口的议事长廊里): 在 … 上/中/里/内/下.
_LOCATIVE = re.compile(r"^(?:[坐站住躺蹲待呆])?在[^在]{1,30}[上中里内下]$")  # … or where someone sits (坐在…家里)
# A clause that describes what something is or where it lies (某社区作为…, 某厂区位于…, 家住…) states no action;
# 把/将/以…作为… is an action (把积分制作为抓手).
_STATE = re.compile(r"(?<![把将以])(?:作为|处于|位于|地处|坐落|家住|属于)")
_DISPOSAL = re.compile(r"[把将以][^，,]{0,24}作为")
# … or opening like this (随着城镇化的推进).
_SCENE_START = re.compile(r"(?:随着|伴随着?)"
                          # … or by the years of effort before an outcome (通过几年努力, 经过不懈奋斗)
                          r"|^(?:通过|经过)(?:[\d一二三四五六七八九十两几多数]+年(?:来|的)?|多年|几年|数年|长期|持续|"
                          r"不懈|坚持不懈|艰苦|一段时间的?)*(?:努力|奋斗|拼搏|打拼)$")
# A clause that is only a time (2019年9月底, 3月5日上午, 去年以来) sets the scene too.
_TIME_ONLY = re.compile(r"^(?:[\d一二三四五六七八九十零〇两]+(?:年|月|日|号)|[上中下]旬|[年月]?[初底末中]|"
                        r"今年|去年|前年|近年|近期|目前|当前|上午|下午|晚上|早上|凌晨|期间|以来|前后|左右|[年月日])+$"
                        # 从本世纪初开始, 自2018年起: the time it starts from (not 从小事抓起)
                        r"|^[从自][^，,]{0,10}(?:年|月|日|初|底|末|世纪|以后|那时|今天|现在|即日)(?:开始|起)$")
# A clause attributing what follows to a speaker (…告诉记者, …介绍说, …表示) states no action itself.
_SPEECH_END = re.compile(r"(?:告诉记者|对记者说|向记者介绍|介绍说|介绍|表示|说道|坦言|感慨|笑着说|说)$")
# A clause bringing something up (说起往事, 老党员说起几年前的情形) narrates; it states no action
# (说到做到 is a promise kept, not a narration); so does one opening with 回忆 (组织老党员回忆入党经历 is an action).
_NARRATION = re.compile(r"说起|谈起|提起|谈到|说到(?!做到)|讲起|^回忆|^回想")
# A short clause introducing a finding (实践证明, 调研发现, 数据显示): what follows is a judgement or a fact found
# (村级台账资料过多), not what was done.
_FINDING = re.compile(r"^[\u4e00-\u9fff]{0,10}(?:证明|表明|显示)了?$"  # 经过十多年实践证明
                      r"|^[\u4e00-\u9fff]{0,6}(?<!早)发现了?$"  # 调研发现, not 矛盾纠纷早发现
                      # … and someone finding something out where they were (某社区委员张三在走访中发现)
                      r"|^[^，,]{2,40}在[^，,在]{1,10}中(?:发现|了解到|注意到|得知)了?$")
# After a scene (近年来，…), a clause states an action when it opens with its means: 通过…, 依托…, 采取…
_MEANS = re.compile(r"(?:通过|依托|采取|采用|借助|利用|坚持|按照|围绕|立足|聚焦|针对|以)")
_OPENING_MARKS = "“”‘’\"'「」『』"
# A date or time stamp of a page (2017-11-25 01:41, 2019/3/5, 10:30) names nothing; its colon would cut a clause.
_STAMP = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?|"
                    r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?")
_CJK = re.compile(r"[\u3400-\u9fff]")
# The shortest clause that can state an action (建立台账); shorter ones are fragments (之前, 为此).
MIN_CLAUSE_CHARS = 4
# An action clause this short (精心组织, 强化领导) is an item's slogan; a longer action clause of the same two
# sentences names the case better (要广泛动员党员参与邻里互助).
MIN_NAMING_CHARS = 6


def lead_statement(text: str, action: re.Pattern | None = None) -> str:
    """What a passage states first, as a name: the first clause of its lead, or of the sentence after it, that
    states an action. Enumeration and opening quotes are dropped; a clause that sets the scene (改革开放以来,
    近年来, 2019年9月底), attributes speech (…告诉记者, …表示), gives a news dateline (…讯, 记者…), states a
    shortfall or defines something ("…是…") is skipped. For a passage whose practice or measure extraction did
    not name. "" when no clause of those sentences states an action.

    With `action` (the lexicon's action verbs), the first such clause of the first ACTION_SENTENCES sentences
    that holds an action verb is preferred: a narrative lead (这样的无奈, 老王很感慨) is passed over for the
    clause after it that says what was done; without one, the first clause as above.

    >>> lead_statement("（二）建立流动党员网络党支部，通过微信群开展组织生活。")
    '建立流动党员网络党支部'
    >>> lead_statement("2. 推行“积分制”管理。")
    '推行“积分制”管理'
    >>> lead_statement("改革开放以来，非公经济迅速发展。"), lead_statement("一些党组织作用发挥不够。")
    ('', '')
    >>> lead_statement("张三是村务监督委员会主任。他带领村民建立村务公开栏，每月公开账目。")
    '他带领村民建立村务公开栏'
    >>> lead_statement("“以前，村里没有一分钱收入。近两年来，通过出租闲置厂房发展物业经济，每年增收十万元。")
    '通过出租闲置厂房发展物业经济'
    >>> lead_statement("二十年前，村里很穷。"), lead_statement("推行积分制管理后，党员参加活动的多了。")
    ('', '')
    >>> lead_statement("本报讯（记者王五）3月5日上午，某镇召开党员大会。"), lead_statement("李四告诉记者，村里修了路。")
    ('某镇召开党员大会', '村里修了路')
    >>> lead_statement("随着城镇化的推进，村里人口外流。"), lead_statement("随着城镇化的推进，通过议事会商量村务。")
    ('', '通过议事会商量村务')
    >>> lead_statement("2017-11-25 01:41 某镇建立村民议事会，每月公示。"), lead_statement("2019/3/5 10:30")
    ('某镇建立村民议事会', '')
    >>> lead_statement("某市按照省委组织部要求，逐村制定整改方案。")
    '逐村制定整改方案'
    >>> lead_statement("石桥社区作为全县最老的社区，居民多为退休职工。"), lead_statement("老王家住白果村三组。")
    ('', '')
    >>> lead_statement("柳湾县把村级积分制作为抓基层党建的重要抓手，在全县推行积分管理。")
    '柳湾县把村级积分制作为抓基层党建的重要抓手'
    >>> lead_statement("在白果村每月的党员大会上，村监委会主任公开上月账目。")
    '村监委会主任公开上月账目'
    >>> acts = re.compile("建立|召开")
    >>> text = "说起这件事，老王很感慨。村里很穷。大家都着急。后来，村里建立了议事会，每月召开一次。"
    >>> lead_statement(text), lead_statement(text, acts)
    ('村里很穷', '村里建立了议事会')
    >>> lead_statement("说起往事，老王笑了。"), lead_statement("检查各项措施是否落实到位。")  # 是否 names no method
    ('老王笑了', '')
    >>> lead_statement("从本世纪初开始，我国多省相继开展了选派干部到村任职的工作。"), lead_statement("各地建立中心。")
    ('', '')
    >>> lead_statement("自2018年起，柳湾村推行积分制管理。"), lead_statement("从群众身边小事抓起。")
    ('柳湾村推行积分制管理', '从群众身边小事抓起')
    >>> lead_statement("全国文明村柳湾村推行积分制管理。")
    '全国文明村柳湾村推行积分制管理'
    >>> lead_statement("回忆当天情景，老王说起了往事。"), lead_statement("在架构不变的情况下，选拔负责人进入大工委。")
    ('', '选拔负责人进入大工委')
    >>> lead_statement("加装电梯协调起来特别难。我们的办法是党员带头、每栋楼单独商量方案。", acts)
    '党员带头、每栋楼单独商量方案'
    >>> lead_statement("坐在小区的家里，老王说起了往事。")
    ''
    >>> lead_statement("通过几年努力，柳湾村旅游收入达到1亿元。"), lead_statement("通过党员带头，拆除违建12处。")
    ('', '通过党员带头')
    >>> lead_statement("通过支部引领群众共同努力，柳湾村脱贫。")
    '通过支部引领群众共同努力'
    >>> lead_statement("经过三年的不懈奋斗，柳湾村脱贫。")
    ''
    >>> lead_statement("第十条 驻村干部实行打卡考勤。")
    '驻村干部实行打卡考勤'
    >>> lead_statement("某社区兼职委员张三在走访中发现，楼道堆物多。")
    ''
    >>> text, mobilise = "二是精心组织，广泛发动。要广泛动员党员参与邻里互助活动。", re.compile("组织|发动|动员")
    >>> lead_statement(text, mobilise), lead_statement(text), lead_statement("二是精心组织。", mobilise)
    ('要广泛动员党员参与邻里互助活动', '精心组织', '精心组织')
    """
    text = _answer(text)
    first = short = ""
    start = 0
    for index in range(max(STATEMENT_SENTENCES, ACTION_SENTENCES if action else 0)):
        end = start + lead_end(text[start:])
        for clause, stated in _statements(text[start:end]):
            if stated or action is None or action.search(clause):
                if stated or action is None or len(_CJK.findall(clause)) >= MIN_NAMING_CHARS \
                        or index >= STATEMENT_SENTENCES:
                    return short if short and not stated and index >= STATEMENT_SENTENCES else clause
                short = short or clause  # 精心组织: a slogan of the item; the clause after it may say what
                continue
            if not first and index < STATEMENT_SENTENCES:
                first = clause
        start = end
        if start >= len(text):
            break
    return short or first


def _cut(clause: str) -> str:
    """A clause as a name of at most MAX_STATEMENT_CHARS: cut there, but before a title, quotation or bracket
    the cut would leave open (…印发《关 → …印发).

    >>> _cut("推行积分制管理")
    '推行积分制管理'
    >>> _cut("县委组织部、县委宣传部、县民政局、县财政局联合印发《关于加强社区工作者队伍建设的意见》")
    '县委组织部、县委宣传部、县民政局、县财政局联合印发'
    """
    name = clause[:MAX_STATEMENT_CHARS]
    for i in range(len(name) - 1, 0, -1):  # a mark opening the clause is left: cutting there leaves nothing
        close = OPENERS.get(name[i])
        if close is not None:
            return name if close in name[i:] else name[:i].rstrip("，,、：: ")
    return name


def _without_speech(lead: str) -> str:
    """A sentence without the quoted speech it opens with: “赶快下楼占车位,…打电话。”家住… says what someone
    said, not what was done; "" when the quotation runs to the sentence's end.

    >>> _without_speech("“积分又加了5分!”“我们也要加油!”上周,双河村评出积分榜")
    '上周,双河村评出积分榜'
    >>> _without_speech("“赶快下楼占车位,没占到就给我打电话。"), _without_speech("推行“积分制”管理")
    ('', '推行“积分制”管理')
    """
    lead = lead.lstrip("”’")  # the close of a quotation whose sentence ended inside it
    while lead.startswith("“"):
        close = lead.find("”")
        if close < 0:
            return ""
        lead = lead[close + 1 :].lstrip(" ,，:：")
    return lead


# An interview: the interviewer's question (记者：…, 问：…) says nothing done; the answer's speaker label
# (李书记：, 答：) is no part of what it says.
_QUESTION_LINE = re.compile(r"\s*(?:记者|问|主持人|Q)\s*[:：]")
_ANSWER_LABEL = re.compile(r"\s*(?:答|A|[\u4e00-\u9fff]{1,4}(?:书记|主任|部长|局长|镇长|乡长|县长|村长|代表|委员|经理|"
                           r"老师|同志))\s*[:：]")
# A clause naming the way something was done (我们的办法是…, 主要做法是…): what follows 是 is the statement.
_METHOD = re.compile(r"(?:办法|做法|经验|思路|举措|措施|路子)(?:就|主要)?是(?!否)")


def _answer(text: str) -> str:
    r"""A passage without an interviewer's question line opening it and without the answer's speaker label.

    >>> _answer("记者：社区怎样加装电梯？\n李书记：我们先在党员多的楼栋试点。")
    '我们先在党员多的楼栋试点。'
    """
    lines = text.split("\n")
    if len(lines) > 1 and _QUESTION_LINE.match(lines[0]):
        text = "\n".join(lines[1:])
    label = _ANSWER_LABEL.match(text)
    return text[label.end():] if label else text


# A table's row flattened into text: cells apart by a tab, or three figures apart by spaces (…党支部 23 2023年3月…).
_TABLE_ROW = re.compile(r"\t|\d+\S*\s+\d+\S*\s+\S*\d")


def _statements(lead: str) -> Iterator[tuple[str, bool]]:
    """The clauses of one sentence that may name what was done, in order (see lead_statement), each with
    whether the text says it is the way something was done (我们的办法是…)."""
    lines = [line for line in lead.strip().splitlines() if line.strip()]
    lead = lines[-1] if len(lines) > 1 and len(_ENUMERATION.sub("", lines[-1])) > 4 else (lines[0] if lines else "")
    if lead.rstrip().rstrip("”’\"'").endswith(("?", "？")):
        return  # a question (大家还记得那场大水不?) tells nothing done
    lead = _STAMP.sub(" ", lead).strip()
    lead = _without_speech(_ENUMERATION.sub("", lead[dateline_end(lead):]).strip())  # past 本报讯（记者…）
    after_scene = False
    for clause in _CLAUSE_END.split(lead):
        clause = clause.strip().lstrip(_OPENING_MARKS).strip()
        # what follows a scene is background unless it says by what means
        if _LOCATIVE.match(clause):
            continue  # where it happened; the clause after it says what was done
        if _SCENE_END.search(clause) or _SCENE_START.match(clause) or _GENERAL_SUBJECT.match(clause):
            after_scene = True
            continue
        if after_scene and not _MEANS.match(clause):
            return
        if len(_CJK.findall(clause)) < MIN_CLAUSE_CHARS or _TIME_ONLY.match(clause) or _SPEECH_END.search(clause):
            continue
        if _NARRATION.search(clause) or clause.endswith(NOT_ACTION_ENDS) and not clause.endswith("的话"):
            continue  # 回忆当天情景, …不变的前提下: telling, or the circumstance of what follows (听党的话 acts)
        if _FINDING.match(clause):
            return  # what follows is what was found or judged, not what was done
        method = _METHOD.search(clause)
        if method and len(_CJK.findall(clause[method.end():])) >= MIN_CLAUSE_CHARS:
            yield _cut(clause[method.end():]), True
            return
        if states_shortfall(clause) or "是" in clause:  # "…是…": a definition
            return
        if _STATE.search(clause) and not _DISPOSAL.search(clause):
            after_scene = True  # a description sets the scene as 近年来 does
            continue
        if states_basis(clause):
            continue  # 某市按照上级要求: what the action follows, not the action
        if states_outcome(clause) or _TABLE_ROW.search(clause):
            continue  # 组织力明显增强: what it brought; a table's row flattened into a line names nothing
        yield _cut(clause), False

"""Practices: quoted terms by context, number slogans, plus-schemes, names before a practice head."""

from __future__ import annotations

import pytest

from ingest.extract import extract_practices
from ingest.extract.practices import clean_name, slogan_shape


def names(mentions, kind: str) -> list[str]:
    """Names of the mentions of one type, in text order."""
    return [m.name for m in mentions if m.type == kind]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我县深入推行“四下基层”工作制度,全面推广“枫桥经验”。", ["四下基层", "枫桥经验"]),
        ("探索形成了“党建+网格+大数据”治理模式。", ["党建+网格+大数据治理模式"]),
        ("该镇推行“马上就办”工作法,建立“7+X”联席会议机制。", ["马上就办工作法", "7+X联席会议机制"]),
        ("创新实施“1+10+N”网格化管理。", ["1+10+N"]),
        ("全面落实一岗双责制度,坚持一村一品发展路子。", ["一岗双责"]),
        ("持续开展“好邻居”“好婆婆”等评选活动。", ["好邻居", "好婆婆"]),
        ("深入开展“两学一做”、“不忘初心”主题教育。", ["两学一做", "不忘初心"]),
        ("各村学习小岗村经验,推广张富清工作法。", ["小岗村经验", "张富清工作法"]),
        ("该县实施乡村电商助农增收工程,带动群众。", ["乡村电商助农增收工程"]),
        ("总结出“问需、会商、承办、反馈”四步工作法。", ["四步工作法"]),
        ("社区推出三联工作法,效果明显。", ["三联工作法"]),
        ("镇里开设“田间党员学校”,建起“红色驿站”。", ["田间党员学校", "红色驿站"]),
        ("街道上线“邻里通”智慧服务平台。", ["邻里通智慧服务平台"]),
        ("全面落实“两会商、一督办”方案。", ["两会商、一督办"]),
        ("始终坚持做到四个“到位”,确保落地。", ["四个到位"]),
        ("把党小组建在车间上,把党员放在岗位上。", ["党小组建在车间上"]),
        ("创办流动党校,开设田间课堂。", ["流动党校", "田间课堂"]),
        ("依托党群服务中心建设货车司机驿站。", ["货车司机驿站"]),
        ("石桥村成立红色代办工作室。", ["红色代办工作室"]),
        # a mechanism whose first word names a duty; who a team is made of, at length
        ("启动“一户一党员”责任包保机制,群众按就近原则分到党员名下。", ["一户一党员责任包保机制"]),
        ("组建由党员、网格员、景区保安组成的“柳帆巡查队”,每天巡查。", ["柳帆巡查队"]),
        # an item's heading opening with the quote and its action, a problem that action acts on after it
        ("(三)“三个一点”破解资金难题。", ["三个一点"]),
        # the means of the work framed by 作为; a structure after 的; who a group is made of, at greater length
        ("该县在整顿中把“党员回引”作为关键举措。", ["党员回引"]),
        ("形成“支部+合作社+农户”的组织架构。", ["支部+合作社+农户"]),
        ("构建“2+5+N”三级党组织架构。", ["2+5+N"]),  # no slogan cut out of 党组织 (三级党组)
        ("推行“柳湾会商”联席会议制度。", ["柳湾会商联席会议"]),  # the whole word, not 联席会 of 联席会议
        ("实施“党员先锋”工程建设。", ["党员先锋"]),  # 工程 only opens 工程建设
        ("组建由农业、商贸、金融等界别委员组成的“柳湾助农团”,先后12次到村调研。", ["柳湾助农团"]),
    ],
)
def test_practices_are_found_from_the_language(lexicon, text, expected):
    assert names(extract_practices(text, lexicon), "practice") == expected


@pytest.mark.parametrize(
    "text",
    [
        "个别村成为“空壳村”,有的成了经济上的“负债村”。",
        "导致党建工作和业务工作“两张皮”,有的把社区岗位当作“跳板”。",
        "实现集体经济无“空白村”的目标,部分机关存在“灯下黑”。",
        "调研存在“蜻蜓点水”的形式主义现象,出现“上热下冷”现象。",
        "认真学习“三个代表”重要思想,充分发挥“第一书记”作用。",
        "加强党建工作,解决实际问题,推动基层党建。",
        "办好各类课堂,依托柳湾县委党校开展轮训,创建示范驿站。",
        # a duty is no practice
        "压实“一岗双责”责任。",
        # a title won
        "民宿联合党支部被评为全县“五星级党支部”,先后获评“全省旅游名镇”。",
        "嘎查党支部被评为全盟“五星级党支部”,苏木获评市级“示范苏木”。",
        # a problem opening a clause with what it does is no means
        "“形式主义”困扰基层干部。",
        # a quote harming, or opening a sentence that is no item; a principle or a post taken as a means
        "（四）“层层加码”加重基层负担。",
        "群众反映强烈。“老支书”带领群众致富。",
        "把“四个意识”作为重要抓手。",
        "张某担任“调解员”,化解纠纷。",
    ],
)
def test_problem_labels_and_generic_words_are_not_practices(lexicon, text):
    assert names(extract_practices(text, lexicon), "practice") == []


def test_a_campaign_against_a_problem_is_a_practice(lexicon):
    found = names(extract_practices("全面实施“消除空壳村”行动。", lexicon), "practice")
    assert found == ["消除空壳村行动"]


def test_surface_is_the_exact_span_and_mentions_repeat(lexicon):
    text = "推行“马上就办”工作法。马上就办让群众少跑腿。"
    mentions = extract_practices(text, lexicon)
    assert [text[m.start : m.end] for m in mentions] == [m.surface for m in mentions]
    assert [m.attributes["source"] for m in mentions] == ["quote", "repeat"]


@pytest.mark.parametrize(
    "text",
    [
        "建立健全长效机制,完善考核激励机制。",
        "三个工程同时推进,四项机制已经建立。",
        "打造“党建品牌”,办好“党建服务”。",
        "这三个“不”字说明了问题,有的村“两委”不团结。",
    ],
)
def test_generic_and_counted_things_are_not_named_practices(lexicon, text):
    assert names(extract_practices(text, lexicon), "practice") == []


@pytest.mark.parametrize(
    ("term", "shaped"),
    [
        ("一岗双责", True),
        ("五个好", False),
        ("两学一做", True),
        ("1+X", True),
        ("支部+协会", True),
        ("第一书记", False),
    ],
)
def test_slogan_shape(term, shaped):
    assert slogan_shape(term) is shaped


def test_clean_name_unifies_inner_commas():
    assert clean_name("“抓班子,强队伍”") == "抓班子、强队伍"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("依托“邻里帮办”服务群众,收集诉求200余件。", ["邻里帮办"]),   # 服务 with its object is a verb
        ("“书记工作室”项目化推进重点任务。", ["书记工作室"]),          # 项目化: an adverb, not a head
        ("推行“一码通”平台服务企业群众。", ["一码通平台"]),
        ("该县创新实施“红色代办”服务,群众办事不出村。", ["红色代办服务"]),  # 服务 ending the name stays
        ("社区推出“幸福食堂”服务项目。", ["幸福食堂服务项目"]),
    ],
)
def test_a_head_that_acts_on_an_object_ends_no_name(lexicon, text, expected):
    assert names(extract_practices(text, lexicon), "practice") == expected


def test_a_council_and_a_place_of_the_work_are_named_after_the_verb_and_its_aspect(lexicon):
    # 联席会 names a standing council (a word of two may name it); 了 after the verb is no part of the name
    text = ("后来我们建立了三方议事联席会,由社区党委书记牵头。社区设立了柳湾红心工作室。园区党工委建立链心联席会,"
            "镇党委在全镇推开银发守护行动。")
    found = [m.name for m in extract_practices(text, lexicon)]
    assert found == ["三方议事联席会", "柳湾红心工作室", "链心联席会", "银发守护行动"]
    # a council with no name before its head names no practice
    assert [m.name for m in extract_practices("建立联席会议制度,定期召开联席会。", lexicon)] == []


@pytest.mark.parametrize(("text", "expected"), [
    # a quoted thing set up, drawn or built (设置了, 绘制了, 改造成) is a practice
    ("社区绘制了“便民服务图”,把服务点印在上面。", ["便民服务图"]),
    ("园区在驿站设置了“骑手服务台”,邀请部门驻点。", ["骑手服务台"]),
    ("把闲置的仓库改造成“红色议事驿站”,供居民议事。", ["红色议事驿站"]),
    # … not an honour a place was made into (建成 is no practice verb) nor a date's lesson
    ("把柳湾村建成“全省文明村”。", []),
    ("讲好“七一”党课。", []),
    # 改造成 is no 造成: a problem verb ends no practice verb; 造成 itself still leads a problem
    ("形式主义造成“走过场”。", []),
    # a quoted team (宣讲队, 突击队) is a practice, whatever verb formed it
    ("由老党员和驻村干部组成的“马背宣讲队”12支,深入牧区。", ["马背宣讲队"]),
    # a way of working a report is stuck at (停留在, 满足于) is a shortfall, not a practice
    ("党员教育仍停留在念文件的“填鸭式”教育,吸引力不强。", []),
    ("有的支部满足于“开开会”,活动流于形式。", []),
])
def test_a_quoted_thing_made_or_set_up_is_a_practice(lexicon, text, expected):
    assert [m.name for m in extract_practices(text, lexicon)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a count between the verb and the quote, or after the quote, and the 的 of a clause naming what was set up
    ("每季度开展一次“红色夜谈”,党员轮流主讲。", ["红色夜谈"]),
    ("全县设立“初心小站”36个,覆盖所有村。", ["初心小站"]),
    ("退休教师牵头组建的“银发帮学组”,手把手教老党员用手机。", ["银发帮学组"]),
    # a count alone makes nothing done: a problem stays a problem
    ("仍有3个“空壳村”没有集体收入。", []),
])
def test_a_quote_counted_or_set_up_by_a_clause_is_still_what_the_verb_made(lexicon, text, expected):
    assert [m.name for m in extract_practices(text, lexicon)] == expected


def test_an_unquoted_slogan_needs_its_verb_right_before_it(lexicon):
    # 形成的一镇一品: what the county's industry has become, not a practice someone set up
    assert extract_practices("根据目前形成的一镇一品、一村一品的产业发展特色,建立合作社党支部。", lexicon) == []


@pytest.mark.parametrize(("text", "expected"), [
    # what the verb acts for may stand between it and the quote
    ("落实发展党员“票决制”和“公示制”。", ["票决制", "公示制"]),
    ("三是建立入党积极分子“岗位实训营”。", ["岗位实训营"]),
    ("探索实施街道“大工委”,整合辖区资源。", ["大工委"]),
    # … but not a noun's first word after a verb of another kind: an aim reached is no practice
    ("创新方式方法,实现学习教育“多样化”。", []),
    # the frame 以…为 before a word of means
    ("县委以“减会减文”为突破口,出台十条硬措施。", ["减会减文"]),
    ("以“党建统领”为生命线,探索融合路径。", []),
])
def test_a_quote_after_what_the_verb_acts_for_or_framed_as_the_means(lexicon, text, expected):
    assert [m.name for m in extract_practices(text, lexicon)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("驻村工作队召开“院坝会”15次,逐户化解矛盾。", ["院坝会"]),  # a meeting convened under its name, counted
    ("召开“两委”会议研究集体经济。", []),                          # a body's name before what is held
])
def test_a_meeting_convened_under_a_quoted_name_is_a_practice(lexicon, text, expected):
    assert [m.name for m in extract_practices(text, lexicon)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("我们把这套办法概括为“三联三帮”。", ["三联三帮"]),        # a name given to a way of working
    ("辅导员轮流到楼栋值班,我们叫“书记进楼栋”。", ["书记进楼栋"]),
    ("老刘调解纠纷17起,被群众称为“和事佬”。", []),            # a nickname given to someone
    ("大家都叫他“老黄牛”。", []),
])
def test_a_name_given_to_a_way_of_working_is_a_practice_but_not_a_nickname(lexicon, text, expected):
    assert [m.name for m in extract_practices(text, lexicon)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a means framed by 以, though it reads as a phrase with 的, or followed by the action it serves
    ("街道党工委以“楼道里的支部”为抓手,服务居民。", ["楼道里的支部"]),
    ("以“党小组建在车间上”打通服务末梢。", ["党小组建在车间上"]),
    ("我们以“最美的风景”为题写了文章。", []),                    # 为题 names no means
    # what it is made of between the verb and the quote (组建了由…组成的“…”)
    ("社区组建了由15名退休教师组成的“银发宣讲团”,走进楼院。", ["银发宣讲团"]),
    # a post, a mini-program or a party group named by a quote
    ("在窗口设立“税小红”示范岗,由党员轮流值守。", ["税小红示范岗"]),
    ("开发“指尖课堂”小程序,把党课拆成短视频。", ["指尖课堂"]),
    ("在车队中建立“红色头雁”党小组12个。", ["红色头雁"]),
    ("一是建好“老兵之家”。", ["老兵之家"]),
    # a noun and the quote side by side after the verb
    ("我们依托服务中心和“云上支部”开展线上学习。", ["云上支部"]),
    # … but a state the action changes is no practice
    ("推动干部“坐等上门”变为“主动进家门”。", []),
    # a role the work sets up and the people chosen for it, and a name given whatever follows it
    ("社区选聘15名“红色议事员”,帮助居民协商。", ["红色议事员"]),
    ("行业党委选派20名“柳岚联络员”,一对多联系指导。", ["柳岚联络员"]),
    # a post of its own name that people take on, not a trade
    ("选派客户经理到村担任“柳湾金融官”,定期坐班。", ["柳湾金融官"]),
    ("骑手注册成为“柳岚巡查员”,随手上报问题。", ["柳岚巡查员"]),
    ("由退休法官担任“调解员”。", []),
    ("由他担任“村民小组长”,她担任“专职网格员”。", []),
    # items of one list, each with its count, that one verb set up; a day set aside under a name
    ("在船队中建立“柳湾党支部”1个、“浪花党小组”5个。", ["柳湾党支部", "浪花党小组"]),
    ("把每月10日定为“柳岚接待日”,由班子成员轮流接待。", ["柳岚接待日"]),
    # a headline opening with the quote that solves a problem it names
    ("柳湾街道：“柳岚管家”破解老旧小区“没人管”难题", ["柳岚管家"]),
    ("社区：“等靠要”消除了", []),
    ("“柳湾党员”清理问题突出。", []),  # a problem compound right after the verb: the quote is what is dealt with
    # slogans listed inside one quotation, one scheme named whole; a series of measures; a window, a hall, a
    # branch's day
    ("按照“一楼一支部、一层一小组、一舍一党员”的思路建立组织。", ["一楼一支部、一层一小组、一舍一党员"]),
    ("坚持“双向进入、交叉任职”。", ["双向进入、交叉任职"]),
    ("推出“柳岚减负”系列举措。", ["柳岚减负"]),
    ("在服务中心设立“柳湾代办”窗口。", ["柳湾代办"]),
    ("小区党支部改建“柳岚议事厅”。", ["柳岚议事厅"]),
    ("在帐篷里过“柳湾主题党日”。", ["柳湾主题党日"]),
    # what members claim, people recruited or chosen for a post of its own name
    ("29名党员主动认领了“柳岚责任田”。", ["柳岚责任田"]),
    ("招募“柳湾管家”410名。", ["柳湾管家"]),
    ("从学生党员中选拔“柳岚楼长”,协助巡查。", ["柳岚楼长"]),
    # … but not a title won in a named place, nor a label a thing is a case of
    ("支部先后被评为柳岚市“五星级党支部”。", []),
    ("家属院是典型的“三无小区”。", []),
    # … but not a nickname, nor titles a contest awards
    ("面对被称为“头号难题”的拆迁工作,党工委把支部建在一线。", []),
    ("开展“柳湾好家庭”“最美庭院”评选。", []),
    ("把熟悉街巷的快递员发展为“骑手网格员”。", ["骑手网格员"]),
    ("我们的做法叫“楼栋点单、支部接单”两级联动。", ["楼栋点单、支部接单"]),
    # quotes side by side that a practice verb acts on, whatever follows them
    ("完善“马上就办”和“闻哨即动”的衔接,推动问题解决。", ["马上就办", "闻哨即动"]),
    # … but not a change between them, a principle, an honour or a kind of organisation
    ("推动“要我做”和“我要做”的转变。", []),
    ("坚持“以人民为中心”推动高质量发展。", []),
    ("以“四个意识”统领各项工作。", []),
    ("学习5位“最美村官”带领群众致富的事迹。", []),
    ("全县新建“两新”党支部12个。", []),
])
def test_a_quote_framed_as_the_means_made_of_members_or_heading_a_post(lexicon, text, expected):
    assert [m.name for m in extract_practices(text, lexicon)] == expected

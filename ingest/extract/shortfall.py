"""A clause that states a shortfall (组织活动不经常, 建设推动不够, 培养坚持不好, 学习流于形式, 党员难以集中) is a
problem mention, never a measure, even when an action verb leads it: the shortfall is told by the predicate
after the action, a rule of the language, not a list of one report's sentences."""

from __future__ import annotations

import re

# The predicate that ends a clause stating a shortfall of what precedes it.
_SHORTFALL_END = re.compile(
    r"(?:不(?:经常|够|足|到位|好|力|强|高|严|实|深|明显|规范|健全|完善|平衡|及时|畅通|突出|充分|理想)"
    r"|流于形式|走过场|形同虚设|薄弱|滞后|乏力|偏低|偏少|偏弱|较弱|较差|缺失|缺位|不大"
    # a state that has worn away (党组织弱化, 党员意识淡薄, 队伍老化, 组织涣散); 课程不断档 says it did not
    r"|(?<![不未没])(?:弱化|虚化|淡化|边缘化|空心化|(?<!适)老化|涣散|松散|淡薄|断层|断档|僵化|退化|钝化|空转)"
    # a thing that is hard to do, as the clause's last word (物业费收缴难, 停车难, 看病难): remedies act on it
    # (解决停车难), which the check of a remedy below keeps a measure
    r"|(?<=[\u4e00-\u9fff]{2})难"
    # a place left dirty and disorderly (环境卫生脏乱差, also quoted)
    r"|“?脏乱差”?)"
    r"(?:的问题|的现象|的情况|等问题|等)?[了的]?$")
# A figure the clause ends on, told as low (参加率只有61%, 能按时参会的仅占35%, 集体经济收入不足5万元): a state
# to remedy, not something done.
_LOW_FIGURE = re.compile(r"(?:只有|仅有|仅为|仅占|只占|仅|不足|不到)\s*[\d一二三四五六七八九十两百千万.,%]+"
                         r"\s*(?:%|[\u4e00-\u9fff]{1,2})?$")
# Inability or absence inside the clause (党员难以集中, 活动无法开展), unless the clause sets out to remedy it
# (解决党员难以集中的问题 is a measure).
_INABILITY = re.compile(r"难以|无法|不能|缺乏|欠缺|没有|没得"
                        # a verb that cannot reach its result (找不到组织, 叫不动人, 收不上来, 留不住人)
                        r"|(?:找|叫|请|喊|管|联系|收|留|用|带|推|坐)不(?:到(?!位)|动|了|上|住|起)")
# A difficulty that occurs (出现了…的现象, 存在一些问题, 陷入…困境): what happened, not what was done. Not a
# difficulty named as an object (整改存在的问题, 解决存在问题: the occurrence verb right before 的 or the noun),
# nor one an action before it acts on (研究解决存在的问题, 防止出现反弹问题).
_OCCURS = re.compile(r"(?:出现|存在|面临|陷入|形成|产生|遭遇|造成)(?:了|着)?(?![的困难问矛现短隐瓶风])[^,，。;；]+"
                     r"(?:困境|难题|难点|问题|矛盾|现象|困难|短板|隐患|瓶颈|风险)$")
REMEDY_VERBS = ("解决", "破解", "克服", "扭转", "改变", "防止", "避免", "杜绝", "消除", "整治", "整顿", "纠正",
                "化解", "弥补", "补齐", "补足", "根治", "治理")
# A shortfall named as a problem (…不到位的问题), which a remedy before it acts on.
_NAMED_PROBLEM = re.compile(r"的问题|的现象|的情况|等问题")
# A verb preventing, reversing or correcting a state, with what it acts on, before the predicate of a shortfall
# (防止村党组织弱化, 遏制空心化, 整治服务群众不到位); a remedy that settles a matter is no such verb: what falls
# short is the remedy itself (化解矛盾不及时, 治理能力不强).
_PREVENTS = re.compile(r"(?:防止|避免|杜绝|预防|遏制|扭转|克服|缓解|应对|破解|整治|整改|纠正|纠治|查处|根治)"
                       r"[\u4e00-\u9fff]{2,}")
# Actions on a difficulty that may stand before the occurrence verb: a remedy, or handling it.
_ACTS_ON = re.compile("|".join(REMEDY_VERBS + ("整改", "研究", "排查", "处理", "帮助", "梳理", "查找", "收集", "应对")))


def states_shortfall(clause: str, verb: str = "") -> bool:
    """True when `clause` (led by the action `verb`, if known) states a shortfall rather than an action.

    >>> states_shortfall("组织活动不经常"), states_shortfall("组织业务培训及能力素质培养坚持不好")
    (True, True)
    >>> states_shortfall("建设推动不够", "建设"), states_shortfall("开展学习流于形式", "开展")
    (True, True)
    >>> states_shortfall("组织党员难以集中学习", "组织"), states_shortfall("解决党员难以集中的问题", "解决")
    (True, False)
    >>> states_shortfall("加强薄弱村党组织建设", "加强"), states_shortfall("不断完善村级组织运转经费保障", "完善")
    (False, False)
    >>> states_shortfall("换届以后一度出现了议事难的现象"), states_shortfall("解决存在的突出问题", "解决")
    (True, False)
    >>> states_shortfall("研究解决存在问题", "研究"), states_shortfall("建立长效机制防止出现反弹问题", "建立")
    (False, False)
    >>> states_shortfall("收集群众反映的问题", "收集"), states_shortfall("逐一整改存在的问题", "整改")
    (False, False)
    >>> states_shortfall("部分村党组织弱化"), states_shortfall("部分党员宗旨意识淡薄"), states_shortfall("党员队伍老化")
    (True, True, True)
    >>> states_shortfall("响应机制僵化"), states_shortfall("防止议事机制空转", "防止")
    (True, False)
    >>> states_shortfall("解决服务群众不到位的问题", "解决"), states_shortfall("采取措施防止村党组织弱化", "采取")
    (False, False)
    >>> states_shortfall("矛盾化解不及时"), states_shortfall("确保夜校课程不断档", "确保")
    (True, False)
    >>> states_shortfall("化解矛盾不及时", "化解"), states_shortfall("治理能力不强")
    (True, True)
    >>> states_shortfall("有效遏制村级组织弱化")
    False
    >>> states_shortfall("业委会组建难、物业费收缴难、停车难"), states_shortfall("着力解决停车难", "解决")
    (True, False)
    >>> states_shortfall("流动党员却找不到组织"), states_shortfall("确保群众办事不出村", "确保")
    (True, False)
    >>> states_shortfall("村里环境卫生“脏乱差”"), states_shortfall("村集体账上没得一分钱")
    (True, True)
    >>> states_shortfall("组织生活参加率只有61%"), states_shortfall("集体经济收入不足5万元")
    (True, True)
    >>> states_shortfall("对集体经济收入不足5万元的村实施帮扶", "实施"), states_shortfall("仅用3天完成排查")
    (False, False)
    """
    clause = clause.strip().rstrip("。；;，,.")
    remedy = clause.startswith(REMEDY_VERBS) or verb in REMEDY_VERBS
    end = _SHORTFALL_END.search(clause)
    if end:  # …unless a remedy acts on it as a named problem (解决…不到位的问题) or prevents it (防止…弱化)
        named = remedy and (_NAMED_PROBLEM.search(end.group()) or end.group().startswith("难"))
        return not (named or _PREVENTS.search(clause, 0, end.start()))
    if remedy:
        return False
    if _LOW_FIGURE.search(clause):
        return True
    occurs = _OCCURS.search(clause)
    if occurs and not _ACTS_ON.search(clause, 0, occurs.start()):
        return True
    return bool(_INABILITY.search(clause[len(verb):] if verb and clause.startswith(verb) else clause))

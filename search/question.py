"""The topic of a question as people type it: question frames, first-person framing and particles removed.

“我们村开会没人来怎么办” asks about 村 / 开会没人来; “怎么办”, “我们” and the particles are how the question is
put, not what it is about. Keyword matching reads the topic only; the frames are general spoken Chinese
(question words, modal frames, hedges and particles), not words of any document.
"""

from __future__ import annotations

import re

# Longest first inside each group so that 有没有办法 goes before 有没有.
_FRAMES = (
    # asking for a way: 有什么办法, 有没有好办法, 有啥招, 该怎么做, 咋整
    r"(?:有没有|有什么|有啥|有哪些|有何|还有什么|有)(?:好的?|什么)?(?:办法|法子|招数?|妙招|良策|经验|做法|门路|路子)",
    r"(?:该|应该|要|得|能|可以)?(?:怎么|怎样|如何|咋)(?:才能|才可以|才会|来|去)?(?:办|弄|整|搞|做|处理|解决)?",
    r"怎么回事|为什么|为啥|干嘛|是不是|能不能|可不可以|会不会|有没有|要不要|行不行|好不好|对不对",
    r"什么样|什么|啥|哪些|哪里|哪儿|哪个|多少",
    # who is speaking: first-person and address (not 我 alone: reports write 我县, 我市)
    r"我们|咱们|俺们|咱|俺|你们|您|大家伙",
    # hedges and intensifiers of speech
    r"到底|究竟|一般来说|平时|真的|其实|简直|老是|总是|天天|一直|特别|实在是",
    r"请问|想问(?:一下|问)?|想知道|求助|求教|请教",
    r"这种事|那种事|之类的?|什么的|等等",
    # particles that close a spoken clause
    r"[吗呢啊吧呀嘛啦哦呗咯](?=[\s,.?!;,。?!;]|$)",
)
_FRAME = re.compile("|".join(f"(?:{f})" for f in _FRAMES))
_SPACES = re.compile(r"\s+")


def topic(question: str) -> str:
    """The question with its frames replaced by spaces, so that no bigram spans a removed frame.

    >>> topic("我们村开会没人来怎么办?")
    '村开会没人来 ?'
    """
    return _SPACES.sub(" ", _FRAME.sub(" ", question)).strip()

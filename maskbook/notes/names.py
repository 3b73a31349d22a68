"""People's and organisations' names: who wrote a work, read from the segments before its title.

``Darren J. Lim`` is family "Lim", given "Darren J."; ``Alessandro Di Battista`` keeps "Di
Battista" whole; ``Xi Jinping`` is family name first; ``European Think-tank Network on China
(ETNC)`` is an organisation.
"""
from __future__ import annotations

import re
import unicodedata

from maskbook.notes.model import Person, Work
from maskbook.notes.text import CJK, is_abbreviation

_NAME_PARTICLES = {
    "de", "del", "della", "delle", "dei", "degli", "di", "da", "dal", "dalla", "dos", "das",
    "do", "du", "des", "van", "von", "der", "den", "ter", "ten", "la", "le", "lo", "bin",
    "ibn", "al", "el", "y", "st", "st.", "mac", "zu",
}
#: Words that make a name an organisation's rather than a person's.
ORG_WORDS = {
    "network", "institute", "institut", "institution", "center", "centre", "council",
    "ministry", "department", "university", "agency", "commission", "organization",
    "organisation", "office", "group", "committee", "bank", "foundation", "association",
    "society", "news", "press", "party", "government", "embassy", "consulate", "forum",
    "programme", "program", "project", "union", "board", "bureau", "service", "services",
    "federation", "league", "trust", "fund", "academy", "school", "college", "corporation",
    "company", "inc", "inc.", "ltd", "ltd.", "llc", "co.", "media", "research", "times", "post",
    "daily", "agenzia", "ministero", "governo", "xinhua", "reuters", "bloomberg", "associated",
    "world", "international", "national", "european", "global", "china", "chinese", "state",
    "republic", "people's", "people’s", "congress", "parliament", "senate", "assembly",
    "court", "authority", "administration", "secretariat", "initiative", "alliance",
    "coalition", "observatory", "lab", "laboratory", "watch", "monitor", "tank", "think-tank",
    "studies", "affairs", "relations", "policy", "health", "who", "un", "eu", "nato", "oecd",
    "house", "cnn", "bbc", "abc", "ansa", "pew", "statista", "twitter", "facebook",
}


def looks_like_person(name: str) -> bool:
    """Could ``name`` be one person's name (capitalised words, no digits, no organisation word)?"""
    tokens = name.replace("\u00a0", " ").split()
    if not tokens or len(tokens) > 6:
        return False
    if any(re.search(r"\d", t) for t in tokens):
        return False
    core = [t for t in tokens if t.lower() not in _NAME_PARTICLES]
    if not core or len(core) > 5:
        return False
    for t in tokens:
        bare = t.strip(".,")
        if t.lower() in _NAME_PARTICLES:
            continue
        if bare.lower() in ORG_WORDS and len(tokens) > 1:
            return False
        if not (bare[:1].isupper() or CJK.match(bare[:1]) or bare[:1] in "ÁÉÍÓÚÀÈÌÒÙÄÖÜÇÑŁŠŽ"):
            return False
    if len(tokens) == 1 and is_abbreviation(tokens[0]) and len(tokens[0]) > 1 and not tokens[0].endswith("."):
        return False
    return True


#: Common Chinese surnames in pinyin (a name that starts with one may be written family first).
CHINESE_SURNAMES = frozenset("""
wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo gao zheng liang
xie song tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye cheng wei
su lü ding ren lu yao shen zhong jin cui tan fan fang shi kong xing qin bai meng qiu hou wen
xue lei long duan hao kang shao mao yin qian gu dai jia xi qiao wan yan ni hong tao
""".split())
_PINYIN_SYLLABLE = (r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
                    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ue|ui|er|a|o|e|i|u|ü|v)")
_COMPOUND_SURNAMES = {"欧阳", "司马", "诸葛", "上官", "东方", "慕容", "令狐", "皇甫", "尉迟", "公孙"}


def _pinyin_syllables(word: str) -> int:
    """How many pinyin syllables ``word`` splits into (0: it is not pinyin)."""
    w = unicodedata.normalize("NFKD", word.lower())
    w = "".join(c for c in w if not unicodedata.combining(c)).replace("'", "").replace("-", "")
    m = re.fullmatch(f"(?:{_PINYIN_SYLLABLE})+", w)
    return len(re.findall(_PINYIN_SYLLABLE, w)) if m else 0


def is_family_first(tokens: list[str]) -> bool:
    """Is a two-word romanised name written family name first (``Xi Jinping``)?

    Yes when the first word is a common Chinese surname and the second a pinyin given name of two
    or more syllables (``Jinping``); a family name in capitals decides (``YUAN Yang``). With a
    one-syllable given name (``Wang Yi``, ``Li Wei``, ``Han Zhang``, ``Yuan Yang``) the order
    cannot be told from the text: the Western order is kept.
    """
    if len(tokens) != 2:
        return False
    first, second = tokens
    if first.isalpha() and first.isupper() and len(first) > 1 and not second.isupper():
        return True
    if second.isalpha() and second.isupper() and len(second) > 1:
        return False
    if first.lower() not in CHINESE_SURNAMES:
        return False
    return _pinyin_syllables(second) >= 2


def parse_person(name: str) -> Person:
    """``Darren J. Lim`` -> Person("Lim", "Darren J."); ``Alessandro Di Battista`` -> family "Di Battista"."""
    name = re.sub(r"\s+", " ", name.strip())
    if "," in name:  # "Lim, Darren J."
        fam, giv = [x.strip() for x in name.split(",", 1)]
        return Person(fam, giv or None)
    if CJK.search(name) and " " not in name:
        # 王毅: family name first, one character (two for compound surnames)
        fam_len = 2 if name[:2] in _COMPOUND_SURNAMES else 1
        return Person(name[:fam_len], name[fam_len:] or None)
    tokens = name.split(" ")
    if len(tokens) == 1:
        return Person(tokens[0], None)
    if is_family_first(tokens):  # "Xi Jinping", "YUAN Yang"
        family = tokens[0].title() if tokens[0].isupper() else tokens[0]
        return Person(family, tokens[1])
    # suffixes
    suffix = None
    if tokens[-1].rstrip(".").lower() in {"jr", "sr", "ii", "iii", "iv"} and len(tokens) > 2:
        suffix = tokens.pop()
    start = len(tokens) - 1
    for i in range(1, len(tokens) - 1):
        if tokens[i].lower() in _NAME_PARTICLES:
            start = i
            break
    family = " ".join(tokens[start:])
    if suffix:
        family = f"{family} {suffix}"
    given = " ".join(tokens[:start]) or None
    return Person(family, given)


def are_names(seg: str) -> bool:
    """``seg`` reads as one or more people's names ("Ann Lee", "Ann Lee and Bob Ray", or
    "and Bob Ray" closing a list)."""
    names = split_names(re.sub(r"^(?:and|&)\s+", "", seg.strip()))
    return bool(names) and all(looks_like_person(n) for n in names)


def split_names(text: str) -> list[str]:
    """``Ann Lee, Bob Ray and Cara Yates`` -> the three names."""
    text = re.sub(r"\s+", " ", text.strip())
    parts = re.split(r"\s*,\s*(?:and\s+|&\s*)?|\s+and\s+|\s*&\s*|\s+e\s+(?=[A-Z])", text)
    return [p for p in (x.strip() for x in parts) if p]


def parse_authors(segs: list[str], work: Work) -> bool:
    """Fill authors/org_author from the author segments; False if they don't read as names."""
    text = ", ".join(s.strip() for s in segs if s.strip())
    if not text:
        return True
    if re.search(r"\bet al\.?$", text):
        work.et_al = True
        text = re.sub(r",?\s*et al\.?$", "", text)
    # corporate author with abbreviation: "European Think-tank Network on China (ETNC)"
    m = re.fullmatch(r"(?P<name>[^()]+?)\s*\((?P<abbr>[^()]{2,15})\)", text)
    if m and (is_abbreviation(m.group("abbr")) or not looks_like_person(m.group("name"))):
        work.org_author = text
        return True
    names = split_names(text)
    if len(names) == 1:
        name = names[0]
        if is_abbreviation(name) and not re.fullmatch(r"(?:[A-Z]\.\s*)+", name):
            work.org_author = name
            return True
        if looks_like_person(name) and not (" " not in name and name.lower() in ORG_WORDS):
            work.authors = [parse_person(name)]
            return True
        work.org_author = name
        return True
    if all(looks_like_person(n) for n in names):
        work.authors = [parse_person(n) for n in names]
        return True
    # A single organisation whose name contains "and" ("Ministry of Foreign Affairs and Trade")
    if "," not in text:
        work.org_author = text
        return True
    return False

"""The prose around citations: a note that is a remark and cites nothing, a comment after a
citation, and what leads into one (a page locator, ``see``, ``quoted in``, a sentence of prose).
"""
from __future__ import annotations

import re

from maskbook.notes.dates import MONTH_RE, YEAR_RE
from maskbook.notes.model import Work
from maskbook.notes.text import CJK, scan

_LEAD_IN = re.compile(
    r"^(?P<lead>(?:(?:[a-z]|(?:For|On|As|In|Also|Compare)\b)[^‘“\"'\[\];:]{0,240}?[\s,])?"
    r"(?i:see also|see, for example,?|see for example|see, e\.g\.,?|see|cf\.?|compare|"
    r"(?:was|were|is|are)\s+(?:quoted|cited)\s+in|quoted in|cited in|as cited in|reported in|"
    r"for example,?|e\.g\.,?|also)\s+)(?=\S)"
)
# prose before a "See …" that starts the citation, and "and" starting the next work of a list
_PROSE_LEAD = re.compile(r"^(?P<prose>[^;]{20,400}?[.!?)]\s+)(?=(?:See|Cf\.|Compare)\b)")
_AND_LEAD = re.compile(r"^(?P<lead>and\s+)(?=[‘“\"'A-Z])")
# a page locator before the citation, as in the Yearbooks' early online notes:
# "Page 42, …", "Pages iii-iv, Topic of the section, see …"
_LOCATOR = re.compile(r"^(?P<loc>(?:pages?|pp?\.)\s*[\dxivlcdm]+(?:\s*[–—-]\s*[\dxivlcdm]+)?)\s*,\s*", re.I)
_TOPIC = re.compile(r"^(?P<topic>[^,‘“'\"]{2,120}?),\s*(?=(?:see|for|the|a|an|on|as)\b)")

_CITATION_SIGNALS = [
    re.compile(r"(?:^|[\s,;(\[])[‘“][^’”]{2,}[’”]\s*(?:\[[^\]]*\]\s*)?[,;.]?"),
    re.compile(r"online at\s*:|available at\s*:|https?://|www\.", re.I),
    re.compile(r"\bpp?\.\s*\d"),
    re.compile(r"^\s*ibid\b", re.I),
    re.compile(r"\[(?:podcast|video)\]", re.I),
    re.compile(rf",\s*\d{{1,2}}\s+{MONTH_RE}\s+{YEAR_RE}\s*(?:[,.;]|$)", re.I),
    re.compile(r"\bvol\.\s*\d|\bno\.\s*\d+\s*\(", re.I),
    re.compile(r"[A-Z][A-Za-z .]+:\s+[A-Z][^,]*(?:Press|Publishing|Books|Institute|University|Center|Centre)\b"),
]


def _is_prose(text: str) -> bool:
    """Mostly lower-case words and no date, page or URL: a remark, not a citation."""
    if re.search(rf"\d{{1,2}}\s+{MONTH_RE}\s+{YEAR_RE}|\bpp?\.\s*\d|https?://|online at", text, re.I):
        return False
    words = re.findall(r"[^\W\d_][\w’'-]*", text)
    return len(words) >= 6 and sum(w[0].islower() for w in words) / len(words) > 0.5


def _sentences(text: str) -> int:
    return len(re.findall(r"[a-z0-9)’”][.!?]\s+[A-Z‘“]", text)) + (1 if re.search(r"[.!?]\s*$", text) else 0)


def is_remark(text: str) -> bool:
    """Does ``text`` read as prose (an explanatory remark) rather than a citation?"""
    t = text.strip()
    if not t:
        return True
    if any(rx.search(t) for rx in _CITATION_SIGNALS):
        return False
    words = re.findall(r"\S+", t)
    segments = [s for s in scan(t, ",;")[0] if s.strip()]
    avg = len(words) / max(1, len(segments))
    lower = sum(1 for w in words if w[:1].islower())
    if len(words) >= 12 and avg >= 6 and lower / len(words) > 0.35:
        return True
    if len(words) >= 8 and _sentences(t) >= 2 and lower / len(words) > 0.3:
        return True
    return False


def piece_is_remark(text: str) -> bool:
    """A piece inside a citation note that is prose (e.g. a comment after the citation)."""
    t = text.strip()
    if any(rx.search(t) for rx in _CITATION_SIGNALS):
        return False
    words = re.findall(r"\S+", t)
    if len(words) < 6:
        return False
    lower = sum(1 for w in words if w[:1].islower())
    segments = [s for s in scan(t, ",")[0] if s.strip()]
    return lower / len(words) > 0.4 and len(words) / max(1, len(segments)) >= 5


def take_locator(s: str, work: Work) -> str:
    """Read a page locator, and the topic of the section when a lead-in follows it, into
    ``work.locator``; the citation without them."""
    m = _LOCATOR.match(s)
    if not m:
        return s
    work.locator = m.group("loc")
    s = s[m.end():]
    topic = _TOPIC.match(s)
    if topic and topic.group("topic")[:1].isupper():
        work.locator += ", " + topic.group("topic")
        s = s[topic.end():]
    return s


def take_lead_in(s: str, work: Work) -> str:
    """Read the words that lead into a citation into ``work.note_prefix``: "For some of the
    children’s drawings, see ‘…’"; a remark in prose before it ("…, has been tireless in his
    reporting. See, for example, ‘…’"); "and ‘…’". Returns the citation without them."""
    lead = None
    prose = _PROSE_LEAD.match(s)
    if prose and _is_prose(prose.group("prose")):
        m = _LEAD_IN.match(s[prose.end():])
        if m:
            lead = s[: prose.end()] + m.group("lead")
    if lead is None:
        m = _LEAD_IN.match(s) or _AND_LEAD.match(s)
        lead = m.group("lead") if m else None
    if lead:
        rest = s[len(lead):]
        if rest[:1] in "‘“\"'" or rest[:1].isupper() or rest[:1].isdigit() or CJK.match(rest[:1] or " "):
            work.note_prefix = lead.strip().rstrip(",")
            return rest
    return s

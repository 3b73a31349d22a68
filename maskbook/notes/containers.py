"""What a work appeared in, and how: outlets, journals, publishers and places, and the details
after a title (report type, medium, duration, volume, issue, pages, date, URL).

:func:`read_tail` reads the segments after a work's title; :func:`classify_meta` reads one
segment of detail; :func:`decide_kind` says from all that what kind of work it is.
"""
from __future__ import annotations

import re

from maskbook.notes.dates import MONTH_RE, YEAR_RE, parse_date
from maskbook.notes.model import Work
from maskbook.notes.names import ORG_WORDS, looks_like_person, parse_authors, split_names
from maskbook.notes.text import CJK, strip_outer_quote
from maskbook.notes.urls import bare_url, is_access_note

_PUBLISHER_WORDS = {
    "press", "publishing", "publishers", "publisher", "publications", "books", "verlag",
    "editions", "éditions", "editore", "editori", "edizioni", "institute", "institution",
    "university", "center", "centre", "council", "foundation", "network", "routledge",
    "penguin", "palgrave", "macmillan", "springer", "wiley", "bloomsbury", "verso", "brill",
    "sage", "norton", "knopf", "harpercollins", "random", "allen", "unwin", "black", "inc",
    "inc.", "polity", "zed", "mulino", "laterza", "einaudi", "feltrinelli", "mondadori",
    "rizzoli", "cambridge", "oxford", "harvard", "yale", "princeton", "columbia", "stanford",
    "chicago", "california", "hong", "anu", "ucl", "mit", "research", "relations",
    "affairs", "studies", "office", "ministry", "commission", "bank", "agency", "group",
    "organisation", "organization", "association", "society", "academy", "fund", "trust",
    "library", "museum", "archive", "archives", "bureau", "chatham", "brookings", "rand",
    "lowy", "merics", "ifri", "ecfr", "ispi", "iai", "csis", "pew", "house",
    "出版社", "书局", "書局",
}
#: Words of organisations' names that do not make a name a publisher's: place and scope words,
#: and the words of newspapers and broadcasters (an outlet is a container, not a publisher).
_NOT_PUBLISHER_WORDS = {"china", "chinese", "world", "international", "national", "global", "state",
                        "european", "republic", "people's", "people’s", "news", "times", "post",
                        "daily", "media", "cnn", "bbc", "abc", "ansa", "twitter", "facebook"}
#: Publishers' words that make a work with a publisher a book.
_BOOK_PUBLISHER_WORDS = {
    "press", "publishing", "publishers", "books", "verlag", "editions", "éditions", "edizioni",
    "editore", "routledge", "penguin", "palgrave", "macmillan", "springer", "wiley", "bloomsbury",
    "verso", "brill", "polity", "norton", "knopf", "einaudi", "laterza", "mulino", "mondadori",
    "feltrinelli", "出版社",
}
_PLACES = {
    "london", "new york", "paris", "rome", "roma", "milan", "milano", "beijing", "shanghai",
    "hong kong", "canberra", "sydney", "melbourne", "oxford", "cambridge", "washington",
    "washington, dc", "washington dc", "washington, d.c.", "berlin", "brussels", "taipei",
    "singapore", "tokyo", "boston", "chicago", "stanford", "princeton", "new haven",
    "honolulu", "berkeley", "seattle", "toronto", "vancouver", "geneva", "vienna", "madrid",
    "barcelona", "lisbon", "amsterdam", "leiden", "stockholm", "copenhagen", "oslo",
    "helsinki", "warsaw", "prague", "budapest", "athens", "moscow", "delhi", "new delhi",
    "seoul", "bologna", "turin", "torino", "florence", "firenze", "naples", "venice",
    "abingdon", "basingstoke", "durham", "ithaca", "lanham", "armonk", "cheltenham",
    "santa monica", "los angeles", "san francisco", "cambridge, ma", "cambridge, mass",
    "guangzhou", "shenzhen", "nanjing", "wuhan", "clayton", "perth", "brisbane", "adelaide",
    "wellington", "auckland", "ann arbor", "bloomington", "lawrence", "armidale", "kyoto",
    "montreal", "manila", "jakarta", "bangkok", "kuala lumpur", "hanoi",
}
_US_STATES = (r"(?:DC|D\.C\.|MA|Mass\.|NY|N\.Y\.|CA|Calif\.|NJ|N\.J\.|CT|Conn\.|IL|Ill\.|MD|Md\.|VA|Va\.|PA|Pa\.|WA|NC|N\.C\."
              r"|MI|Mich\.|IN|HI|UK|ACT|NSW|Vic\.|Vic|Qld|QLD|UK|US|USA)")

_PAGES = re.compile(
    r"^(?P<pp>pp?|pages?)\.?\s*(?P<pages>[\dxivlcXIVLC]+(?:\s*[–—-]\s*[\dxivlcXIVLC]+)?(?:\s*,\s*\d+(?:\s*[–-]\s*\d+)?)*)$", re.I)
_VOL = re.compile(
    r"^(?:vol(?:ume)?\.?)\s*(?P<v>[\w.–-]+?)(?:\s*\((?P<date>[^()]*)\))?(?:\s*:\s*(?P<pages>[\d–—-]+))?$", re.I
)
_DATE_PAGES = re.compile(r"^\((?P<date>[^()]*)\)\s*:\s*(?P<pages>[\d–—-]+)$")
_ISSUE = re.compile(
    r"^(?:no|nos|issue|iss)\.?\s*(?P<n>[\w–/-]+)(?:\s*\((?P<date>[^()]*)\))?(?:\s*:\s*(?P<pages>[\d–—-]+))?$", re.I
)
_JOURNAL_VOL = re.compile(
    r"^(?P<j>.*?\D)\s+(?P<v>\d+)(?:\s*\((?P<date>[^()]*)\))?(?:\s*:\s*(?P<pages>[\d–—-]+))?$"
)
# "Journal 12, no. 3 (2019): 45–67" (merged) or "Journal 12 (2019): 45–67"
_SERIAL = re.compile(
    r"(?P<j>.*?\D)\s+(?P<v>\d+)\s*(?:,\s*(?:no|issue)\.?\s*(?P<n>[\w–/-]+))?\s*(?:\((?P<date>[^()]*)\))?(?:\s*:\s*(?P<pages>[\d–—-]+))?"
)
_MEDIUM = re.compile(
    r"^\[\s*(?P<m>podcast|video|audio|radio|television|tv|film|documentary|interview|blog|tweet|twitter|facebook|weibo"
    r"|wechat|speech|press release|online|e-?book|kindle|pdf|transcript|dataset|data set|in chinese|in italian|in english)\s*\]$",
    re.I,
)
_DURATION = re.compile(
    r"^\[?\s*(?P<d>\d{1,2}(?::\d\d){1,2}\s*(?:mins?|minutes|hrs?|hours)?|\d+\s*(?:mins?|minutes|hrs?|hours))\s*\]?$", re.I)
_REPORT = re.compile(
    r"^(?:[A-Z][\w&-]*\s+){0,2}(?:(?:special|research|working|policy|discussion|technical|occasional|annual|country|briefing|analysis|background|issues|strategic|white|conference|staff|statistical)\s+)*"
    r"(?:report|paper|brief|briefing|study|monograph|white paper|policy paper)(?:\s+(?:no\.?|number|series)\s*[\w./-]+)?$",
    re.I,
)
_EDS_TAIL = re.compile(r"\s*\((?:eds?|editors?|ed|trans|comp|comps)\.?\)\s*$", re.I)


def is_medium(bracketed: str) -> bool:
    """``[Podcast]``, ``[Video]``: a bracketed medium."""
    return bool(_MEDIUM.match(bracketed))


def is_duration(text: str) -> bool:
    """``[11:20 mins]``, ``45 minutes``."""
    return bool(_DURATION.match(text))


def place_publisher(seg: str) -> tuple[str, str] | None:
    """``Cambridge: Polity Press`` -> ``("Cambridge", "Polity Press")``; None if it is not one."""
    m = re.fullmatch(r"(?P<place>[^:]{2,60}?)\s*:\s*(?P<pub>[^:]{2,120})", seg.strip())
    if not m:
        return None
    place, pub = m.group("place").strip(), m.group("pub").strip()
    ptoks = place.replace(",", " ").split()
    if not (1 <= len(ptoks) <= 4) or any(re.search(r"\d", t) for t in ptoks):
        return None
    if not all(t[:1].isupper() or t.lower() in {"de", "am", "upon", "on", "la", "del", "and"} for t in ptoks):
        return None
    if re.search(r"\d", pub) and not re.search(r"(?:Press|Institute|Books)", pub):
        return None
    pub_words = {w.strip(".,()&").lower() for w in pub.split()}
    known_place = place.lower() in _PLACES or place.lower().split(",")[0].strip() in _PLACES
    if known_place or pub_words & _PUBLISHER_WORDS or CJK.search(place):
        return place, pub
    return None


def merge_place_segments(segs: list[str]) -> list[str]:
    """'Washington', 'DC: Pew Research Center' -> 'Washington, DC: Pew Research Center'."""
    out: list[str] = []
    for s in segs:
        st = s.strip()
        day_month = rf"\d{{1,2}}\s+{MONTH_RE}|{MONTH_RE}\s+\d{{1,2}}"
        if out and re.fullmatch(YEAR_RE, st) and re.fullmatch(day_month, out[-1].strip(), re.I):
            out[-1] = out[-1].strip() + " " + st
        elif (out and re.match(rf"^{_US_STATES}\s*:", st)
              and re.fullmatch(r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}", out[-1].strip())):
            out[-1] = out[-1].strip() + ", " + st
        elif out and out[-1].strip().lower() in _PLACES and ":" not in st and place_publisher(f"{out[-1].strip()}: {st}"):
            out[-1] = f"{out[-1].strip()}: {st}"  # "New York, Oxford University Press"
        elif (out and re.match(r"^(?:no|nos|issue)\.?\s*\d", st, re.I)
              and _JOURNAL_VOL.match(out[-1].strip()) and not _VOL.match(out[-1].strip())):
            out[-1] = out[-1].strip() + ", " + st
        else:
            out.append(s)
    return out


# --------------------------------------------------------------------------------------------
# One segment of detail. Each reader takes a stripped segment and the work; it returns True when
# the segment is its kind of detail (and stores it), False (storing nothing) otherwise.


def _read_medium(s: str, work: Work) -> bool:
    m = _MEDIUM.match(s)
    if not m:
        return False
    work.medium = m.group("m").strip().title() if m.group("m").islower() else m.group("m").strip()
    if work.medium.lower() == "podcast":
        work.medium = "Podcast"
    return True


def _read_duration(s: str, work: Work) -> bool:
    m = _DURATION.match(s)
    if not (m and ("[" in s or re.search(r"min|hr|hour", s, re.I))):
        return False
    work.duration = m.group("d").strip()
    return True


def _read_pages(s: str, work: Work) -> bool:
    m = _PAGES.match(s)
    if not m:
        return False
    pages = m.group("pages")
    if "-" in pages and "–" not in pages:
        work.pages = re.sub(r"\s*([–—-])\s*", r"\1", pages).replace("-", "–")
    else:
        work.pages = re.sub(r"\s*([–—])\s*", r"\1", pages)
    return True


def _read_undated(s: str, work: Work) -> bool:
    return bool(re.fullmatch(r"n\.\s?d\.?|no date|undated", s, re.I))


def _read_accessed(s: str, work: Work) -> bool:
    if not is_access_note(s):
        return False
    work.leftovers.append(s)
    return True


def _read_url(s: str, work: Work) -> bool:
    url = bare_url(s)
    if url is None:
        return False
    work.url = url
    return True


def _read_date(s: str, work: Work) -> bool:
    d = parse_date(s)
    if not d:
        return False
    if work.date is None:
        work.date = d
    else:
        work.leftovers.append(s)
    return True


def _read_numbers(m: re.Match, work: Work) -> None:
    """The date and pages that may follow a volume or an issue: ``(2019): 45–67``."""
    if m.group("date"):
        work.date = parse_date(m.group("date")) or work.date
    if m.group("pages"):
        work.pages = m.group("pages")


def _read_volume(s: str, work: Work) -> bool:
    m = _VOL.match(s) or _DATE_PAGES.match(s)
    if not (m and (m.re is _VOL or parse_date(m.group("date")))):
        return False
    if m.re is _VOL:
        work.volume = m.group("v")
    _read_numbers(m, work)
    return True


def _read_issue(s: str, work: Work) -> bool:
    m = _ISSUE.match(s)
    if not m:
        return False
    work.issue = m.group("n")
    _read_numbers(m, work)
    return True


def _read_report(s: str, work: Work) -> bool:
    if not _REPORT.match(s):
        return False
    work.report_type = s
    return True


def _read_place_publisher(s: str, work: Work) -> bool:
    pp = place_publisher(s)
    if not pp:
        return False
    work.place, work.publisher = pp
    return True


def _serial(s: str) -> re.Match | None:
    """``Journal 12, no. 3 (2019): 45–67``: a journal's name with its numbers, if ``s`` is one."""
    m = _SERIAL.fullmatch(s)
    return m if m and (m.group("n") or m.group("date") or m.group("pages")) else None


def _read_container(s: str, work: Work) -> bool:
    m = _serial(s)
    if m and work.container is None:
        work.container = m.group("j").strip()
        work.volume = m.group("v")
        if m.group("n"):
            work.issue = m.group("n")
        _read_numbers(m, work)
        return True
    # "Publisher, 2019" has no colon: a bare publisher after a book title
    if work.container is None:
        work.container = s
        return True
    return False


_DETAIL_READERS = (_read_medium, _read_duration, _read_pages, _read_undated, _read_accessed, _read_url,
                   _read_date, _read_volume, _read_issue, _read_report, _read_place_publisher)


def classify_meta(seg: str, work: Work, allow_container: bool) -> bool:
    """Try to read ``seg`` as metadata and store it on ``work``. Returns True if consumed."""
    s = seg.strip()
    if not s:
        return True
    if any(read(s, work) for read in _DETAIL_READERS):
        return True
    return allow_container and _read_container(s, work)


def is_meta(seg: str) -> bool:
    """Is ``seg`` a detail (a date, pages, a place and publisher …) rather than a title or name?"""
    probe = Work()
    return classify_meta(seg, probe, allow_container=False) and bool(seg.strip())


def _is_org_name(seg: str) -> bool:
    """A short capitalised name of an organisation that publishes ("Human Rights Watch")."""
    tokens = seg.split()
    if not 1 <= len(tokens) <= 6:
        return False
    if not all(t[:1].isupper() or t in {"of", "for", "and", "the", "on", "&"} for t in tokens):
        return False
    words = {t.strip(".,()").lower() for t in tokens}
    return bool(words & ((ORG_WORDS | _PUBLISHER_WORDS) - _NOT_PUBLISHER_WORDS))


# --------------------------------------------------------------------------------------------
# The segments after a title


def _read_in_book(segs: list[str], i: int, work: Work) -> int:
    """``in Jane Golley, Linda Jaivin and Sharon Strange (eds), Book Title`` from ``segs[i]`` on
    (or ``in Journal Name`` without editors); the index of the next segment to read."""
    seg = segs[i].strip()
    j = i
    names = [seg[3:]]
    while not _EDS_TAIL.search(names[-1]) and j + 1 < len(segs) and all(
        looks_like_person(n) for n in split_names(_EDS_TAIL.sub("", segs[j + 1].strip())) or ["?"]
    ):
        j += 1
        names.append(segs[j].strip())
    if not _EDS_TAIL.search(names[-1]):
        work.container = seg[3:].strip()
        return i + 1
    names[-1] = _EDS_TAIL.sub("", names[-1])
    eds = Work()
    if parse_authors(names, eds):
        work.editors = eds.authors
    if j + 1 < len(segs):
        work.container = strip_outer_quote(segs[j + 1])[0] or segs[j + 1].strip()
        j += 1
    work.kind = "chapter"
    return j + 1


def _read_unquoted_container(seg: str, work: Work) -> None:
    """After an unquoted title, the first segment that is no detail: a journal with its numbers,
    a publisher ("Author, Title, Publisher, 2019", no place) or an outlet."""
    if _serial(seg):
        classify_meta(seg, work, allow_container=True)
        return
    words = {w.strip(".,()").lower() for w in seg.split()}
    if words & _PUBLISHER_WORDS or _is_org_name(seg):
        work.publisher = seg
    else:
        work.container = seg


def read_tail(segs: list[str], work: Work, unquoted: bool = False) -> None:
    """Read the segments after a work's title: its container, editors and details."""
    i = 0
    while i < len(segs):
        seg = segs[i].strip()
        if seg.lower().startswith("in ") and work.container is None:
            i = _read_in_book(segs, i, work)
            continue
        if not classify_meta(seg, work, allow_container=not unquoted):
            if not unquoted and (work.container is None or i > 0 and work.container == segs[i - 1].strip()):
                work.container = seg if work.container is None else f"{work.container}, {seg}"
            elif unquoted and work.publisher is None and work.container is None:
                _read_unquoted_container(seg, work)
            else:
                work.leftovers.append(seg)
        i += 1


def _publisher_kind(work: Work, quoted: bool) -> str:
    """The kind of a work that names its publisher."""
    pub_words = {w.strip(".,()").lower() for w in work.publisher.split()}
    bookish = bool(pub_words & _BOOK_PUBLISHER_WORDS)
    full_date = bool(work.date and len(work.date) >= 7)
    if bookish and not full_date and not work.org_author:
        return "book"
    if not quoted and (full_date or work.org_author or not bookish):
        return "report"
    if quoted and not work.container:
        return "report" if not bookish else "chapter"
    return "book" if bookish else "report"


def decide_kind(work: Work, quoted: bool) -> str:
    """The kind of work (``news``, ``journal``, ``book``, ``report``, ``podcast`` …) from what
    was read; ``quoted``: its title was in quotes."""
    if work.kind == "chapter":
        return "chapter"
    if work.edited and not quoted:
        return "book"  # "Name and Name, eds, Title, Place: Publisher, 2009"
    med = (work.medium or "").lower()
    if med == "podcast" or (work.duration and med in {"", "audio", "radio"}):
        return "podcast"
    if med in {"video", "television", "tv", "film", "documentary"}:
        return "video"
    if work.volume or work.issue:
        return "journal"
    if work.report_type:
        return "report"
    cont = (work.container or "").lower()
    if re.search(r"\bblog\b|substack|medium\.com", cont) or med == "blog":
        return "blog"
    if work.publisher:
        return _publisher_kind(work, quoted)
    if not quoted:
        if work.container and not work.date:
            return "book"
        if work.container:
            return "web" if not work.date or len(work.date) < 10 else "news"
        return "book" if work.date else "web"
    if work.container:
        if work.date and len(work.date) >= 7:
            return "news"
        return "web"
    return "web"

"""Vocabulary and the combined regular expression behind :mod:`timeline_app.core.extract`.

Every mention form is one alternative of a single compiled pattern, tried in order
(longer forms first) so that the text is scanned once. Each alternative is wrapped
in a named group telling which form matched; the handler then re-reads the matched
span with the form's own pattern (``FORMS[name]``), which names the parts.
"""

from __future__ import annotations

import re

from timeline_app.core.dates import MONTH_NUMBERS

MONTHS: dict[str, int] = MONTH_NUMBERS
WEEKDAYS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}
NUMBER_WORDS: dict[str, int] = {
    word: number
    for number, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
} | {"a": 1, "an": 1, "a couple of": 2, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100}
VAGUE_NUMBERS = {"a few", "several", "some", "many"}


def _cased(words: str) -> str:
    """Title-case and upper-case spellings of ``|``-separated words (month names are
    proper nouns: lower-case "march" and "may" are verbs)."""
    out = []
    for word in words.split("|"):
        out += [word.title(), word.upper()]
    return "|".join(out)


_FULL_MONTH = _cased(
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
# Abbreviations need a following day or year; "Jan" alone is a first name.
_ABBR_MONTH = rf"(?:{_cased('Sept|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec')})\.?"
MONTH = rf"(?:(?:{_FULL_MONTH})\b|{_ABBR_MONTH}(?=\s|$))"
FULL_MONTH = rf"(?:{_FULL_MONTH})\b"
WEEKDAY = rf"(?:{_cased('Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday')})\b"
WEEKDAY_ABBR = rf"(?:{_cased('Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun')})\.?"
DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)"
YEAR = r"(?:1[0-9]{3}|20[0-9]{2})(?![\d%])"
SEASON = r"(?i:spring|summer|fall|autumn|winter)"
PART_OF_DAY = r"(?i:morning|afternoon|evening|night|overnight)"
MOD = r"(?i:early|mid|middle|late|the\s+(?:end|beginning|start|middle|close)\s+of)"
_TZ = r"(?:\s*(?:[ECMP][SD]T|GMT|UTC|local\s+time))?"
TIME = rf"(?:\d{{1,2}}(?::\d\d)?\s*(?:[ap]\.m\.|[AP]\.M\.|[ap]m\b)|noon|midnight){_TZ}"
NUMBER = (
    r"(?i:\d{1,3}|a\s+couple\s+of|a\s+few|several|an?|one|two|three|four|five|six|seven|eight"
    r"|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    r"|twenty|thirty|forty|fifty|hundred)"
)
HEDGE = r"(?i:almost|nearly|about|around|some|roughly|more\s+than|less\s+than|over|just|only)"
HOLIDAY = (
    r"(?:Christmas(?:\s+(?:Day|Eve))?|New\s+Year['’]s(?:\s+(?:Day|Eve))?|Thanksgiving(?:\s+Day)?"
    r"|Independence\s+Day|Election\s+Day|Labor\s+Day|Memorial\s+Day|Veterans\s+Day"
    r"|Valentine['’]s\s+Day|Halloween|(?:the\s+)?Fourth\s+of\s+July|July\s+Fourth)\b"
)
DASH = r"\s*[-–]\s*"

# form name -> pattern with named parts. Order matters: at one position the first
# alternative that matches wins, so longer forms come first.
FORMS: dict[str, str] = {
    "iso": rf"(?P<y>{YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12][0-9]|3[01])(?![\d-])",
    "numeric": (
        r"(?P<a>[01]?[0-9]|3[01])/(?P<b>[0-3]?[0-9])/(?P<y>(?:1[0-9]|20)[0-9]{2}|[0-9]{2})(?![\d/])"
    ),
    "month_day": (
        rf"(?:(?P<wd>{WEEKDAY}|{WEEKDAY_ABBR}),?\s+(?:the\s+)?)?"
        rf"(?P<m>{MONTH})\s*(?P<d>{DAY})(?:{DASH}(?P<d2>{DAY}))?"
        rf"(?:(?:,\s*|\.\s+|\s+)(?P<y>{YEAR}))?"
    ),
    "day_month": (
        rf"(?:(?P<wd>{WEEKDAY}|{WEEKDAY_ABBR}),?\s+(?:the\s+)?)?"
        rf"(?P<d>{DAY})(?:{DASH}(?P<d2>{DAY}))?\s+(?:of\s+)?(?P<m>{MONTH})"
        rf"(?:,?\s*(?P<y>{YEAR}))?"
    ),
    "month_year": (
        rf"(?:(?P<mod>{MOD})[-\s]+)?(?P<m>{MONTH}),?\s+(?:of\s+)?(?P<y>{YEAR})(?![-–]\d)"
    ),
    "part_of_year": (
        r"(?i:the\s+)?(?P<ord>(?i:first|second|third|fourth|1st|2nd|3rd|4th))[-\s]+"
        rf"(?P<unit>(?i:quarter|half))\s+(?i:of\s+)?(?P<y>{YEAR})"
    ),
    "season": (
        rf"(?:(?i:the)\s+)?(?:(?P<mod>{MOD})[-\s]+)?(?P<s>{SEASON})\s+(?:(?i:of)\s+)?(?P<y>{YEAR})"
        rf"|(?P<rel>(?i:last|this|next|past|coming))\s+(?P<s2>{SEASON})\b"
    ),
    "decade": (
        rf"(?:(?i:the)\s+)?(?:(?P<mod>{MOD})[-\s]+)?"
        r"(?:(?P<c>1[0-9]|20)(?P<d>[0-9]0)|['’](?P<short>[0-9]0))['’]?s\b"
    ),
    "century": r"(?i:the\s+)?(?P<n>[12]?[0-9])(?:st|nd|rd|th)[-\s]+(?i:century)\b",
    "year_range": rf"(?P<y>{YEAR})(?:[-–]|/)(?P<y2>{YEAR}|[0-9]{{2}}(?![\d-]))",
    "year": (
        rf"(?:(?P<mod>{MOD}|(?i:pre|post))[-\s]+|(?P<fiscal>(?i:fiscal|FY))\s*)?"
        rf"(?P<y>{YEAR})(?!s\b)"
    ),
    "time_weekday": rf"(?P<time>{TIME})\s+(?:(?i:on)\s+)?(?P<w>{WEEKDAY})",
    "weekday": (
        rf"(?:(?P<rel>(?i:last|next|this|coming|past|previous))\s+)?(?P<w>{WEEKDAY})"
        rf"(?:['’]s)?(?:\s+(?P<part>{PART_OF_DAY}))?"
    ),
    "holiday": rf"(?:(?P<rel>(?i:last|next|this))\s+)?(?P<h>{HOLIDAY})",
    "month": (
        rf"(?:(?P<rel>(?i:last|next|this|early|mid|late|(?:the\s+)?(?:end|beginning|start|middle)"
        rf"\s+of))[-\s]+)?(?P<m>{FULL_MONTH})"
    ),
    "relative_day": (
        r"(?i:(?:the\s+day\s+(?P<around>before|after)\s+)?"
        r"(?P<word>yesterday|today|tonight|tomorrow)\b(?:['’]s)?)"
        rf"(?:\s+(?P<part>{PART_OF_DAY}))?"
    ),
    "relative_unit": (
        r"(?i:(?:(?P<mod>earlier|later|early|late|(?:the\s+)?(?:end|beginning|start|middle|rest)"
        r"\s+of)\s+(?:in\s+)?)?"
        r"(?P<rel>this|last|next|past|coming|the\s+past|the\s+coming|the)\s+"
        r"(?P<unit>week(?:end)?|month|year|decade|century)\b)"
    ),
    "ago": (
        rf"(?:(?P<hedge>{HEDGE})\s+)?(?P<n>{NUMBER})\s+"
        r"(?i:(?P<unit>day|week|month|year|decade)s?\s+(?P<dir>ago|from\s+now|hence))\b"
    ),
}

# The characters each form can start with: a lookahead on them makes the engine skip
# a form at once where it cannot match (a test checks the guards change no match).
FIRST_CHARS: dict[str, str] = {
    "iso": "12",
    "numeric": "0123456789",
    "month_day": "JFMASONDTW",
    "day_month": "JFMASONDTW0123456789",
    "month_year": "eEmMlLtTJFMASOND",
    "part_of_year": "tTfFsS1234",
    "season": "tTeEmMlLsSfFaAwWnNpPcC",
    "decade": "tTeEmMlL12'’",
    "century": "tT0123456789",
    "year_range": "12",
    "year": "eEmMlLtTpPfF12",
    "time_weekday": "0123456789nm",
    "weekday": "lLnNtTcCpPMTWFS",
    "holiday": "lLnNtTCIELMVHFJ",
    "month": "lLnNtTeEmMbBsSJFMASOND",
    "relative_day": "tTyY",
    "relative_unit": "eElLtTbBsSmMrRnNpPcC",
    "ago": "aAnNsSrRmMlLoOjJ0123456789tTfFeEhH",
}

_GROUP_NAME = re.compile(r"\(\?P<\w+>")


def master_pattern(guarded: bool = True) -> str:
    """All forms as one alternation, each in a group named after the form."""
    alternatives = []
    for name, body in FORMS.items():
        guard = f"(?=[{re.escape(FIRST_CHARS[name])}])" if guarded else ""
        alternatives.append(f"(?P<{name}>{guard}{_GROUP_NAME.sub('(?:', body)})")
    # A mention starts at a word start and is not glued to a number, path or amount;
    # after a hyphen only a word may start ("Aug. 31-Sept. 2", not "555-2017").
    return r"(?:(?<![\w$£€#§./,:-])|(?<=-)(?=[A-Za-z]))(?:" + "|".join(alternatives) + r")"


MASTER = re.compile(master_pattern())
FORM_RE: dict[str, re.Pattern[str]] = {name: re.compile(body) for name, body in FORMS.items()}

# Words that, right before a number, make it an identifier or a quantity rather than a year.
NOT_YEAR_BEFORE = re.compile(
    r"(?i:\b(?:section|sec|§|no|nos|number|room|route|rt|highway|interstate|i|page|pp|p|article|art"
    r"|chapter|ch|flight|rule|title|form|resolution|bill|code|part|item|suite|box|apt|exhibit"
    r"|docket|case|vol|volume|model|version|order|ordinance|file|unit|ext|phone|tel|fax|stat"
    r"|law|act|h\.r|s|id|ref|paragraph|para|clause|line|lines|figure|fig|table|step|level"
    r"|population|pop|code|zip|station|channel|channels|bus|gate|terminal|platform|dc|f|st"
    r"|ave|avenue|street|road|lot|district|precinct|batch|serial|account|acct|cat|catalog"
    r"|a|c|d|e|b|top|br|hwy|us|sr)\.?|[#§:/(]|\d[-–]?)\s*$"
)
NOT_YEAR_AFTER = re.compile(
    r"^(?:\s*(?:%|percent|per\s*cent|\s+(?i:people|persons|men|women|children|troops|soldiers"
    r"|votes|seats|feet|ft|meters|metres|miles|km|kilometers|kilograms|kg|pounds|lbs|tons"
    r"|dollars|yuan|euros|pesos|rupees|yen|marks|francs|pounds|members|workers|employees|jobs"
    r"|units|cars|homes|houses|cases|deaths|students|residents|hours|minutes|seconds|calories"
    r"|points|rounds|shares|barrels|acres|square|degrees|times|copies)\b)|[.,]\d|[-–/]\d"
    r"|\s*[ap]\.?m\b|:\d)"
)
# After "Sept. 11" these make it the name of a body, not a date.
NAME_NOUN_AFTER = re.compile(
    r"\s+(?:Commission|Committee|Panel|Memorial|Museum|Fund|Foundation|Act|Movement|Group"
    r"|Agreement|Accords?|Declaration|Street|Avenue|Square|Boulevard|Road|Stadium|Bridge|Party"
    r"|Coalition|Network|Alliance|Front|Brigade|Organi[sz]ation|Club|Society|Center|Centre)\b"
)
# Capitalised words that make a weekday part of a name ("Good Friday", "Sunday Times").
NAMED_WEEKDAY_BEFORE = re.compile(r"(?:Black|Good|Holy|Super|Ash|Bloody|Cyber|Maundy|Easter)\s+$")
NAMED_WEEKDAY_AFTER = re.compile(
    r"\s+(?:Times|Telegraph|Mirror|Express|Herald|Post|Tribune|Mail|Independent|Star|News"
    r"|Night\s+Live|Morning\s+Post|[Ss]chool|[Ss]ervice|[Bb]est|Bloody|Magazine|Edition)\b"
)
# Before a bare month name: words that make "May" a month rather than a verb or name.
MONTH_CONTEXT_BEFORE = re.compile(
    r"(?i:\b(?:in|since|until|till|by|during|through|from|before|after|of|early|mid|late|last"
    r"|next|this|since|between|and|to|or|each|every|the|that|following|previous|past|coming)"
    r"[-\s]+)$"
)

# Cheap pre-filter: every mention contains one of these (numbers only as a year, a
# numeric date or a '90s decade: other numbers come with a month, weekday or "ago").
_TRIGGER_WORDS = "|".join(
    sorted(set(MONTHS) | set(WEEKDAYS) | {"new year", "christmas", "thanksgiving", "halloween"})
)
TRIGGER = re.compile(
    r"\b(?=[JFMASONDTWYCEHLVGjfmasondtwyhcelvg\d])"
    r"(?:[12]\d{3}(?!\d)|\d{1,2}/|(?<=['’])\d0s"
    rf"|(?:{_cased(_TRIGGER_WORDS)}|(?:Labor|Memorial|Election|Independence|Veterans)\s+Day"
    r"|Valentine)(?![a-z])"
    r"|(?i:(?:yesterday|today|tonight|tomorrow|(?:week|weekend|month|year|decade)s?|century"
    r"|centuries|spring|summer|fall|autumn|winter|ago|quarter|half)\b))"
)
# A mention starts at most this many characters before its first trigger
# ("the beginning of next year") and ends within TRIGGER_AFTER characters after it.
TRIGGER_BEFORE = 32
TRIGGER_AFTER = 40

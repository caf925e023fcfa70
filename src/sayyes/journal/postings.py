"""What a job posting says about the job: its sections, and the terms of its job content.

A posting mixes what the job is (responsibilities, requirements) with what every posting
says (benefits, "about us", equal-opportunity text). ``split_sections`` tells them apart:

1. a heading ("What you'll do", "REQUIREMENTS", "## Benefits", "About Contoso:") names the
   kind of everything under it, until the next heading;
2. text under no heading (or under one that names no kind) is read sentence by sentence,
   each sentence classed by its cues ("you will", "experience with", "paid time off",
   "founded in", "equal opportunity employer"); in a posting without any heading, a
   sentence no cue claims is taken as part of the job (a posting is mostly about the job);
3. equal-opportunity and application boilerplate is "about" wherever it stands.

``job_terms(text)`` is a pure function of one posting's text: the key terms of its
responsibilities and requirements only, without benefit or boilerplate terms, job titles
and seniority words. It can be computed once per posting and stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sayyes.practice.coach.jobterms import extract_terms

RESPONSIBILITIES, REQUIREMENTS, BENEFITS, ABOUT, OTHER = (
    "responsibilities",
    "requirements",
    "benefits",
    "about",
    "other",
)
JOB_CONTENT = (RESPONSIBILITIES, REQUIREMENTS)


@dataclass(frozen=True)
class Section:
    kind: str
    text: str


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")", re.I)


# What a heading names. Checked in this order: "About the role" is the job, "About us" isn't.
HEADING_KINDS: list[tuple[str, re.Pattern[str]]] = [
    (
        RESPONSIBILITIES,
        _rx(
            r"responsibilit",
            r"what you('|’)?ll do",
            r"what you will do",
            r"what you('|’)?ll be doing",
            r"(the|your|about the|in this) (role|job|position)\b",
            r"duties",
            r"day[- ]to[- ]day",
            r"your (impact|mission|day|week)",
            r"key (tasks|accountabilities)",
            r"what the job involves",
            r"the opportunity",
            r"tasks",
        ),
    ),
    (
        REQUIREMENTS,
        _rx(
            r"requirement",
            r"qualifications?",
            r"what you('|’)?ll bring",
            r"what you bring",
            r"about you",
            r"who you are",
            r"you have",
            r"skills",
            r"experience",
            r"must[- ]haves?",
            r"nice[- ]to[- ]haves?",
            r"what we('|’)?re looking for",
            r"what (you|we)('|’)?ll need",
            r"what (you|we) need",
            r"you need",
            r"what we look for",
            r"preferred",
            r"essential",
            r"desirable",
            r"profile",
            r"bonus points",
        ),
    ),
    (
        BENEFITS,
        _rx(
            r"benefits?",
            r"perks",
            r"what we offer",
            r"we offer",
            r"why (join|work)",
            r"compensation",
            r"package",
            r"rewards?",
            r"salary",
            r"pay\b",
            r"what('|’)?s in it for you",
            r"working (here|with us|conditions)",
        ),
    ),
    (
        ABOUT,
        _rx(
            r"about (us|the company|the team|the organi[sz]ation)",
            r"about\b",
            r"who we are",
            r"our (mission|story|values|company|culture)",
            r"equal (employment )?opportunit",
            r"diversity",
            r"inclusion",
            r"eeo",
            r"how to apply",
            r"to apply",
            r"life at",
            r"company overview",
            r"the company",
        ),
    ),
]

# Sentences under no heading, by their cues; the first kind that matches wins.
SENTENCE_KINDS: list[tuple[str, re.Pattern[str]]] = [
    (
        ABOUT,
        _rx(
            r"equal[- ]opportunit",
            r"regardless of",
            r"without regard to",
            r"reasonable accommodations?",
            r"diverse (and|&) inclusive",
            r"founded in",
            r"headquartered",
            r"(is|are) a (leading|growing|family|global|fast|\w+[- ]owned)",
            r"our mission",
            r"we (serve|believe|are proud|were founded)",
            r"customers across",
            r"to apply",
            r"apply (now|today|by|with)",
            r"send (us )?your (cv|résumé|resume)",
            r"care about doing it well",
            r"is an? .{0,40}\b(company|employer|business|organi[sz]ation|group|firm|charity)\b",
        ),
    ),
    (
        BENEFITS,
        _rx(
            r"paid time off",
            r"\bpto\b",
            r"time off",
            r"vacation",
            r"holiday",
            r"insurance",
            r"dental",
            r"vision",
            r"medical",
            r"health(care)? (plan|cover|benefits)",
            r"pension",
            r"401\(?k\)?",
            r"retirement",
            r"company match",
            r"allowance",
            r"stipend",
            r"parental leave",
            r"we offer",
            r"you('|’)?ll get",
            r"perks",
            r"salary",
            r"compensation",
            r"bonus",
            r"equity",
            r"stock",
            r"wellness",
            r"gym",
            r"learning budget",
            r"discount",
            r"flexible (hours|working)",
            r"work from (home|anywhere)",
            r"(fully )?remote within",
            r"days a week",
            r"based on site",
        ),
    ),
    (
        REQUIREMENTS,
        _rx(
            r"requir\w*",
            r"must",
            r"experience",
            r"you have",
            r"you bring",
            r"skills?",
            r"knowledge",
            r"degree",
            r"proficien\w*",
            r"familiar\w*",
            r"background in",
            r"years of",
            r"qualif\w*",
            r"certif\w*",
            r"licen[cs]e",
            r"fluent",
            r"comfortable with",
            r"confident with",
            r"is a plus",
            r"ideally",
        ),
    ),
    (
        RESPONSIBILITIES,
        _rx(
            r"you('|’)?ll",
            r"you will",
            r"responsible for",
            r"day to day",
            r"your (role|job|work)",
            r"in this role",
            r"the role",
            r"you own",
            r"you lead",
            r"report(s|ing)? to",
        ),
    ),
]

_BULLET = re.compile(r"^\s*(?:[-*•·–—]|\d+[.)])\s+")
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+(.+?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^\s*(?:\*\*|__)(.+?)(?:\*\*|__)\s*:?\s*$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"(])")


def _heading_text(line: str) -> str | None:
    """The heading a line is, or None when it is body text."""
    stripped = line.strip()
    if not stripped or _BULLET.match(line):
        return None
    for pattern in (_MARKDOWN_HEADING, _BOLD_LINE):
        match = pattern.match(stripped)
        if match:
            return match.group(1).strip().rstrip(":")
    if len(stripped) > 60:
        return None
    words = stripped.rstrip(":").split()
    if stripped.endswith(":") and len(words) <= 7:
        return stripped.rstrip(":")
    letters = [c for c in stripped if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(words) <= 7:
        return stripped
    if len(words) > 6 or stripped.endswith((".", "!", "?", ",", ";")):
        return None
    # A short line with no sentence end, its words capitalised ("What You'll Do") or
    # naming a kind of section ("What you will do", "About the firm").
    if sum(w[:1].isupper() for w in words) >= max(1, len(words) - 2):
        return stripped
    return stripped if heading_kind(stripped) != OTHER else None


def heading_kind(heading: str) -> str:
    for kind, pattern in HEADING_KINDS:
        if pattern.search(heading):
            return kind
    return OTHER


def sentence_kind(sentence: str) -> str:
    for kind, pattern in SENTENCE_KINDS:
        if pattern.search(sentence):
            return kind
    return OTHER


def _sentences(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = _BULLET.sub("", line).strip()
        if line:
            out += [s.strip() for s in _SENTENCE_END.split(line) if s.strip()]
    return out


def split_sections(text: str) -> list[Section]:
    """The posting as consecutive sections, each with its kind (see the module's docstring)."""
    sections: list[Section] = []

    def add(kind: str, chunk: str) -> None:
        chunk = chunk.strip()
        if not chunk:
            return
        if sections and sections[-1].kind == kind:
            sections[-1] = Section(kind, sections[-1].text + "\n" + chunk)
        else:
            sections.append(Section(kind, chunk))

    lines = (text or "").splitlines()
    headings = [_heading_text(line) for line in lines]
    # A posting of plain sentences is mostly about the job: what no cue claims is the job's.
    # Under headings, such a sentence stays "other".
    uncued = OTHER if any(h is not None for h in headings) else RESPONSIBILITIES
    current = OTHER
    for line, heading in zip(lines, headings, strict=True):
        if heading is not None:
            current = heading_kind(heading)
            continue
        for sentence in _sentences(line):
            # Equal-opportunity text is boilerplate under any heading.
            cue = sentence_kind(sentence)
            if current == OTHER or (cue == ABOUT and current != ABOUT):
                add(uncued if cue == OTHER else cue, sentence)
            else:
                add(current, sentence)
    return sections


def job_text(text: str) -> str:
    """Only the responsibilities and requirements of a posting."""
    return "\n".join(s.text for s in split_sections(text) if s.kind in JOB_CONTENT)


def requirements_text(text: str) -> str:
    """The requirements of a posting: its requirements sections, else the sentences of its
    job content that state a requirement."""
    sections = split_sections(text)
    found = [s.text for s in sections if s.kind == REQUIREMENTS]
    if not found:
        found = [
            sentence
            for s in sections
            if s.kind in JOB_CONTENT
            for sentence in _sentences(s.text)
            if SENTENCE_KINDS[2][1].search(sentence)
        ]
    return "\n".join(found)


# --- which terms are about the job ------------------------------------------------------------

# Words that make a term about the package or the employer, not the job.
BOILERPLATE_WORDS = frozenset(
    """
    pto vacation holiday holidays insurance dental vision medical pension pensions 401k
    allowance allowances stipend stipends match matching leave benefits benefit perks perk
    salary salaries bonus bonuses equity stock options wellness gym discount discounts
    cover coverage reimbursement relocation visa sponsorship commuter childcare paid
    compensation package packages employer opportunity opportunities equal applicants
    applicant accommodation accommodations disability veteran veterans gender orientation
    religion race ethnicity diversity inclusive inclusion belonging mission values
    headquarters founded office offices snacks lunches lunch free hybrid remote
    """.split()
)
# Whole phrases that are boilerplate even where their words alone are not.
BOILERPLATE_PHRASES = (
    "time off",
    "learning budget",
    "flexible hours",
    "flexible working",
    "company match",
    "health plan",
    "life assurance",
    "days a week",
    "work from home",
    "home office",
    "career growth",
    "career development",
    "professional development",
)
# Job titles and seniority: a term made of these, or ending in a title, names a job, not work.
TITLE_WORDS = frozenset(
    """
    senior junior lead principal staff head chief director directors vp vice president
    manager managers specialist specialists analyst analysts engineer engineers developer
    developers coordinator coordinators assistant assistants associate associates officer
    officers intern interns internship executive executives consultant consultants
    representative representatives administrator administrators technician technicians
    supervisor supervisors designer designers scientist scientists architect architects
    advisor adviser advisors nurse nurses clerk clerks agent agents operator operators
    planner planners buyer buyers editor editors writer writers producer producers
    accountant accountants teacher teachers trainee apprentice graduate entry mid level
    """.split()
)
# Where a job sits in the organisation ("the Quality team"), not what it is.
ORG_WORDS = frozenset("team teams department departments division divisions unit group".split())
# Nouns that only open a phrase ("side of", "part of", "range of").
PART_WORDS = frozenset("side part kind lot range number variety mix set rest end top".split())
# Lone words too broad to be a theme of a job.
BROAD_WORDS = frozenset(
    """
    operations department division business organisation organization industry sector
    customers customer clients client company companies role roles team teams office
    position positions work job jobs people staff candidate candidates opportunity
    projects project management support
    """.split()
)


# Verbs that start a duty ("Perform structural analysis"): a fragment of a sentence, not a term.
DUTY_VERBS = frozenset(
    """
    perform supervise advise explain greet check produce investigate inspect research
    monitor resolve enforce source negotiate present forecast repair troubleshoot train
    install calibrate scout file book track adapt teach estimate flag shape interpret draft
    run build write model keep take give set get meet greet answer handle schedule coordinate
    prepare plan lead own manage maintain deliver ensure support design develop analyse
    analyze review report organise organize order process serve advance
    """.split()
)


def is_job_term(term: str) -> bool:
    """Whether a term can be a theme of the job: not boilerplate, not a title or seniority,
    not a duty's verb with its object."""
    low = term.lower()
    words = re.findall(r"[\w()+#.-]+", low.replace("(k)", "k"))
    if not words:
        return False
    if len(words) > 1 and words[0] in DUTY_VERBS and term.split()[0][:1].isupper():
        return False
    if any(w in BOILERPLATE_WORDS for w in words) or any(p in low for p in BOILERPLATE_PHRASES):
        return False
    if all(w in TITLE_WORDS for w in words) or words[-1] in TITLE_WORDS:
        return False
    if words[-1] in ORG_WORDS:
        return False  # "Operations team": where the job sits, not what it is
    if len(words) > 2 and words[1] == "of" and words[0] in PART_WORDS:
        return False  # "side of regulators": a piece of a sentence
    return not (len(words) == 1 and words[0] in BROAD_WORDS)


# How well a skill is wanted, not what it is: "Advanced Excel" is Excel.
QUALIFIERS = frozenset(
    "advanced fluent strong basic excellent solid proven good working hands-on deep expert".split()
)


def _unqualified(term: str) -> str:
    words = term.split()
    while len(words) > 1 and words[0].lower() in QUALIFIERS:
        words = words[1:]
    return " ".join(words)


def key_terms(text: str) -> list[str]:
    """The key terms of a text that can be themes of a job ("Advanced Excel" read as Excel)."""
    found: list[str] = []
    for term in extract_terms(text):
        term = _unqualified(term)
        if is_job_term(term) and term.lower() not in (f.lower() for f in found):
            found.append(term)
    return found


def job_terms(text: str) -> list[str]:
    """The key terms of what the job is: from a posting's responsibilities and requirements
    only, without benefits, boilerplate, titles or seniority words. Pure, so storable."""
    content = job_text(text)
    return key_terms(content) if content else []

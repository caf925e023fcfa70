"""A job posting's key terms, and which of them an answer used.

Extraction
----------
The posting is tagged with spaCy's small English tagger (:mod:`.grammar`; cached per posting
text). Words written together ("CDL-A", "hours-of-service", "A/B") are read as one word.
Candidate terms are noun phrases: runs of adjectives, nouns and noun modifiers that end in a
noun ("electronic logging device", "balance sheet reconciliations", "Kubernetes"). Then:

* filler modifiers are stripped from the front ("a valid CDL-A license" → "CDL-A license",
  "accurate care documentation" → "care documentation");
* the **company** (the name the posting opens with, before "is hiring", "seeks" …, or any
  capitalised name it repeats) and the **job title** (the capitalised words after "hiring
  a", "looking for a" …) are dropped, and so is any phrase made only of their words;
* **generic single words** ("experience", "team", "skills", "salary", "requirements") and
  phrases made only of generic words are dropped;
* "X and Y" stays one term only for a fixed expression ("health and safety") or when an
  acronym follows it ("sales and operations planning (S&OP)"); otherwise its parts stand
  alone;
* an acronym in brackets after a phrase ("electronic logging device (ELD)", plural "(SLOs)")
  becomes that term's alias rather than a term of its own, and keeps the small words of the
  phrase it spells ("return on ad spend (ROAS)");
* phrases about the job's setting, not its content, are dropped: a head noun that names where,
  for whom or on what terms the work is done (:data:`_CONTEXT_HEADS`: "our reception team", "a
  busy ward", "a quarterly bonus") unless an acronym or a name is in it; a lone noun after
  "the", "each", "every" or a number ("at the end of each shift"); the rest of a phrase after
  its bracketed acronym; a town after "store in"; sentences that list benefits ("We offer …");
* a duty's verb that the tagger read as a noun (", rotate stock", ", post accruals") is cut
  off the front (:data:`_DUTY_VERBS`), unless what it acts on is a generic word ("order
  stock"); a duty written as a bare verb before another verb ("excavate and record
  features") is a term of its own unless the verb is general (:data:`_GENERAL_VERBS`);
* headings ("LOCATION:"), lines about where or on what terms (:data:`_CONTEXT_LINE`), people
  the job works with ("agency chefs", :data:`_PEOPLE`) and a size before a noun ("20BBL")
  are dropped.

These rules give up to :data:`CANDIDATES` candidates (repeated phrases first, then the
posting's order; a phrase inside a longer one only when the posting also uses it alone).

Keyness filter (not shipped)
----------------------------
When ``practice/data/term_keyness.json`` exists, a logistic regression (fitted by
``scripts/train_keyness.py`` on the corpus's labelled postings) scores each candidate as a
key term or not from where and how the posting writes it (:data:`KEYNESS_FEATURES`: its
length, capitals, acronyms and digits; in the opening sentence about the company, a short
header line, a duty line or a requirement sentence; after a verb, in a list or after "such
as"; how often it is repeated; whether its head noun is a generic word, a person, a setting
or a qualification; where it stands in the posting and in the rules' order). The candidates
scoring at least the model's threshold are kept, at most :data:`MAX_TERMS` of the best, in
the posting's order. Without the weights file, as shipped, the rules' first
:data:`MAX_TERMS` are kept: on the held-out dev9 split the filter raised terms-used precision
by only 0.02 and cost 0.05 of their recall (``bench/keyness_cv.py``).

Matching
--------
A term is *used* when the answer has, by word stems (:func:`.text.stem`):

1. the whole term, in order ("incident responses" for "incident response");
2. its acronym or expansion: a bracketed alias from the posting, or the initials of the
   term ("SLOs" ↔ "service level objectives", "CAC" ↔ "customer acquisition cost");
3. its distinctive word: an acronym, a name or a hyphenated word in the term ("my CDL-A" for
   "valid CDL-A license", "our WMS" for "warehouse management system (WMS)");
4. its one distinctive word (:func:`_one_word`): the head noun of a two- or three-word term
   ("the dashboard" for "KPI dashboards"), or the modifier of a common head when the answer
   says it on its own ("the vulnerabilities" for "vulnerability management"); never a common
   posting word (:data:`_WEAK`) or a word another term of the posting shares;
5. its meaning: the share of the term's content words found in the answer — exactly, by a
   shared stem of five letters or more ("reconciling" ~ "reconciliations"), or through a
   small lexicon of paraphrases written for sayyes ("split test" ~ "A/B test", "attrition" ~
   "turnover") — is at least :data:`MEANING_THRESHOLD` and the head noun is among them.
   The threshold was calibrated on the corpus's train split (``bench/coach_eval.py``).

Limits: English only; a paraphrase that shares no word with the term and is not in the
lexicon ("people leaving" for "staff turnover") is missed; the small pipeline has no word
vectors, and no small embedding model with its weights on the package index separated
paraphrases from unrelated terms (see the README), so "meaning" here is word overlap plus
the lexicon. A duty written as a verb phrase the tagger misreads ("cash up") is lost.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

from .grammar import tag
from .lexicon import paraphrases
from .logistic import probability
from .terms import _VERBISH, _similar, _stands_alone
from .text import STOPWORDS, stem, tokenize

__all__ = [
    "CANDIDATES",
    "KEYNESS_FEATURES",
    "MAX_TERMS",
    "MEANING_THRESHOLD",
    "extract_terms",
    "keyness",
    "keyness_model",
    "match_terms",
    "use_keyness",
]

MAX_TERMS = 15
MEANING_THRESHOLD = 0.66
_WINDOW = 8  # calibrated on the train split (6 lost two terms there, 10 gained nothing)

_NOUN = {"NN", "NNS", "NNP", "NNPS"}
_MODIFIER = _NOUN | {"JJ", "JJR", "JJS", "VBG", "VBN", "HYPH", "FW"}
_STRIP = set(
    """
    a an the this that these those our your their its his her my every each any all some
    valid strong accurate safe safely regular current full high clear new good great solid
    excellent proven relevant working hands-on deep broad key core essential desirable
    preferred required ideal exceptional outstanding daily weekly monthly customer-facing
    various multiple several other own big major minor least more most
    experienced talented successful passionate motivated dedicated friendly busy complete
    present spot daily sure clean fair older younger right
    """.split()
)
_GENERIC = set(
    """
    experience team skills skill ability role company candidate opportunity requirements
    requirement responsibilities responsibility benefits salary knowledge understanding
    environment work working years year job position applicants applicant people business
    level service services day days week weeks time plus bonus culture growth learning budget
    offer engineer engineers manager managers staff employees employee department site part
    colleagues members individuals candidates record track way things thing range variety
    home weekend weekends hours hour range lot lots number standards standard fundamentals
    familiarity hire hires starters starter person everything everyone support success
    sales decisions decision risks assumptions issues dependencies teams stock medicines
    registration book accounts alerts reports estate tools lessons retailers pack repairs
    patients findings customers clients products data systems projects tasks processes
    problems solutions ideas results needs goals findings pupils users members range
    licence license shift shifts end access car van board founders partners adults homes
    everything something anything nothing everyone someone anyone payments purchases
    date hybrid remote flexible duties duty side sides
    """.split()
)
# Heads that name where or for whom the work is done, or what it pays, not what it is
# ("our reception team", "a busy acute medical ward", "the risk committee", "a quarterly
# bonus"): a phrase ending in one is context, unless it has an acronym or a tool's name.
_CONTEXT_HEADS = set(
    """
    team teams ward wards store stores shop shops hotel hotels site sites depot depots brand
    brands entity entities committee board
    office offices branch branches region market sector industry
    organisation organization company companies business businesses platform group
    department departments range ranges projects work bonus bonuses breaks holiday holidays
    pension allowance discount discounts salary package perks benefits shifts shift hours
    base bases centre centres center centers venue venues location locations premises
    experience qualification qualifications candidate candidates
    nights evenings mornings weekdays days
    """.split()
)
_UNITS = {"team", "teams", "department", "departments", "unit", "units", "desk", "programme"}
_NOT_PLACES = {"experience", "qualification", "qualifications", "candidate", "candidates"}
# Verbs that open a duty in a posting's list; the tagger often reads them as nouns there
# (", rotate stock", ", administer medication", ", post accruals").
_DUTY_VERBS = set(
    """
    administer audit book calibrate check coach dispense follow draft escalate inspect
    install monitor order post process record reconcile repair resolve review rotate
    schedule service source test track train triage update upgrade verify file fix log
    """.split()
)
# Gerunds that name a thing before a noun ("driving licence", "logging device").
_GERUND_NOUNS = set(
    """
    driving logging training marketing planning accounting engineering nursing testing
    manufacturing cleaning cooking building operating housing learning banking booking
    fundraising safeguarding onboarding reporting forecasting
    """.split()
)
_FIXED = {"health and safety", "terms and conditions", "research and development"}
_TITLE_LEAD = re.compile(
    r"\b(?:hiring|recruiting|seeking|seeks|needs|wants|for|is looking for|looking for|"
    r"join us as|as)\s+(?:an?|our|the)\s+$",
    re.I,
)
# The last word of a job title ("Operations Supervisor", "Field Service Engineer").
_ROLES = set(
    """
    supervisor technician manager officer engineer adviser advisor consultant editor
    reporter handler negotiator nurse assistant analyst specialist coordinator co-ordinator
    lead director executive representative associate driver operative designer developer
    accountant administrator clerk agent worker chef teacher tutor planner buyer controller
    inspector surveyor architect scientist therapist pharmacist paralegal solicitor
    receptionist cashier porter carer electrician mechanic fitter operator partner head
    """.split()
)
# Role nouns that only ever name people (not "leads", "drivers", "agents" or "controllers").
_PEOPLE = set(
    """
    chef nurse teacher manager supervisor technician officer adviser advisor consultant
    editor reporter handler negotiator assistant analyst specialist coordinator clerk
    accountant administrator inspector surveyor architect scientist therapist pharmacist
    solicitor receptionist cashier porter carer electrician mechanic fitter tutor
    """.split()
)
_COMPANY_VERB = re.compile(r"^\s*(?:is|are|was|seeks|needs|wants|has|have|offers|looking)\b", re.I)


def _words(posting: str) -> list[tuple[str, str, int, int]]:
    """(text, tag, start, end) with tokens written together joined ("CDL-A", "A/B")."""
    out: list[list[Any]] = []
    for start, end, _low, tag_ in tag(posting):
        text = posting[start:end]
        if out and start == out[-1][3]:
            prev = out[-1]
            joinable = text in {"-", "/", "&"} or prev[0].endswith(("-", "/", "&"))
            joinable |= (
                text in {"'", "’"}
                and prev[0].endswith("s")
                and end < len(posting) - 1
                and posting[end] == " "
                and posting[end + 1 : end + 2].isupper()
            )  # "Editors' Code": a plural owner in a name
            if joinable or (text.isalnum() and prev[0][-1:].isalnum()):
                prev[0] += text
                prev[3] = end
                if tag_ in _NOUN or prev[1] not in _NOUN:
                    prev[1] = tag_ if tag_ not in {"HYPH", "SYM"} else prev[1]
                continue
        out.append([text, tag_, start, end])
    words = [(w[0], "NN" if w[1] in {"HYPH", "SYM"} else w[1], w[2], w[3]) for w in out]
    # The tagger reads some list items as verbs: "…, fault finding, …" and "condition
    # reports (EICRs)". In a list, a verb before a noun, or after one and before a bracket
    # or a comma, is a noun.
    fixed = []
    for k, (text, tag_, start, end) in enumerate(words):
        before = words[k - 1] if k else ("", ",", 0, 0)
        after = words[k + 1] if k + 1 < len(words) else ("", ".", 0, 0)
        if tag_ in {"VB", "VBP", "VBZ"}:
            if (
                before[1] in {",", "-LRB-", ":"}
                and after[1] in {"NN", "NNS"}
                and text.lower() not in _VERBISH
            ):
                tag_ = "NN"
            elif before[1] in {"NN", "NNS"} and after[0] in {"(", ",", "and", "or", "."}:
                tag_ = "NNS"  # "lead stock takes and …": a plural noun, not a verb
        elif tag_ == "VBG" and before[1] == "RP" and after[1] not in {"DT", "PRP$", "PRP"}:
            tag_ = "NN"  # "carry out snagging before handover": the duty's name
        elif (
            tag_ == "VBG"
            and before[1] in {"VB", "VBP"}
            and before[0].lower() not in _AUX | {"keep", "start", "stop", "go", "love", "enjoy"}
            and after[1] in {",", ".", "CC", ":"}
        ):
            tag_ = "NN"  # "manage typesetting, check proofs": the object of a duty's verb
        if tag_ == "VBZ" and before[1] in {"VB", "VBP"} and before[0].lower() not in _AUX:
            tag_ = "NNS"  # "find and write exclusives": no verb follows a bare verb
        elif (
            tag_ == "VB"
            and before[1] in {"VB", "VBP"}
            and before[0].lower() not in _AUX
            and after[1] in {"NN", "NNS", "VBG"}
        ):
            tag_ = "NN"  # "review batch manufacturing records"
        elif (
            tag_ == "NN"
            and text.islower()
            and before[0] in {",", "and", ";"}
            and after[1] in {"DT", "PRP$"}
        ):
            tag_ = "VB"  # ", document all work": a noun is not followed by a determiner
        fixed.append((text, tag_, start, end))
    return fixed


def _stems(text: str) -> tuple[str, ...]:
    return tuple(stem(t.low) for t in tokenize(text) if t.kind != "p")


def _is_acronym(word: str) -> bool:
    core = word.strip("()").replace("&", "").replace("-", "").replace("/", "")
    if len(core) >= 3 and core.endswith("s") and core[:-1].isupper():
        core = core[:-1]  # a plural acronym: "SLOs", "EICRs"
    return (
        len(core) >= 2
        and core[:1].isalpha()
        and core.upper() == core
        and any(c.isalpha() for c in core)
    )


def _initials(words: list[str]) -> str:
    letters = []
    for w in words:
        for part in re.split(r"[-/]", w):
            if part and part.lower() not in {"and", "of", "&"}:
                letters.append(part[0].lower())
    return "".join(letters)


def _names(
    posting: str, words: list[tuple[str, str, int, int]]
) -> tuple[set[str], set[str], tuple[int, int]]:
    """Stems of the company's name and of the job title, and where the posting describes the
    company right after its name (character offsets; (0, 0) when it doesn't)."""
    company: set[str] = set()
    title: set[str] = set()
    about = (0, 0)
    # The name the posting opens with ("Join" aside), before "is hiring", "seeks", any verb
    # ("Crumb & Co bakes …"), or a description of it between commas or brackets ("Castle &
    # Reed, an independent agency, needs …"), which is then the company's too.
    run: list[str] = []
    first = 1 if words and words[0][0] == "Join" else 0
    for i, (text, tag_, start, _end) in enumerate(words[first:], first):
        if i == first and text == "The":
            first += 1
            continue
        opens = i == first and text[:1].isupper() and tag_ not in {"PRP", "PRP$", "DT", "MD"}
        if (
            tag_ in {"NNP", "NNPS"}
            or opens
            or (run and (text in {"&", "and"} or (text[:1].isupper() and tag_ != "MD")))
        ):
            run.append(text)
            continue
        if run and text in {",", "("}:
            close = "," if text == "," else ")"
            end = next(
                (j for j in range(i + 1, min(len(words), i + 14)) if words[j][0] == close), None
            )
            if end is not None and end + 1 < len(words):
                after = words[end + 1]
                if _COMPANY_VERB.match(posting[after[2] :]) or after[1] in {"VBZ", "VBD"}:
                    company.update(stem(w.lower()) for w in run if w not in {"&", "and"})
                    about = (words[i + 1][2], words[end][2])
            break
        if run and (_COMPANY_VERB.match(posting[start:]) or tag_ in {"VBZ", "VBD"} or first):
            company.update(stem(w.lower()) for w in run if w not in {"&", "and"})
        break
    opening = re.match(
        r"\s*(?:The\s+)?((?:[A-Z][\w'’&.-]*\s+(?:&\s+|and\s+)?){0,5}?[A-Z][\w'’&.-]*)\s+"
        r"(?:is|are|seeks|needs|wants|has|have|offers)\b",
        posting,
    )
    if opening:
        company.update(s for s in _stems(opening.group(1)) if s not in {"s", "and"})
    else:
        # The name after a heading ("About us.\nWillowbank Vets is …", "Who we are: Eastfield
        # Libraries runs …"), or where the job is ("As a Dispensing Optician at ClearView
        # you'll …").
        for m in re.finditer(
            r"(?:^|\n|:\s)\s*((?:[A-Z][\w'’&.-]*\s+(?:&\s+|and\s+)?){0,4}[A-Z][\w'’&.-]*)\s+"
            r"(?:is|are|seeks|needs|wants|has|have|offers|runs|provides|maintains)\b"
            r"|\bat\s+((?:[A-Z][\w'’&-]*\s+){0,3}[A-Z][\w'’&-]*),?\s+(?:you|we)\b",
            posting[:300],
        ):
            company.update(s for s in _stems(m.group(1) or m.group(2)) if s not in {"s", "and"})
            break
    # Capitalised names said twice or more (the company, repeated).
    caps = re.findall(r"\b([A-Z][\w'&-]+(?:\s+(?:&\s+)?[A-Z][\w'&-]+)+)", posting)
    for name in {c for c in caps if caps.count(c) >= 2}:
        company.update(_stems(name))
    # The title: capitalised words after "hiring a", "looking for a qualified", "As" …, or
    # any capitalised run that ends in a role ("The Operations Supervisor will …").
    i = 0
    while i < len(words):
        text, _tag, start, _end = words[i]
        j = i
        while j < len(words) and words[j][0][:1].isupper() and words[j][1] in _NOUN:
            j += 1
        role = j - i >= 2 and (
            words[j - 1][0].lower().rstrip("s") in _ROLES
            # "a Head Brewer", "an Events Florist": capitalised, after "a", ending as agent
            # nouns do
            or (
                i > 0
                and words[i - 1][0].lower() in {"a", "an"}
                and bool(re.search(r"(?:er|or|ist|ian)$", words[j - 1][0].lower()))
            )
        )
        lead = posting[max(0, start - 40) : start]
        lead = re.sub(r"(?:\b[a-z][\w-]*\s+)?$", "", lead) if lead.endswith(" ") else lead
        if text[:1].isupper() and (
            _TITLE_LEAD.search(posting[max(0, start - 40) : start])
            or _TITLE_LEAD.search(lead)
            or re.search(r"(?:^|[.!?]\s+)As\s+$", posting[max(0, start - 10) : start])
            or role
        ):
            j = i
            while j < len(words) and words[j][0][:1].isupper() and words[j][1] in _NOUN:
                title.add(stem(words[j][0].lower()))
                j += 1
            i = j
        i += 1
    return company, title, about


def _spelled(words: list[tuple[str, str, int, int]]) -> dict[int, int]:
    """{start: end} of phrases with small words inside that a bracketed acronym after them
    spells ("return on ad spend (ROAS)", "point of sale (POS)")."""
    spans: dict[int, int] = {}
    for k in range(1, len(words) - 1):
        if words[k][0] != "(" or not _is_acronym(words[k + 1][0]):
            continue
        letters = re.sub(r"[^a-z]", "", words[k + 1][0].removesuffix("s").lower())
        for n in range(len(letters), len(letters) + 3):
            start = k - n
            span = words[max(0, start) : k]
            if start < 0 or any(not w[0][:1].isalnum() for w in span):
                break
            if span[0][0].lower() in _SMALL or span[-1][0].lower() in _SMALL:
                continue
            if not any(w[0].lower() in _SMALL for w in span):
                continue  # no small word inside: the ordinary chunker reads it
            if "".join(w[0][0].lower() for w in span) == letters:
                spans[start] = k
                break
    return spans


_SMALL = {"on", "of", "to", "for", "in", "at", "per", "and", "&", "as", "a", "the"}
_AWARDS = set("award diploma certificate certification degree bachelor master level".split())
# Lines whose heading names the job's terms, not its content ("LOCATION: Leeds").
_CONTEXT_LINE = re.compile(
    r"^[ \t]*(?:location|based|salary|pay|hours|contract|reports?\s+to|closing\s+date|"
    r"start\s+date|benefits|working\s+pattern)[ \t]*(?::|[—–][ \t])[^\n]*",
    re.I | re.M,
)
_AUX = {"be", "have", "do", "help", "let", "make"}
_DESCRIBE = {"JJ", "JJR", "JJS", "VBN"}


def _chunks(words: list[tuple[str, str, int, int]]) -> list[list[int]]:
    """Noun phrases as lists of word indexes (with "and" kept for fixed expressions)."""
    chunks: list[list[int]] = []
    cur: list[int] = []
    spans = _spelled(words)
    skip_to = -1
    for k, (text, tag_, _s, _e) in enumerate(words):
        if k < skip_to:
            continue
        if k in spans:  # "return on ad spend (ROAS)": one term, small words and all
            if cur:
                chunks.append(cur)
            cur = []
            chunks.append(list(range(k, spans[k])))
            skip_to = spans[k]
            continue
        if (
            tag_ == "VBG"
            and cur
            and words[cur[-1]][1] in _NOUN
            and text.lower() in _VERBISH
            and k + 1 < len(words)
            and words[k + 1][1] in _MODIFIER
        ):
            chunks.append(cur)  # "faults using diagnostic equipment": two terms
            cur = [k]
            continue
        if tag_ in _MODIFIER or (text.lower() in {"and", "&"} and cur):
            cur.append(k)
            continue
        if (
            tag_ == "CD"
            and cur
            and words[cur[-1]][0][:1].isupper()
            and k + 1 < len(words)
            and words[k + 1][0][:1].isupper()
            and words[k + 1][1] in _NOUN
        ):
            cur.append(k)  # "Level 3 NVQ", "Level 2 Food Hygiene": a named qualification
            continue
        if (
            tag_ == "CD"
            and cur
            and words[cur[-1]][1] in {"NNP", "NNPS"}
            and text.isdigit()
            and (k + 1 >= len(words) or words[k + 1][0].lower() not in {"and", "or", "-", "to"})
        ):
            cur.append(k)  # "Microsoft 365", "EU GMP Annex 1": a name with its number
            continue
        if (
            text == "to"
            and len(cur) == 1
            and words[cur[0]][1] == "NN"
            and k + 1 < len(words)
            and words[k + 1][1] in {"VB", "NN"}
            and words[k + 1][0].islower()
        ):
            cur.append(k)  # "permit to work", "right to rent checks"
            continue
        if (
            cur
            and text.lower() == "as"
            and k + 1 < len(words)
            and words[k + 1][0].lower() in {"code", "service"}
        ):
            cur.append(k)  # "infrastructure as code", "software as a service"
            continue
        if (
            text in {"in", "of"}
            and cur
            and any(words[j][0].lower() in _AWARDS for j in cur)
            and words[cur[-1]][1] in {"NNP", "NNPS"}
            and k + 1 < len(words)
            and words[k + 1][1] in {"NNP", "NNPS"}
        ):
            cur.append(k)  # "RSPH Level 2 Award in Pest Management": one qualification
            continue
        if cur:
            chunks.append(cur)
        cur = []
    if cur:
        chunks.append(cur)
    out: list[list[int]] = []
    for chunk in chunks:
        # Split coordinations unless they are a fixed expression or an acronym follows.
        phrase = " ".join(words[k][0].lower() for k in chunk)
        nxt = chunk[-1] + 1
        acronym_after = (
            nxt + 1 < len(words) and words[nxt][0] == "(" and _is_acronym(words[nxt + 1][0])
        )
        if acronym_after and any(words[k][0].lower() in {"and", "&"} for k in chunk):
            letters = re.sub(r"[^a-z]", "", words[nxt + 1][0].lower())
            for cut in range(len(chunk)):
                if _initials([words[k][0] for k in chunk[cut:]]) == letters:
                    before: list[int] = []
                    for k in chunk[:cut]:  # "cellar management and quality control (QC)"
                        if words[k][0].lower() in {"and", "&"}:
                            if before:
                                out.append(before)
                            before = []
                        else:
                            before.append(k)
                    if before:
                        out.append(before)
                    out.append(chunk[cut:])
                    break
            else:
                out.append(chunk)
            continue
        fixed = next((f for f in _FIXED if f in phrase), None)
        if fixed:  # "health and safety compliance": the fixed expression is the term
            n = len(fixed.split())
            first = next(
                i
                for i in range(len(chunk) - n + 1)
                if " ".join(words[k][0].lower() for k in chunk[i : i + n]) == fixed
            )
            out.append(chunk[first : first + n])
            continue
        if any(words[k][0].lower() in {"and", "&"} for k in chunk):
            ands = [i for i, k in enumerate(chunk) if words[k][0].lower() in {"and", "&"}]
            if words[chunk[-1]][0].lower() in _CONTEXT_HEADS - _NOT_PLACES and all(
                a - b == 2 for a, b in zip(ands, [-1, *ands], strict=False)
            ):
                # "our Leeds and Bristol depots", "early and late shifts": modifiers of one
                # context head; "HMRC duty records and work" is a term and a context word.
                continue
            if (
                ands == [1]
                and len(chunk) >= 4
                and words[chunk[0]][1] in {"JJ", "NN"}
                and words[chunk[0]][0].islower()
            ):
                out.append(chunk)  # "disciplinary and grievance cases": one modifier pair
                continue
            part: list[int] = []
            for k in chunk:
                if words[k][0].lower() in {"and", "&"}:
                    if part:
                        out.append(part)
                    part = []
                else:
                    part.append(k)
            if part:
                out.append(part)
        else:
            out.append(chunk)
    return out


# Nouns that only hold the term they follow ("safety stock levels", "drugs records").
_CONTAINER = set("levels level procedures procedure records checks entries entry".split())


def _listed_verb(words: list[tuple[str, str, int, int]], chunk: list[int]) -> bool:
    """A duty's verb opening a chunk in a comma list (", set safety stock levels")."""
    k = chunk[0]
    return (
        len(chunk) >= 3
        and k > 0
        and words[k - 1][0] == ","
        and words[k][1] in {"VB", "VBD", "VBN", "VBP"}
        and words[k][0].lower() not in _GERUND_NOUNS
        and words[k + 1][1] in _NOUN
    )


def _duty_verb(words: list[tuple[str, str, int, int]], chunk: list[int]) -> bool:
    """A duty's verb opening a chunk after a comma, "and" or "will" (", rotate stock")."""
    k = chunk[0]
    return (
        len(chunk) >= 2
        and k > 0
        and words[k][0].lower() in _DUTY_VERBS
        and words[k - 1][0].lower() in {",", "and", "will", "also", "to", ";"}
    )


# Verbs too general to name a duty on their own ("plan and deliver lessons").
_GENERAL_VERBS = set(
    """
    plan deliver manage maintain support develop run keep help work carry make take provide
    ensure assist complete prepare handle lead build review check monitor update record
    write create improve use do get set give meet follow design coordinate organise organize
    oversee own drive identify implement respond report track promote share attend learn
    order open close find log call send answer book process sort
    """.split()
)


def _listed_duties(words: list[tuple[str, str, int, int]]) -> list[tuple[int, str]]:
    """Duties written as bare verbs before another verb that takes the object ("excavate and
    record features", "tune, regulate and voice pianos"): every verb of the list but the
    last, which the noun phrase after it carries. (start, verb) in the posting's order."""
    out: list[tuple[int, str]] = []
    k = 0
    while k < len(words):
        text, tag_, start, _end = words[k]
        before = words[k - 1][0].lower() if k else ""
        if not (
            tag_ in {"VB", "VBP"}
            and text.islower()
            and before in {"will", "'ll", ",", ":", ";", "to"}
            and k + 2 < len(words)
            and words[k + 1][0] in {",", "and"}
        ):
            k += 1
            continue
        run = [k]
        j = k + 2
        while (
            j < len(words)
            and words[j][0].islower()
            and words[j][1] in {"VB", "VBP", "NN"}
            and words[j - 1][0] in {",", "and"}
        ):
            run.append(j)
            if j + 1 < len(words) and words[j + 1][0] in {",", "and"}:
                j += 2
                if j < len(words) and words[j - 1][0] == "," and words[j][0] == "and":
                    j += 1
            else:
                break
        if (
            len(run) >= 2
            and j < len(words)
            and run[-1] + 1 < len(words)  # "- Testing and certify" at the very end: no object
            and words[run[-1] + 1][1] in _MODIFIER | {"DT"}
        ):
            out.extend(
                (words[i][2], words[i][0])
                for i in run[:-1]
                if words[i][0] not in _GENERAL_VERBS and len(words[i][0]) >= 3
            )
        k = run[-1] + 1
    return out


_BENEFITS = re.compile(
    r"(?:we\s+offer|benefits|perks|in\s+return|salary|pay\b|you\s*(?:'ll|will)\s+"
    r"(?:get|receive|enjoy))",
    re.I,
)
_DETERMINERS = {"the", "each", "every", "this"}
_PLACES = {"UK", "US", "USA", "EU", "EMEA", "APAC", "UAE"}


def _context(
    words: list[tuple[str, str, int, int]], chunk: list[int], lows: list[str], sentences: list[int]
) -> bool:
    """The phrase tells where, for whom or on what terms the work is done, not what it is."""
    texts = [words[k][0] for k in chunk]
    named = any(_is_acronym(t) and t not in _PLACES for t in texts) or any(
        t[:1].isupper() and t not in _PLACES for t in texts[1:]
    )
    if any(words[k][1] == "VBG" and words[k - 1][1] == "NNS" for k in chunk[1:]):
        return True  # "patients leaving hospital": a clause about people, not a term
    if lows[-1] in _CONTEXT_HEADS and not named:
        return True  # "our reception team", "a busy acute medical ward", "paid breaks"
    start = words[chunk[0]][2]
    opening = max((s for s in sentences if s <= start), default=0)
    if _BENEFITS.match(_sentence(words, opening)):
        return True  # "We offer a quarterly bonus and paid breaks."
    k = chunk[0]
    before = words[k - 1] if k else ("", ".", 0, 0)
    if len(chunk) == 1 and not named and not _is_acronym(texts[0]) and "-" not in texts[0]:
        if before[0] == ")":
            return True  # "on-time in-full (OTIF) delivery": the rest of an aliased term
        if texts[0].islower() and (
            (before[0] == "on" and (words[k][1] == "NNS" or words[k - 2][0].lower() == "based"))
            or (before[0] in {"for", "at"} and words[k][1] == "NNS")
        ):
            return True  # "on nights", "based on quality", "loaves for supermarkets"
        after = words[k + 1] if k + 1 < len(words) else ("", ".", 0, 0)
        if (
            (before[0].lower() in _DETERMINERS or before[1] == "CD")
            and words[k][1] != "VBG"
            and after[1] not in _NOUN
        ):
            return True  # "at the end of each shift", "sixty homes", "our warehouse"
    camel = any(c.isupper() for c in texts[0][1:]) and not _is_acronym(texts[0])
    if (
        all(words[j][1] in {"NNP", "NNPS"} for j in chunk)
        and not camel
        and not any(_is_acronym(t) for t in texts)
        and (
            before[0].lower() in {"near", "across", "throughout", "around"}
            or (
                before[0].lower() in {"in", "at", "from", "the"}
                and k >= 2
                and (
                    words[k - 2][0].lower() in _CONTEXT_HEADS | {"based", "located"}
                    or (before[0].lower() == "the" and words[k - 2][0].lower() in {"in", "across"})
                )
            )
        )
    ):
        return True  # "our flagship store in Keswick", "near Carlisle", "in the Midwest"
    return False


def _sentence(words: list[tuple[str, str, int, int]], start: int) -> str:
    return " ".join(w[0] for w in words if w[2] >= start)[:40]


_BULLET = re.compile(r"^[ \t]*(?:[-*•·▪–—>]+|\d{1,2}[.)])[ \t]+(\S+)", re.M)
_LINE_END = re.compile(r"(?<=[^\s.!?:;,])[ \t]*\n")


def _bullet(m: re.Match[str]) -> str:
    # A bullet opens a duty with its verb ("• Write trust applications"): read as "You will
    # write …" so the tagger sees the verb; "You will" is no noun, so it joins no term.
    word = m.group(1)
    if word[:1].isupper() and word[1:].islower():
        word = word.lower()
    return "You will " + word


def _lines(posting: str) -> str:
    """A posting laid out in lines and bullets, as sentences: each line without an ending
    gets a full stop, and each bullet reads as a duty ("- Record health events" → "You will
    record health events."), so no phrase runs from one line into the next."""
    return _LINE_END.sub(".\n", _BULLET.sub(_bullet, posting))


# --- The keyness filter ---------------------------------------------------------------------
# The rules above generate candidates; a logistic regression trained on the corpus's
# postings (scripts/train_keyness.py) scores each as a key term or not from where and how the
# posting writes it, when its weights are in practice/data/term_keyness.json (none ship).

CANDIDATES = 30
KEYNESS_FILE = "term_keyness.json"
KEYNESS_FEATURES = (
    "one_word",
    "two_words",
    "three_or_more_words",
    "acronym",
    "capitalised",
    "digits",
    "hyphenated",
    "name",
    "first_sentence",
    "first_line",
    "header_line",
    "duty_line",
    "requirement",
    "after_verb",
    "verb_cut",
    "listed_duty",
    "after_with_of",
    "in_a_list",
    "repeated",
    "head_generic",
    "head_people",
    "head_context",
    "head_weak",
    "head_plural",
    "adjective_first",
    "gerund",
    "long_words",
    "position",
    "rules_first_15",
    "rules_rank",
    "alias",
    "capitalised_in_intro",
    "example",
    "short_common_word",
    "terms_in_sentence",
    "award",
    "named_requirement",
)


class Candidate(NamedTuple):
    """One candidate term: what is shown, its aliases, where it starts in the posting as read
    (:func:`_lines`), and its features (:data:`KEYNESS_FEATURES`)."""

    term: str
    aliases: tuple[str, ...]
    start: int
    features: tuple[float, ...]


class _Page(NamedTuple):
    posting: str
    words: list[tuple[str, str, int, int]]
    sentences: list[int]
    stems: tuple[str, ...]
    names: set[str]
    starts: tuple[int, ...]


_REQUIREMENT = re.compile(
    r"\b(?:essential|desirable|required|requirements?|experience[ds]?|qualifications?|"
    r"qualified|licen[cs]es?|certificates?|certifi(?:ed|cation)|must|knowledge|familiar|"
    r"proficien\w*|ideally|you(?:'ll| will) have|you have|degree|trained|ticket|card)\b",
    re.I,
)
_DUTY_LINE = re.compile(
    r"\b(?:you(?:'ll| will)|responsib\w*|duties|your day|day[- ]to[- ]day|the role)\b", re.I
)
# Heads that name a qualification or a permit ("food hygiene certificate", "CSCS card").
_AWARD_HEADS = _AWARDS | set(
    """
    certificate certificates licence license licences licenses registration ticket tickets
    card cards qualification qualifications accreditation nvq diploma check clearance
    """.split()
)
# An example in a list ("phone, chat and email", "such as eating and mobility").
_EXAMPLE = re.compile(r"\b(?:such as|e\.g\.|for example|like|including|from)\b", re.I)
# People a posting mentions as whom the work is for or with ("families", "residents").
_WHO = set(
    """
    family families parent parents child children resident residents customer customers
    client clients patient patients guest guests visitor visitors member members student
    students pupil pupils volunteer volunteers colleague colleagues people user users tenant
    tenants contractor contractors supplier suppliers owner owners driver drivers
    technician technicians crew crews staff learner learners buyer buyers
    """.split()
)


def _keyness_features(
    page: _Page,
    shown: str,
    stems: tuple[str, ...],
    aliases: tuple[str, ...],
    chunk: list[int],
    cut: bool,
    rank: int,
) -> tuple[float, ...]:
    """The candidate's feature vector (:data:`KEYNESS_FEATURES`)."""
    words, posting = page.words, page.posting
    texts = shown.split()
    k0, k1 = chunk[0], chunk[-1]
    start = words[k0][2]
    tags = [words[k][1] for k in chunk]
    head = texts[-1].lower()
    n = len(texts)
    line_start = posting.rfind("\n", 0, start) + 1
    line_end = posting.find("\n", start)
    line = posting[line_start : line_end if line_end >= 0 else len(posting)]
    sentence_start = max((s for s in page.sentences if s <= start), default=0)
    sentence_end = min((s for s in page.sentences if s > start), default=len(posting))
    sentence = posting[sentence_start:sentence_end]
    before = [words[k][1] for k in range(max(0, k0 - 2), k0)]
    prev = words[k0 - 1][0].lower() if k0 else ""
    nxt = words[k1 + 1][0].lower() if k1 + 1 < len(words) else ""
    capitalised = any(t[:1].isupper() and not _is_acronym(t) for t in texts)
    first_sentence = len(page.sentences) < 2 or start < page.sentences[1]
    content = [t for t in texts if t.lower() not in STOPWORDS]
    verb = n == 1 and tags[0] in {"VB", "VBP"}
    return (
        float(n == 1),
        float(n == 2),
        float(n >= 3),
        float(any(_is_acronym(t) for t in texts)),
        float(capitalised),
        float(any(c.isdigit() for c in shown)),
        float("-" in shown),
        float(all(t in {"NNP", "NNPS", "CD"} for t in tags)),
        float(first_sentence),
        float(line_start == 0 and "\n" in posting.strip()),
        float(len(line.split()) <= 7 and not line.lstrip().startswith("You will ")),
        float(bool(_DUTY_LINE.search(sentence)) or line.lstrip().startswith("You will ")),
        float(bool(_REQUIREMENT.search(sentence))),
        float(any(t in {"VB", "VBP", "VBG", "VBZ"} for t in before)),
        float(cut),
        float(verb),
        float(prev in {"with", "of", "using", "in", "on"}),
        float(prev in {",", ";", "and", "or"} or nxt in {",", "and", "or", ";"}),
        math.log1p(max(0, _count(page.stems, stems) - 1)),
        float(head in _GENERIC),
        float(head in _WHO or head.rstrip("s") in _PEOPLE | _ROLES),
        float(head in _CONTEXT_HEADS),
        float(stem(head) in _WEAK),
        float(tags[-1] in {"NNS", "NNPS"}),
        float(tags[0] in {"JJ", "JJR", "JJS"}),
        float(any(t == "VBG" for t in tags)),
        sum(len(t) for t in content) / max(1, len(content)) / 10,
        start / max(1, len(posting)),
        float(rank < MAX_TERMS),
        rank / CANDIDATES,
        float(bool(aliases)),
        float(capitalised and (first_sentence or line_start == 0)),
        float(bool(_EXAMPLE.search(posting[sentence_start:start]))),
        float(n == 1 and texts[0].islower() and len(texts[0]) <= 6),
        math.log1p(sum(1 for c in page.starts if sentence_start <= c < sentence_end)),
        float(head in _AWARD_HEADS),
        float(
            bool(_REQUIREMENT.search(sentence))
            and (capitalised or any(_is_acronym(t) for t in texts) or head in _AWARD_HEADS)
        ),
    )


_override: list[dict[str, Any] | None] = []


@lru_cache(maxsize=1)
def _shipped_keyness() -> dict[str, Any] | None:
    try:
        text = (resources.files("sayyes.practice") / "data" / KEYNESS_FILE).read_text("utf-8")
        data: dict[str, Any] = json.loads(text)
    except (OSError, ValueError):  # pragma: no cover - a broken install: the rules alone
        return None
    if tuple(data.get("features", ())) != KEYNESS_FEATURES:
        return None  # weights for other features: the rules alone, never a wrong score
    return data


def keyness_model() -> dict[str, Any] | None:
    """The keyness filter's weights (read once per process), or None: the rules alone."""
    if _override:
        return _override[-1]
    return _shipped_keyness()


def use_keyness(model: dict[str, Any] | None) -> None:
    """Score with ``model`` (None: the rules alone) instead of the shipped weights, for the
    training script and the bench; the per-posting caches are cleared."""
    _override[:] = [model]
    _posting_terms.cache_clear()
    extract_terms.cache_clear()
    _shared.cache_clear()


def keyness(model: dict[str, Any], x: tuple[float, ...] | list[float]) -> float:
    """The filter's probability that a candidate with features ``x`` is a key term."""
    return probability(model, x)


@lru_cache(maxsize=256)
def _candidates(posting: str) -> tuple[Candidate, ...]:
    """Up to :data:`CANDIDATES` candidate terms of a posting, the rules' best first, each
    with the features the keyness filter reads (cached per posting text)."""
    if not posting or not posting.strip():
        return ()
    posting = _lines(posting)
    try:
        words = _words(posting)
    except Exception:  # noqa: BLE001 - without the model there are no terms, never an error
        return ()
    company, title, about = _names(posting, words)
    # A company word the posting also writes in lower case ("Brightwater Care" and "care
    # plans") is an ordinary word there; the others name the company.
    distinctive = company - {stem(w) for w in re.findall(r"\b[a-z][a-z']*", posting)}
    sentences = [m.start() for m in re.finditer(r"(?:^|(?<=[.!?;])\s+|\n)\S", posting)]
    context_lines = [m.span() for m in _CONTEXT_LINE.finditer(posting)]
    found: list[tuple[str, tuple[str, ...], set[str]]] = []
    seen: set[tuple[str, ...]] = set()
    # Where each candidate is (by its stems): its words' indexes, and whether the rules cut
    # a word off its front (a duty's verb, a filler modifier); a listed duty has no chunk.
    where: dict[tuple[str, ...], tuple[list[int], bool]] = {}
    at_char = {w[2]: k for k, w in enumerate(words)}
    verbs = _listed_duties(words)
    for chunk in _chunks(words):
        while verbs and verbs[0][0] < words[chunk[0]][2]:
            _at, verb = verbs.pop(0)
            if _stems(verb) not in seen and not set(_stems(verb)) & (company | title):
                seen.add(_stems(verb))
                found.append((verb, _stems(verb), set()))
                where[_stems(verb)] = ([at_char[_at]], True)
        first_word = chunk[0]
        while (
            chunk
            and (
                words[chunk[0]][0].lower() in _STRIP
                or words[chunk[0]][1] in {"JJS", "JJR"}
                or (
                    words[chunk[0]][0].lower() in _VERBISH
                    and (
                        words[chunk[0]][1] in {"VB", "VBD", "VBN", "VBP", "VBZ", "VBG"}
                        # "running interviews and managing offers": the tagger's nouns
                        or (words[chunk[0]][0].endswith("ing") and len(chunk) >= 2)
                    )
                    and words[chunk[0]][0].lower() not in _GERUND_NOUNS
                )
                or words[chunk[0]][0].lower() in {"and", "&"}
                or re.fullmatch(
                    r"\d+(?:[A-Z]{1,4}|-[a-z]+)", words[chunk[0]][0]
                )  # "20BBL brewhouse"
                or (
                    (_listed_verb(words, chunk) or _duty_verb(words, chunk))
                    # "order stock": a duty's verb stays when what it acts on is a generic word
                    and not all(words[k][0].lower() in _GENERIC for k in chunk[1:])
                )
            )
        ):
            chunk = chunk[1:]
        if (
            len(chunk) >= 2
            and words[chunk[0]][1] == "VBG"
            and words[chunk[0]][0].lower() not in _GERUND_NOUNS
            and chunk[0] > 0
            and words[chunk[0] - 1][0].lower()
            in {",", ":", ";", "and", "or", "include", "includes"}
            and words[chunk[1]][1] in _NOUN | {"JJ"}
        ):
            # ", assessing liability", "and managing offers": the duty's verb goes, unless
            # what it acts on is a generic word ("headhunting candidates": the duty is the term).
            rest = [words[k][0].lower() for k in chunk[1:]]
            duty = all(w in _GENERIC for w in rest)
            chunk = chunk[:1] if duty else chunk[1:]
        else:
            duty = False
        whole = chunk
        while (
            chunk
            and not duty
            and (words[chunk[-1]][1] not in _NOUN or words[chunk[-1]][0].lower() in _STRIP)
            and not (
                words[chunk[-1]][1] == "CD"
                and len(chunk) >= 2
                and words[chunk[-2]][1] in {"NNP", "NNPS"}
            )
        ):
            chunk = chunk[:-1]
        after = whole[-1] + 1 if whole else 0
        if (
            whole
            and chunk != whole
            and after + 1 < len(words)
            and words[after][0] == "("
            and _is_acronym(words[after + 1][0])
            and _initials([words[k][0] for k in whole])
            == re.sub(r"[^a-z]", "", words[after + 1][0].lower())
        ):
            chunk = whole  # "on-time in-full (OTIF)": the acronym spells the whole phrase
        if (
            len(chunk) >= 2
            and words[chunk[-1]][0].lower() in _CONTAINER
            and not any(words[k][0].lower() in {"and", "&"} for k in chunk)
            and sum(len(words[k][0]) for k in chunk[:-1]) >= 3  # "pH checks" stays whole
        ):
            chunk = chunk[:-1]  # "safety stock levels": the levels are not the term
        if (
            len(chunk) == 1
            and chunk[0] + 1 < len(words)
            and words[chunk[0] + 1][1] == "CD"
            and not _is_acronym(words[chunk[0]][0])
        ):
            continue  # a label before a number ("Stage 3", "Year 10") is no term
        if not chunk:
            continue
        texts = [words[k][0] for k in chunk]
        lows = [t.lower() for t in texts]
        start = words[chunk[0]][2]
        stems = _stems(" ".join(texts))
        if not stems or stems in seen:
            continue
        described = {
            stem(w.lower()) for w, k in zip(texts, chunk, strict=True) if words[k][1] in _DESCRIBE
        }
        core = set(stems) - described or set(stems)
        role = texts[-1][:1].isupper() and texts[-1].lower().rstrip("s") in _ROLES
        # People the job works with ("agency chefs", "account managers") are no key term.
        role |= lows[-1].endswith("s") and lows[-1][:-1] in _PEOPLE and len(lows) >= 2
        if core <= company | title or role or any(s in distinctive for s in stems):
            continue  # the company or the title, or either with a word about it ("qualified")
        if any(a <= start < b for a, b in context_lines):
            continue  # "LOCATION: Leeds and surrounding area"
        if about[0] <= start < about[1]:
            continue
        end = words[chunk[-1]][3]
        if re.match(r"[ \t]*(?::|[—–][ \t])", posting[end : end + 3]) and (
            start == 0 or re.search(r"(?:^|\n|[.!?])[ \t]*$", posting[max(0, start - 4) : start])
        ):
            continue  # a heading ("LOCATION:", "Job summary —"), not a term
        if _context(words, chunk, lows, sentences):
            # "the milking team", "its motor claims team": the team is the setting, what it
            # does is the term (one noun before it names the team: "our reception team").
            if not (
                lows[-1] in _UNITS
                and (len(chunk) >= 3 or words[chunk[0]][1] == "VBG")
                and all(
                    words[k][1] in {"NN", "NNS", "VBG"} and lows[i].islower()
                    for i, k in enumerate(chunk[:-1])
                )
                and not all(w in _GENERIC for w in lows[:-1])
            ):
                continue
            chunk, texts, lows = chunk[:-1], texts[:-1], lows[:-1]
            stems = _stems(" ".join(texts))
            if stems in seen:
                continue
        if all(w in _GENERIC or w in STOPWORDS for w in lows):
            continue
        if len(lows) == 1 and (len(lows[0]) < 3 or lows[0] in _GENERIC):
            continue
        if any(re.search(r"\d", t) for t in texts) and not any(
            _is_acronym(t) or t[:1].isupper() for t in texts
        ):
            continue
        sentence_start = start == 0 or bool(
            re.search(r"[.!?:]\s*$|\n\s*$", posting[max(0, start - 3) : start])
        )
        shown = " ".join(
            t
            if (_is_acronym(t) or (t[:1].isupper() and not (n == 0 and sentence_start)))
            else t.lower()
            for n, t in enumerate(texts)
        )
        aliases: set[str] = set()
        nxt = chunk[-1] + 1
        if (
            nxt + 2 < len(words)
            and words[nxt][0] == "("
            and words[nxt + 2][0] == ")"
            and (_is_acronym(words[nxt + 1][0]) or words[nxt + 1][1] in {"NNP", "NNPS"})
        ):
            # "electronic logging device (ELD)", "supporter database (Beacon)": the bracket
            # names the same thing; a list in brackets ("(ESD, F&G)") gives terms of its own.
            aliases.add(words[nxt + 1][0])
        seen.add(stems)
        found.append((shown, stems, aliases))
        where[stems] = (chunk, chunk[0] != first_word)
    for _at, verb in verbs:
        if _stems(verb) not in seen and not set(_stems(verb)) & (company | title):
            seen.add(_stems(verb))
            found.append((verb, _stems(verb), set()))
            where[_stems(verb)] = ([at_char[_at]], True)
    # An acronym that is some term's alias is not a term of its own; a term inside a longer
    # one is kept only when the posting also uses it alone.
    alias_stems = {_stems(a) for _t, _s, al in found for a in al}
    # Terms the posting repeats come first, then the others in the posting's order.
    posting_stems = _stems(posting)
    found.sort(key=lambda f: -min(2, _count(posting_stems, f[1])))
    kept: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
    for shown, stems, aliases in found:
        if stems in alias_stems:
            continue
        if any(
            len(other) > len(stems) and _contains(other, stems) for _t, other, _a in found
        ) and not _stands_alone(
            posting_stems, stems, [o for _t, o, _a in found if len(o) > len(stems)]
        ):
            continue
        kept.append((shown, stems, tuple(sorted(aliases))))
        if len(kept) >= CANDIDATES:
            break
    starts = tuple(words[where[st][0][0]][2] for _sh, st, _al in kept)
    page = _Page(posting, words, sentences, posting_stems, company | title, starts)
    return tuple(
        Candidate(
            shown,
            aliases,
            words[where[stems][0][0]][2],
            _keyness_features(page, shown, stems, aliases, *where[stems], rank),
        )
        for rank, (shown, stems, aliases) in enumerate(kept)
    )


@lru_cache(maxsize=256)
def _posting_terms(posting: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """((term, aliases), …) for a posting: the rules' candidates the keyness filter keeps,
    at most :data:`MAX_TERMS`, in the posting's order (cached per posting text). Without the
    filter's weights, the rules' first :data:`MAX_TERMS`."""
    candidates = _candidates(posting)
    model = keyness_model()
    if model is None:
        return tuple((c.term, c.aliases) for c in candidates[:MAX_TERMS])
    scored = [(keyness(model, c.features), c) for c in candidates]
    above = [pc for pc in scored if pc[0] >= model["threshold"]]
    best = sorted(above, key=lambda pc: -pc[0])[:MAX_TERMS]
    return tuple((c.term, c.aliases) for _p, c in sorted(best, key=lambda pc: pc[1].start))


def _count(seq: tuple[str, ...], sub: tuple[str, ...]) -> int:
    n = len(sub)
    return sum(1 for i in range(len(seq) - n + 1) if seq[i : i + n] == sub)


def _contains(seq: tuple[str, ...], sub: tuple[str, ...]) -> bool:
    n = len(sub)
    return any(seq[i : i + n] == sub for i in range(len(seq) - n + 1))


@lru_cache(maxsize=256)
def extract_terms(posting: str) -> tuple[str, ...]:
    """Up to :data:`MAX_TERMS` key terms of a posting, in its order (cached per text)."""
    return tuple(t for t, _a in _posting_terms(posting))


def _found(s: str, answer_set: set[str]) -> bool:
    if s in answer_set:
        return True
    if any(x in answer_set for x in paraphrases(s)):
        return True
    return any(_similar(s, a, 0.7) for a in answer_set)


# Words too common in postings to stand for a term on their own ("management" in
# "behaviour management", "reports" in "incident reports").
_WEAK = {
    stem(w)
    for w in """
    management manage report reports reporting call calls test tests testing handling design
    risk risks data quality system systems process processes plan plans planning check checks
    control time times rate level levels service work support programme program pack team
    record records skill skills analysis assessment assessments review reviews meeting
    meetings customer customers client clients patient patients user users staff project
    projects product products sales cost costs order orders stock drug drugs care safety
    health office room guest guests contract contracts job jobs line lines site sites
    operations operation business account accounts delivery development research
    training learning performance campaign campaigns document documents documentation note
    notes request requests issue issues change changes response standard standards detail
    spend spending value revenue income margin growth volume return returns
    details tool tools method methods practice practices task tasks target targets model
    """.split()
} | {stem(w) for w in _GENERIC}


def _bare(s: str, answer: str) -> bool:
    """The answer says the word ``s`` (by stem) not as the modifier of another noun: "the
    vulnerabilities", not "incident reviews"."""
    toks = list(tokenize(answer))
    for i, t in enumerate(toks):
        if t.kind == "p":
            continue
        st = stem(t.low)
        if st != s and not _similar(s, st, 0.7):
            continue
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt is None or nxt.kind == "p" or nxt.low in STOPWORDS:
            return True
    return False


def _alike(a: str, b: str) -> bool:
    """Two forms of one word ("forecast" ~ "forecasting"), not a short word and a longer one
    that merely starts with it ("found" and "foundation")."""
    if not _similar(a, b, 0.7):
        return False
    common = len(next((a[:n] for n in range(min(len(a), len(b)), 0, -1) if a[:n] == b[:n]), ""))
    return common >= 0.6 * max(len(a), len(b))


def _one_word(content: list[str], answer_set: set[str], shared: set[str], answer: str) -> bool:
    """A two-word term named by its one distinctive word ("dashboards" for "KPI dashboards",
    "forecast" for "demand forecasting"): the head noun, or the modifier when the head is a
    common posting word ("vulnerability" for "vulnerability management"); five letters or
    more, not a common posting word itself, in no other term of the posting, and said as
    such (same stem or a shared stem of five letters, not through the paraphrase lexicon)."""
    head = len(content) - 1
    return len(content) in {2, 3} and any(
        len(s) >= 5
        and s not in _WEAK
        and s not in shared
        and (s in answer_set or any(_alike(s, a) for a in answer_set))
        and (n == head or (head == 1 and content[1] in _WEAK and _bare(s, answer)))
        for n, s in enumerate(content)
    )


def _used(
    term: str,
    aliases: tuple[str, ...],
    answer_stems: tuple[str, ...],
    answer: str,
    shared: frozenset[str] = frozenset(),
) -> bool:
    stems = _stems(term)
    if not stems:
        return False
    if _contains(answer_stems, stems):
        return True
    parts = re.split(r"\s+(?:and|&)\s+", term)
    if len(parts) == 2 and all(parts):
        # "balayage and colour corrections": either side, the first with the shared head
        # ("disciplinary and grievance cases" → "disciplinary cases", "grievance cases").
        # Only a one-word first part is a modifier of the shared head or a thing of its own
        # ("endpoint detection and response" is one name).
        first = parts[0].split()
        variants = set()
        if len(first) == 1 and len(parts[1].split()) >= 2:
            variants = {parts[1], f"{parts[0]} {parts[1].split()[-1]}"}
            if len(stem(first[0].lower())) >= 5 and stem(first[0].lower()) not in _WEAK:
                variants.add(parts[0])
        if any(_used(v, (), answer_stems, answer, shared) for v in variants):
            return True
    words = term.split()
    for alias in (*aliases, *(w for w in words if _is_acronym(w))):
        core = alias.rstrip("s") if alias.endswith("s") and alias[:-1].isupper() else alias
        if re.search(r"(?<![\w-])" + re.escape(core) + r"s?(?![\w-])", answer, re.I):
            return True
    # An acronym term matched by its expansion ("SIEM" never expands itself), or a
    # multi-word term by its initials said as an acronym ("CAC", "SLOs").
    letters = _initials(words)
    if len(words) >= 2 and len(letters) >= 2:
        if re.search(r"\b" + re.escape(letters) + r"s?\b", answer, re.I) and re.search(
            r"\b" + re.escape(letters.upper()) + r"s?\b", answer
        ):
            return True
    if len(words) == 1 and _is_acronym(words[0]):
        letters = re.sub(r"[^a-z]", "", words[0].lower().removesuffix("s"))
        said = [t.low for t in tokenize(answer) if t.kind != "p" and t.low not in {"and", "of"}]
        n = len(letters)
        if n >= 2 and any(
            "".join(w[0] for w in said[i : i + n]) == letters
            and not any(w in STOPWORDS for w in said[i : i + n])
            for i in range(len(said) - n + 1)
        ):
            return True  # "customer acquisition cost" for "CAC"
    # A distinctive word: a name or a hyphenated word, said bare ("my CDL-A").
    if len(words) <= 2:
        for w in words:
            # A name's word is distinctive when it is no ordinary word: "LinkedIn", "S4"
            # ("my CDL-A"), not "Gift" of "Gift Aid".
            named = any(c.isupper() for c in w[1:]) or any(c.isdigit() for c in w)
            distinctive = "-" in w or _is_acronym(w) or (named and len(words) > 1)
            if distinctive and len(w) > 2 and _contains(answer_stems, _stems(w)):
                return True
    # Meaning: most of the content words, head noun included.
    content = [s for s in stems if s not in STOPWORDS and len(s) > 1]
    answer_set = set(answer_stems)
    if len(content) == 1 and len(words) == 1 and not _is_acronym(words[0]):
        if words[0][:1].isupper():
            return False  # a name ("ServiceMax") is said as it is, or not at all
        return _found(content[0], answer_set)  # "onboarding" ~ "onboarded"
    if len(content) < 2:
        return False
    if _one_word(content, answer_set, set(shared), answer):
        return True
    hits = [_found(s, answer_set) for s in content]
    if any("-" in w for w in words) and not all(hits[: len(content) - 1]):
        return False  # a hyphenated modifier ("multi-year") is what the term is about
    if not (hits[-1] and sum(hits) / len(content) >= MEANING_THRESHOLD):
        return False
    return _near(content, answer_stems)


def _near(content: list[str], answer_stems: tuple[str, ...], window: int = _WINDOW) -> bool:
    """Enough of a term's words (:data:`MEANING_THRESHOLD`) are said within ``window`` words
    of its head noun (the last): "events" and "launching" in two different sentences are
    not "event launches"."""

    def places(s: str) -> list[int]:
        alts = paraphrases(s)
        return [i for i, a in enumerate(answer_stems) if a == s or a in alts or _similar(s, a, 0.7)]

    others = [places(s) for s in content[:-1]]
    for h in places(content[-1]):
        near = 1 + sum(any(abs(i - h) <= window for i in p) for p in others)
        if near / len(content) >= MEANING_THRESHOLD:
            return True
    return False


@lru_cache(maxsize=256)
def _titled(posting: str) -> frozenset[str]:
    """Stems of the job title and the company's name: the job's own words ("claims" for a
    Claims Handler) say nothing about one of its terms when said alone."""
    if not posting or not posting.strip():
        return frozenset()
    text = _lines(posting)
    try:
        company, title, _about = _names(text, _words(text))
    except Exception:  # noqa: BLE001 - without the model there are no terms anyway
        return frozenset()
    return frozenset(company | title)


@lru_cache(maxsize=256)
def _shared(terms: tuple[tuple[str, tuple[str, ...]], ...]) -> frozenset[str]:
    """Stems that occur in more than one of the posting's terms."""
    seen: dict[str, int] = {}
    for term, _aliases in terms:
        for s in set(_stems(term)):
            seen[s] = seen.get(s, 0) + 1
    return frozenset(s for s, n in seen.items() if n > 1)


def match_terms(posting: str, answer: str) -> tuple[list[str], list[str]]:
    """(used, missing) terms of the posting for this answer; see the module docstring."""
    answer_stems = _stems(answer)
    used: list[str] = []
    missing: list[str] = []
    terms = _posting_terms(posting)
    shared = _shared(terms) | _titled(posting)
    for term, aliases in terms:
        (used if _used(term, aliases, answer_stems, answer, shared) else missing).append(term)
    return used, missing

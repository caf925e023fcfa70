"""STAR structure (Situation, Task, Action, Result) and the "I would …" check.

Method
------
The answer is cut into sentences and clauses (:mod:`.text`); fillers and hedges are removed
first, so "my job was to, like, get that down" reads "my job was to get that down". Each
clause is then read for:

* **its subject** — "I", "we", someone else, or none (a clause that opens with a verb after a
  comma or "and" inherits the subject of the clause before it, so in "I rewrote the subject
  lines, segmented the list and tested send times" all three verbs are the speaker's);
* **its verb form** — past action ("I built", "we rebuilt"), past state or background ("was",
  "had", "noticed", "felt"), past progressive ("we were migrating"), conditional or future
  ("I would", "I'd" + bare verb, "I will", "I'm going to"), present habit ("I work"), or
  negated. "I'd" is read as *had* before a past participle or "already/never/been";
* **cue phrases** for each part, in a small set of weighted regular expressions: time and
  place markers for the situation ("last year", "at my previous job", "when I was", "during
  my placement", "in 2021"), goals and responsibilities for the task ("my job was to", "I was
  asked to", "the manager wanted …", "it was up to me", "we needed to"), outcome phrases and
  change verbs for the result ("as a result", "ended up", "went from … to …", "reduced",
  "saved", "renewed", "ahead of schedule", "left happy").

A part is present when its evidence adds up to :data:`THRESHOLD` (2):

* *Situation*: a context marker (2) in a sentence told in the past, so "At my current job I
  work with five people" is no story's situation; background clauses in the first 60 % of
  the answer — told in the past by someone other than the speaker, or the speaker's own
  states ("we had", "I was running") — 1 each, 2 with a problem word ("backlog", "late",
  "angry", "went on leave"); a role ("as the charge nurse") or an organisation ("at a
  grocery store"), 1. Clauses that report a result do not count. Summed, capped at the best
  clause + 1.
* *Task*: any task cue in a clause that is not conditional (2), including a verb carried over
  from an earlier subject ("Our committee, which I sat on, needed to show …").
* *Action*: each past action verb whose subject is "I" or "we" counts 1, including verbs
  chained with "and"/commas. Relative clauses are background, not steps ("the food bank
  where I volunteered", "the sofa we'd delivered"). "We" actions count as actions; ownership
  is reported separately as the I/we ratio.
* *Result*: a change verb ("reduced", "went up") with a quantity, an outcome phrase ("ahead of
  schedule", "renewed", "left happy", "still a client") or a result marker ("as a result",
  "ended up") scores 2; a change verb alone 1, plus 1 in the last 40 % of the answer; a
  time-after opener ("Within a month, …") or a completion ("went live", "arrived") late in the
  answer, or a quantity told by someone else in the last sentence ("Only four people needed
  help"), 2. Past-perfect background ("donations had dropped") and conditional clauses score
  0. Result-first answers work because position only ever adds.

Short verbless openers ("Within a month,", "On go-live day,") are read together with the
clause they introduce.

**Hypothetical**: the question is behavioural ("tell me about a time", "describe a
situation", "give an example", "have you ever" …) and the answer has at least two
first-person conditional/future clauses ("I would", "I'd", "I will", "I'll", "I'm going to")
and more of them than past first-person actions. "How would you handle …?" questions are
never flagged: answering them with "I would" is right.

Evidence is the sentence holding the best-scoring clause (or just the clause when the sentence
is longer than 40 words, as in unpunctuated transcripts).

Parts of hypothetical statements never count: a STAR part describes a real past example.

Limits
------
No parser or tagger: subjects are found by position, so complex sentences ("the client, who
I had called twice, agreed") can be mis-attributed; irregular verbs outside the built-in list
and past tenses not ending in -ed are missed; a task left implicit in the situation is found
only when it is a role held at the time ("I was on call when …", "I was the handler on the
file") or a problem with a measure or a limit ("stuck at 40% of target with six weeks to go",
"the date couldn't move"), not in other forms ("we had mocks coming up"); a goal stated by
someone else is read as
the task unless the speaker refuses or argues against it right after (:func:`_overruled`);
sarcasm, negation beyond "didn't/never" and reported speech are not understood; English only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import grammar
from .fillers import Mark
from .lexicon import (
    ADVERBS,
    IRREGULAR_PAST,
    LEADING,
    MODALS_COND,
    NEGATIVE_PAST,
    PARTICIPLE_HINT,
    PREPS,
    RESULT_VERBS,
    STATE_PAST,
    STRONG_RESULT_VERBS,
    SUBJ_I,
    SUBJ_WE,
    WORKED_ACTION_NEXT,
)
from .text import STOPWORDS, Sentence, Token, clauses, stem
from .text import sentences as split_sentences

__all__ = ["StarPart", "StarReport", "analyse_star", "is_behavioural"]

PARTS = ("situation", "task", "action", "result")
THRESHOLD = 2.0

_BEHAVIOURAL_RE = re.compile(
    r"\b(tell|talk|walk)\s+(me|us)\s+(about|through)\s+(a|an|one|the)\s+(time|situation|"
    r"occasion|moment|example|instance|project|challenge|conflict|mistake|failure|decision|"
    r"problem|case|day|period|experience|goal|change|achievement|accomplishment|campaign|"
    r"difficult|challenging|tough|recent|specific|successful)"
    r"|\b(describe|recall|share|discuss)\s+(a|an|one)\s+(time|situation|occasion|moment|"
    r"example|instance|project|challenge|conflict|mistake|failure|decision|problem|case)"
    r"|\bgive\s+(me\s+|us\s+)?(an?|one|some)\s+(example|instance|specific)"
    r"|\b(an?|one)\s+example\s+of\s+(a\s+time|when|how)"
    r"|\bhave\s+you\s+ever\b|\bwhen\s+have\s+you\b|\bwhat\s+did\s+you\s+do\s+when\b"
    r"|\b(a|the)\s+(last\s+)?time\s+(when\s+)?you\b|\bhow\s+did\s+you\s+(handle|deal|manage)",
    re.IGNORECASE,
)


def is_behavioural(question: str) -> bool:
    """True for questions that ask for a real past example (STAR questions)."""
    return bool(_BEHAVIOURAL_RE.search(question or ""))


# --- verbs -------------------------------------------------------------------------------


def _is_past(w: str) -> bool:
    if w in IRREGULAR_PAST or w in NEGATIVE_PAST:
        return True
    if len(w) > 4 and w.endswith("ed") and not w.endswith("eed"):
        return w not in {
            "need",
            "hundred",
            "red",
            "bed",
            "shed",
            "interested",
            "talented",
            "skilled",
            "experienced",
            "qualified",
            "based",
            "related",
            "detailed",
            "dedicated",
            "complicated",
            "motivated",
            "tired",
            "excited",
            "worried",
            "scared",
            "supposed",
            "used",
            "bored",
            "stressed",
        }
    return w in {"agreed", "freed", "guaranteed", "disagreed", "proceeded", "succeeded"}


# --- cue patterns (matched on the cleaned, lower-cased clause or sentence) ---------------

_ROLE = (
    r"(?:[a-z-]+\s+){0,2}(?:nurse|manager|engineer|analyst|planner|coordinator|chef|"
    r"supervisor|lead|assistant|technician|teacher|director|officer|developer|designer|"
    r"receptionist|cashier|buyer|scientist|accountant|consultant|intern|volunteer|associate|"
    r"administrator|clerk|representative|agent|owner|head|captain|editor|producer|specialist|"
    r"auditor|controller|executive|operator|driver|server|bartender|waiter|waitress|"
    r"pharmacist|doctor|therapist|carer|worker|trainee|apprentice|student|tutor|lecturer|"
    r"instructor|coach|recruiter|marketer|writer|programmer|architect)"
)
_ORG = (
    r"(?:company|startup|start-up|hospital|school|bank|hotel|restaurant|firm|agency|store|"
    r"shop|plant|factory|warehouse|charity|clinic|practice|depot|port|ward|university|college|"
    r"council|retailer|bakery|cafe|café|bar|pub|lab|laboratory|office|branch|centre|center|"
    r"nonprofit|non-profit|organisation|organization|shelter|food bank|distribution centre|"
    r"distribution center|credit union|call centre|call center|supermarket|chain|brand|"
    r"consultancy|studio|newspaper|magazine|gym|farm|site|mill|airline|airport|station)"
)
_GROUP = r"(?:team|department|unit|group|squad|office|committee|board|crew|" + _ORG[3:]
SITUATION_STRONG = re.compile(
    r"\b(?:last|this past|that|the previous)\s+(?:year|month|week|spring|summer|autumn|"
    r"fall|winter|quarter|term|semester|season|christmas|easter|weekend|january|february|"
    r"march|april|may|june|july|august|september|october|november|december|new year's eve)\b"
    r"|\b(?:a|one|two|three|four|five|six|few|couple of|several|some)\s+(?:years?|months?|"
    r"weeks?|days?)\s+ago\b"
    r"|\b(?:in|since|back in|during)\s+(?:19|20)\d\d\b"
    r"|\b(?:at|in|on|during)\s+(?:my|our)\s+(?:previous|last|old|first|former|second|"
    r"earlier|prior|past)\s+\w+"
    r"|\b(?:when|while|after|before)\s+i\s+(?:was|worked|started|joined|first|ran|managed|"
    r"led|moved)\b"
    r"|\bback\s+(?:when|in|at)\b|\bduring\s+(?:my|the|a|an|our|peak|busy|one|that)\b"
    r"|\bone\s+(?:day|time|morning|evening|night|afternoon|weekend|shift|summer)\b"
    r"|\bthere\s+was\s+(?:a|an|one)\s+(?:time|day|point|period|summer|week|month|year)\b"
    r"|\bon\s+a\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|bank holiday)\b"
    r"|\bthis\s+was\s+(?:at|in|when|during|back)\b"
    r"|\bi\s+(?:worked|was working)\s+(?:as|at|for|in|on)\b"
    r"|\bwe\s+had\s+(?:a|an|this|one)\s+(?:problem|issue|customer|client|patient|guest|"
    r"situation|backlog|shortage|complaint|crisis|outage|deadline|project|incident)\b"
    r"|\bin\s+my\s+(?:first|second|third|last|final)\s+(?:year|month|week|role|job|term)\b"
)
SITUATION_ORG = re.compile(
    r"\b(?:at|in|for)\s+(?:a|an|the|our|my)\s+(?:[\w'-]+\s+){0,3}" + _ORG + r"s?\b"
)
SITUATION_ROLE = re.compile(r"\b(?:as|i\s+was)\s+(?:a|an|the|our|one of the)\s+" + _ROLE + r"s?\b")
PROBLEM = re.compile(
    r"\b(?:problems?|issues?|challenges?|struggl\w*|fail\w*|behind|late|delays?|delayed|slow|"
    r"crash\w*|complain\w*|angry|upset|frustrat\w*|backlog|shortages?|understaffed|losing|"
    r"lost|dropp\w*|declin\w*|flat|broken|broke|errors?|mess|chaotic|stressful|too|deadline|"
    r"pressure|threaten\w*|risks?|outages?|timing out|bugs?|conflicts?|disagree\w*|waiting|"
    r"stuck|overdue|missing|discrepanc\w*|flagged|wrong|mistakes?|worried|nervous|tight|"
    r"difficult|hard|falls?|highest|lowest|exhausted|turnover|sick|stopped|unhappy|rude|"
    r"overwhelmed|confus\w*|leak\w*|injur\w*|incident|danger\w*|unsafe|cancel\w*|churn\w*|"
    r"losses|shrink|complaints|no one|nobody|never|old|legacy|manual|by hand|paper|holding|"
    r"held up|bottlenecks?|torn|damaged|faulty|defective|leave|left|quit|resigned|off sick|"
    r"anyone else|no one else|short-staffed|didn'?t|couldn'?t|wouldn'?t|wasn'?t|weren'?t|"
    r"refused)\b"
)
TASK = re.compile(
    r"\b(?:i|we)\s+(?:was|were)\s+(?:\w+\s+)?(?:responsible|tasked|asked|assigned|brought in|"
    r"hired|put in charge|given|charged|expected|supposed|told|chosen|picked|appointed|"
    r"in charge|accountable|the one who)\b"
    r"|\b(?:my|our|your)\s+(?:\w+\s+)?(?:job|role|task|goal|aim|objective|responsibility|"
    r"mission|brief|target|priority|remit|part|assignment|challenge)\s+(?:of it\s+)?"
    r"(?:was|were|is|became)\b"
    r"|\bthe\s+(?:main\s+|big\s+|real\s+)?(?:goal|aim|objective|target|challenge|task|brief|"
    r"mission|ask|priority)\s+(?:was|were|became)\b"
    r"|\b(?:i|we|(?:our|my)\s+(?:[\w-]+\s+)?" + _GROUP + r"(?:\s+[\w-]+){0,3})\s+"
    r"(?:had|needed|wanted|aimed|set out|hoped|decided|was trying|were trying|had been asked|"
    r"was about|were about)\s+to\b"
    r"|\b(?:i|we)\s+(?:wanted|needed)\s+(?:\w+\s+){0,5}(?:to|by|before|under|below|above|"
    r"out|back|done|fixed|ready)\b"
    r"|\b(?:asked|wanted|needed|tasked|assigned|expected|hired|brought)\s+(?:me|us)"
    r"(?!\s+(?:not|never|something|about|that|how|what|why|so|if|whether|where|when|who|"
    r"she|he|they|it|i|we)\b)\b"
    r"|\btold\s+(?:me|us)\s+to\b"
    r"|\b(?:needed|wanted)\s+someone\s+to\b"
    r"|\b(?:manager|boss|lead|director|head|supervisor|client|customer|board|senior|"
    r"ceo|cfo|cto|owner|principal|partner|team lead|controller|editor|chef|matron|"
    r"consultant)\s+(?:wanted|needed|expected|required|asked for)\s+(?!to\b)"
    r"|(?<!back )\b(?:up|down|on|to)\s+(?:to\s+)?me\s+to\b|\b(?:landed|fell)\s+(?:on|to)\s+me\b"
    r"|\bin\s+charge\s+of\b|\bresponsible\s+for\b"
    r"|\b(?:it|this|that)\s+(?:was|became)\s+(?:my|our)\s+(?:\w+\s+)?(?:job|responsibility|task|"
    r"call|role|problem|decision|project)\b"
    r"|\b(?:i|we)\s+(?:took over|took on|took charge|took ownership|stepped in|stepped up|"
    r"volunteered|offered to|agreed to (?:lead|own|take))\b"
    r"|\b(?:had|with|on|against|under)\s+(?:a|an|the)\s+(?:very\s+)?(?:hard|tight|strict|"
    r"short|firm|fixed|immovable)\s+deadline\b"
    r"|\bhad\s+(?:only\s+)?(?:\w+\s+)?(?:days|weeks|months|hours)\s+to\b"
)
RESULT_STRONG = re.compile(
    r"\bas\s+a\s+result\b|\bin\s+the\s+end\b|\bby\s+the\s+end\s+of\b|\bended\s+up\b"
    r"|\b(?:which|that|this|it)\s+(?:led|lead)\s+to\b|\bresult(?:ed|ing)\s+in\b"
    r"|\bthe\s+(?:result|outcome|upshot)\s+(?:was|is)\b|\bsince\s+then\b"
    r"|\bit\s+(?:worked|paid off)\b|\bturned\s+(?:it\s+)?around\b"
    r"|\bbecame\s+(?:a|an|the|our)\s+(?:\w+\s+)?(?:yearly|annual|permanent|standard|regular|"
    r"default|template|norm)\b|\bwas\s+adopted\b|\brolled\s+out\s+(?:to|across)\b"
    r"|\bno\s+(?:downtime|complaints?|injuries|incidents|errors|falls|escalations)\b"
    r"|\bno\s+(?:more\s+|further\s+)?(?:issues|problems|complaints|faults|failures|repeats|"
    r"incidents|errors|callbacks|comebacks)\s+(?:\w+\s+)?since\b"
    r"|\bback\s+(?:in|into)\s+(?:use|service|stock|operation|production|action)\b"
    r"|\bas\s+an?\s+example\s+of\s+(?:good|best)\s+practice\b"
    r"|\bto\s+thank\s+(?:me|us|the\s+team)\b"
    r"|\bnot\s+a\s+single\s+complaint\b|\bzero\s+\w+|\bahead\s+of\s+schedule\b|\bunder\s+budget\b"
    r"|\bon\s+time\b|\b(?:a\s+)?(?:week|day|month)s?\s+early\b"
    r"|\bthanked\b|\bthank-?\s?you\s+(?:card|note|email|letter)\b|\bleft\s+(?:happy|smiling)\b"
    r"|\bcalmed\s+down\b|\b(?:was|got|were)\s+promoted\b"
    r"|\b(?:was|got|were)\s+(?:approved|awarded|funded|accepted|selected)\b"
    r"|\bsold\s+out\b|\bpraised\b|\b(?:won|received)\s+(?:an?|the)\s+(?:\w+\s+){0,4}award\b"
    r"|\b(?:asked|invited)\s+me\s+to\s+(?:present|run|lead|share|train|speak|mentor|roll)\b"
    r"|\basked\s+for\s+me\s+by\s+name\b"
    r"|\bused\s+(?:the|my|our)\s+(?:\w+\s+)?(?:checklist|process|template|guide|approach|"
    r"model|dashboard|tool)\s+(?:for|across|in)\b"
    r"|\bwent\s+from\b|\b(?:went|came|got|was|were)\s+(?:\w+\s+)?(?:up|down)\s+(?:by|to|from)\b"
    r"|\b(?:went|shot|came)\s+(?:up|down)\b"
    r"|\b(?:was|were|is|are)\s+(?:now\s+)?(?:down|up)\s+(?:to|by|about|around)\b"
    r"|\bnow\s+(?:\w+\s+)?(?:takes?|is|are|runs?|has|have|uses?)\b"
    r"|\b(?:the|our)\s+(?:best|highest|lowest|fastest)\s+(?:\w+\s+)?(?:in|ever|on record)\b"
    r"|\bover\s+(?:the|our)\s+target\b|\bbeat\s+(?:the|our)\b|\bhit\s+(?:the|our)\s+target\b"
    r"|\bmet\s+(?:the|our|every)\s+(?:deadline|target|goal)\b"
    r"|\bthe\s+feedback\s+was\b|\bpositive\s+feedback\b"
    r"|\b(?:signed|renewed)\s+(?:a|the|up|on)\b|\bagreed\s+to\s+(?:a|the|try|it)\b"
    r"|\bwas\s+corrected\b|\bwere\s+awarded\b|\bwe\s+kept\s+the\b|\bstayed\s+under\b"
    r"|\b(?:didn't|did not)\s+(?:get|have|lose|miss)\s+(?:a\s+single|any)\b"
    r"|\b(?:didn't|did not|never)\s+(?:have|need)\s+to\b"
    r"|\bstill\s+(?:a|our|my|with\s+us)\b|\binstead\s+of\s+the\s+(?:planned|expected|usual|"
    r"original|scheduled)\b|\bwent\s+live\b"
    r"|\b(?:took|accepted|chose|picked)\s+(?:the|our|my)\s+(?:[\w-]+\s+){0,3}(?:offer|option|"
    r"deal|proposal|plan)\b"
    r"|\b(?:moved|shifted|jumped|climbed|changed|improved)\s+from\b.*\bto\b"
)
RESULT_LATE_ONLY = re.compile(r"\bcame\s+back\b|\bagreed\s+to\b")
# Asked to do more, told last after the steps ("the director asks me to check the tides on
# the next series too"): an outcome, not the task.
ASKED_AFTER = re.compile(
    r"\b(?:asks?|asked|invites?|invited|wants?|wanted)\s+(?:me|us)\s+to\b"
    r"|\b(?:ask|asks|asked)\s+for\s+(?:me|us)\b"
)
TASK_CONTINUED = re.compile(r"^(?:and\s+|so\s+)?(?:needed|had|wanted|was asked|were asked)\s+to\b")
RESULT_TIME = re.compile(
    r"^(?:and\s+|but\s+|so\s+)?(?:within|after|in|over|by)\s+(?:just\s+|only\s+)?(?:the\s+next\s+)?"
    r"(?:a|an|one|two|three|four|five|six|eight|ten|twelve|few|couple of|several|the)\s+"
    r"(?:\w+\s+)?(?:days?|weeks?|months?|quarters?|years?|terms?|semesters?|change|launch|"
    r"trial|pilot|end)\b"
)
COMPLETION = re.compile(
    r"\b(?:arrived|finished|completed|opened|launched|went live|was ready|were ready|"
    r"passed|made it|was delivered|were delivered|shipped)\b"
    r"|\bgot\b.*\b(?:before|in time|on time|back on track|done)\b"
)
RESULT_NOUNS = re.compile(
    r"\b(?:percent|per\s+cent|%|revenue|sales|costs?|savings|retention|satisfaction|"
    r"scores?|rating|ratings|nps|conversion|churn|errors|complaints|tickets|turnover|"
    r"latency|time|times|rate|rates|members|customers|visitors|users|grade|average|budget|"
    r"hours|days|weeks|minutes|months|dollars|pounds|euros|people|students|patients|staff|"
    r"orders|calls|points|stars|sign[-\s]?ups|leads|donors|donations|members)\b"
)
NUMBER_RE = re.compile(
    r"(?:[$£€]?\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|hundred|thousand|"
    r"million|billion|half|third|quarter|percent|dozen)\b)"
)
CONDITIONAL_CLAUSE = re.compile(r"^(?:if|whenever|unless|should)\b")


@dataclass
class StarPart:
    """The verdict on one STAR part, with the text that shows it."""

    present: bool = False
    evidence: str | None = None
    score: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {"present": self.present, "evidence": self.evidence}


@dataclass
class StarReport:
    """What :func:`analyse_star` found."""

    parts: dict[str, StarPart] = field(default_factory=lambda: {p: StarPart() for p in PARTS})
    hypothetical: bool = False
    behavioural: bool = False
    conditional_clauses: int = 0
    i_actions: int = 0
    we_actions: int = 0
    # What the rules read, kept for the trained layer (:mod:`.layer`): the clauses, their
    # grammar, each part's best sentence (also when the part is absent), and the counts the
    # hypothetical check weighed.
    clauses: list[_ClauseInfo] = field(default_factory=list, repr=False)
    readings: list[grammar.Reading] = field(default_factory=list, repr=False)
    candidates: dict[str, str | None] = field(default_factory=dict, repr=False)
    modal_clauses: int = 0
    grammar_acts: int = 0
    ruled_hypothetical: bool = False

    def as_dict(self) -> dict[str, dict[str, object]]:
        return {p: self.parts[p].as_dict() for p in PARTS}


@dataclass
class _ClauseInfo:
    words: list[str]
    text: str
    sentence: int
    position: float
    subject: str | None = None  # "i", "we", "other" or None
    form: str | None = None  # "action", "state", "prog", "cond", "present", "neg", "perfect"
    verb: str = ""
    start: int = 0  # character span in the answer
    end: int = 0
    extra_actions: int = 0
    conditional: bool = False
    past_sentence: bool = False
    after_steps: bool = False  # the speaker told a step of their own in an earlier sentence
    last_sentence: bool = False


def _clean_tokens(tokens: list[Token], drop: list[Mark]) -> list[Token]:
    """Tokens with fillers and hedges removed (their spans), keeping punctuation."""
    if not drop:
        return tokens
    spans = sorted((m.start, m.end) for m in drop)
    out: list[Token] = []
    j = 0
    for tok in tokens:
        while j < len(spans) and spans[j][1] <= tok.start:
            j += 1
        if j < len(spans) and spans[j][0] <= tok.start < spans[j][1]:
            continue
        out.append(tok)
    return out


def _classify_i_d(words: list[str], k: int) -> str:
    """Whether "I'd"/"we'd" at k means "had" or "would"."""
    nxt = words[k + 1] if k + 1 < len(words) else ""
    if nxt in PARTICIPLE_HINT or (nxt and _is_past(nxt) and nxt not in {"say", "read", "let"}):
        return "had"
    return "would"


def _verb_after(words: list[str], k: int) -> tuple[str, str, int]:
    """(form, verb, index) of the verb following a subject at ``k``."""
    subj = words[k]
    if subj in {"i'd", "we'd"}:
        if _classify_i_d(words, k) == "would":
            return "cond", "would", k
        j = k + 1
        while j < len(words) and words[j] in PARTICIPLE_HINT:
            if words[j] in {"never", "not"}:
                return "neg", words[j], j
            j += 1
        return ("action", words[j], j) if j < len(words) else ("state", "had", k)
    if subj in {"i'll", "we'll"}:
        return "cond", "will", k
    if subj in {"i'm", "we're"}:
        nxt = words[k + 1] if k + 1 < len(words) else ""
        if nxt in {"going", "gonna"}:
            return "cond", "going to", k + 1
        return "present", nxt, k + 1
    if subj in {"i've", "we've"}:
        return "present", "have", k
    j = k + 1
    skipped = 0
    while j < len(words) and words[j] in ADVERBS and skipped < 4:
        if words[j] in {"never"}:
            return "neg", words[j], j
        j += 1
        skipped += 1
    if j >= len(words):
        return "", "", j
    v = words[j]
    nxt = words[j + 1] if j + 1 < len(words) else ""
    if v in MODALS_COND:
        return "cond", v, j  # "would", "will", "should" (and "would have")
    if v in {"am", "are"} and nxt in {"going", "gonna"}:
        return "cond", "going to", j
    if (v in NEGATIVE_PAST and v not in {"wouldn't", "wouldnt"}) or (
        v == "did" and nxt in {"not", "n't", "never"}
    ):
        return "neg", v, j
    if v in {"could", "can", "might", "may", "must", "can't", "couldn't"}:
        return "state", v, j
    if v in {"was", "were"}:
        if nxt.endswith("ing") and nxt not in {"responsible", "nothing", "something"}:
            return "prog", nxt, j + 1
        return "state", v, j
    if v == "had":
        if nxt == "to":
            return "state", "had to", j
        if nxt in {"already", "just", "also", "then", "first"} or (
            _is_past(nxt) and nxt not in STATE_PAST and nxt not in {"been"}
        ):
            return "perfect", nxt, j + 1
        return "state", v, j
    if v == "worked":
        return ("action" if nxt in WORKED_ACTION_NEXT else "state"), v, j
    if v in {"started", "began"}:
        if nxt in {"at", "in", "as", "there", "working", "work", "on", "out"}:
            return "state", v, j
        return "action", v, j
    if v == "went":
        if nxt in {"from", "up", "down"}:
            return "result", v, j
        return "action", v, j
    if _is_past(v):
        if v in STATE_PAST:
            return "state", v, j
        return "action", v, j
    if v in {
        "am",
        "is",
        "are",
        "have",
        "has",
        "do",
        "does",
        "work",
        "always",
        "usually",
        "like",
        "love",
        "enjoy",
        "try",
        "think",
        "believe",
        "help",
        "make",
        "get",
        "take",
    }:
        return "present", v, j
    return "", v, j


def _analyse_clause(info: _ClauseInfo, last_subject: str | None) -> str | None:
    """Fill subject/form of one clause; returns the subject to carry to the next clause."""
    words = info.words
    i = 0
    while i < len(words) and words[i] in LEADING:
        i += 1
    if i >= len(words):
        return last_subject
    info.conditional = bool(CONDITIONAL_CLAUSE.match(" ".join(words[i:])))
    first = words[i]
    subj_index = None
    if first in SUBJ_I or first in SUBJ_WE:
        subj_index = i
    elif first in NEGATIVE_PAST:
        info.subject = last_subject
        info.form = "neg" if last_subject in {"i", "we"} else "other_past"
        return last_subject
    elif _is_past(first) and first not in {"was", "were", "had"}:
        # A verb with no subject: it continues the previous clause ("…, pulled the reports").
        info.subject = last_subject
        if last_subject in {"i", "we"}:
            info.form = (
                "result"
                if first in {"went"} and words[i + 1 : i + 2] in (["from"], ["up"], ["down"])
                else ("state" if first in STATE_PAST else "action")
            )
            info.verb = first
        else:
            info.form = "other_past"
            info.verb = first
        _extra_actions(info, i + 1)
        return last_subject
    else:
        # A noun phrase or a preposition: look for an I/we subject inside ("my team and I").
        for k in range(i, min(len(words), i + 8)):
            if words[k] in SUBJ_I or words[k] in SUBJ_WE:
                subj_index = k
                break
        if subj_index is None:
            if first in {"and", "or"} or (i > 0 and words[i - 1] in {"and", "or"}):
                has_verb = any(_is_past(w) for w in words[i:])
                if not has_verb:
                    return last_subject  # "…, wrote the emails and the posters": a list goes on
            if first in PREPS:
                info.subject = None
                info.form = "other_past" if any(_is_past(w) for w in words[i:]) else None
                return last_subject
            info.subject = "other"
            info.form = "other_past" if any(_is_past(w) for w in words[i:]) else None
            return "other"
    subj_word = words[subj_index]
    info.subject = "i" if subj_word in SUBJ_I else "we"
    form, verb, vi = _verb_after(words, subj_index)
    before = words[subj_index - 1] if subj_index > i else ""
    if form == "action" and (
        before in {"where", "who", "which", "that"} or _reduced_relative(words, i, subj_index)
    ):
        # "the food bank where I volunteered", "the sofa we'd delivered": background.
        form = "state"
    info.form, info.verb = form or None, verb
    if form == "action" or form == "perfect":
        _extra_actions(info, vi + 1)
    return info.subject


_DETERMINERS = {
    "the",
    "a",
    "an",
    "this",
    "that",
    "every",
    "each",
    "our",
    "my",
    "his",
    "her",
    "their",
    "any",
    "some",
    "those",
    "these",
}
_TRUE_PREPOSITIONS = {
    "for",
    "in",
    "at",
    "on",
    "during",
    "by",
    "with",
    "of",
    "over",
    "within",
    "from",
    "into",
    "through",
    "across",
    "around",
    "about",
    "after",
    "before",
    "since",
    "until",
    "throughout",
}


def _reduced_relative(words: list[str], start: int, subj_index: int) -> bool:
    """True for "the sofa we'd delivered": a noun phrase, then the pronoun, no "that".

    A noun phrase inside a fronted prepositional phrase ("for the next project I gave …") is
    not one: there the pronoun is the clause's own subject.
    """
    if words[start] in _TRUE_PREPOSITIONS:
        return False
    for gap in (2, 3):
        k = subj_index - gap
        if k >= start and words[k] in _DETERMINERS:
            between = words[k + 1 : subj_index]
            if all(w not in LEADING | PREPS | ADVERBS and not _is_past(w) for w in between):
                return True
    return False


def _extra_actions(info: _ClauseInfo, start: int) -> None:
    """Count further verbs chained with "and" ("I moved … and trained …")."""
    words = info.words
    for k in range(start, len(words) - 1):
        if words[k] in {"and", "then"}:
            nxt = words[k + 1]
            if nxt in {"also", "then"} and k + 2 < len(words):
                nxt = words[k + 2]
            if _is_past(nxt) and nxt not in STATE_PAST and nxt not in RESULT_VERBS:
                info.extra_actions += 1


def _score_situation(c: _ClauseInfo) -> float:
    if c.conditional or c.form == "cond":
        return 0.0
    text = c.text
    # An opening sentence that sets the time and place is context, even when it also says
    # how things moved ("Last year at my previous job our queue doubled").
    if c.past_sentence and c.position < 0.34 and SITUATION_STRONG.search(text):
        return 2.0
    if _score_result(c) >= 2.0:
        return 0.0
    score = 0.0
    if c.past_sentence and SITUATION_STRONG.search(text):
        score = 2.0
    if c.past_sentence and SITUATION_ROLE.search(text):
        score = max(score, 1.0)
    if c.past_sentence and SITUATION_ORG.search(text):
        score = max(score, 1.0) + (0.5 if score >= 1.0 else 0.0)
    background = (c.subject in {"other", None} and c.form == "other_past") or (
        c.subject in {"i", "we"} and c.form in {"state", "prog"} and c.verb not in {"had to"}
    )
    if background and c.position < 0.6 and not RESULT_STRONG.search(text):
        score = max(score, 2.0 if PROBLEM.search(text) else 1.0)
    return score


_INSTRUCTION = re.compile(
    r"\b(?:asked|told|wanted|instructed|expected|say|says|said)\s+(?:to\s+)?(?:me|us)\b", re.I
)
# The speaker pushing back on an instruction: then it was not the task they took on.
_OVERRULE = re.compile(
    r"\banyway\b|\b(?:but\s+)?(?:i|we)\s+(?:refused|declined|disagreed|pushed\s+back|said\s+no|"
    r"would\s*n[o']t|did\s*n[o']t\s+(?:agree|want))\b|\bbut\s+(?:i|we)\s+(?:thought|felt|believed|"
    r"knew|was\s+sure|were\s+sure|was\s+convinced)\b",
    re.I,
)
_SAID = re.compile(
    r"\b(?:say|says|said|tell|tells|told)(?:\s+(?:to\s+)?(?:me|us),?|,)\s+[\"“]?(?:you|we)\s+"
    r"(?:need|have\s+to|must|got\s+to|should)\b"
    # A duty that had to fall to someone, and did: "someone had to …, and that someone was me".
    r"|\b(?:someone|somebody)\s+(?:had|needed)\s+to\b[^.!?]*\b(?:was|were)\s+(?:me|us)\b",
    re.I,
)


def _overruled(c: _ClauseInfo, answer: str) -> bool:
    """An instruction someone gave that the speaker then refused or argued against ("the
    yard manager told me to take it anyway. I refused …"): not the task."""
    if not _INSTRUCTION.search(c.text):
        return False
    after = answer[c.start : c.end + 160]
    cut = re.search(r"[.!?]\s+\S[^.!?]*[.!?]", after)  # this sentence and the next
    return bool(_OVERRULE.search(after[: cut.end()] if cut else after))


def _asked_after(c: _ClauseInfo) -> bool:
    return c.last_sentence and c.after_steps and bool(ASKED_AFTER.search(c.text))


def _score_task(c: _ClauseInfo) -> float:
    if c.conditional or c.form == "cond" or _asked_after(c):
        return 0.0
    if c.subject in {"i", "we"} and TASK_CONTINUED.match(c.text):
        return 2.0  # "Our committee, which I sat on, needed to show …"
    return 2.0 if TASK.search(c.text) else 0.0


def _score_result(c: _ClauseInfo) -> float:
    if c.conditional or c.form == "cond" or re.search(r"\b(?:would|will|could)\b", c.text):
        return 0.0
    text = c.text
    words = c.words
    if re.search(
        r"\bhad\s+(?:been\s+)?(?:\w+\s+)?(?:dropped|fallen|grown|risen|increased|"
        r"decreased|declined|flat)\b",
        text,
    ):
        return 0.0
    if TASK.search(text) and not RESULT_STRONG.search(text) and not _asked_after(c):
        return 0.0
    score = 0.0
    if RESULT_STRONG.search(text):
        score = 2.0
    late = c.position >= 0.6
    if _asked_after(c):
        score = max(score, 2.0)
    if RESULT_LATE_ONLY.search(text):
        score = max(score, 2.0 if late else 1.0)  # "came back" is an outcome only at the end
    if late and (RESULT_TIME.match(text) or COMPLETION.search(text)) and c.form != "state":
        score = max(score, 2.0)  # "Within a month, most residents were finishing their meals"
    if (
        c.last_sentence
        and c.position >= 0.5
        and c.subject in {"other", None}
        and c.form == "other_past"
        and NUMBER_RE.search(text)
        and not re.search(r"\bhad\b", text)
    ):
        score = max(score, 2.0)  # a quantity told last: "Only four people needed help."
    change = [w for w in words if w in RESULT_VERBS]
    if change:
        s = 1.0
        if any(w in STRONG_RESULT_VERBS for w in change):
            s = 2.0
        if NUMBER_RE.search(text) and (
            RESULT_NOUNS.search(text) or "by" in words or "to" in words or "from" in words
        ):
            s = 2.0
        if c.position >= 0.6:
            s += 1.0
        score = max(score, s)
    return score


def read_clauses(tokens: list[Token], drop: list[Mark]) -> list[_ClauseInfo]:
    """Clauses of the answer without fillers/hedges, each with its subject and verb form."""
    cleaned = _clean_tokens(tokens, drop)
    csents = split_sentences(cleaned)
    infos: list[_ClauseInfo] = []
    pending: list[Token] = []
    raw = clauses(csents)
    for n, cl in enumerate(raw):
        toks = list(cl.tokens)
        if pending:
            toks = pending + toks
            pending = []
        following = raw[n + 1] if n + 1 < len(raw) else None
        if (
            following is not None
            and following.sentence == cl.sentence
            and len(toks) <= 5
            and not any(_is_past(t.low) or t.low in SUBJ_I or t.low in SUBJ_WE for t in toks)
        ):
            pending = toks  # a verbless opener ("Within a month,") joins the next clause
            continue
        words = [t.low for t in toks]
        start_tok = toks[0]
        infos.append(
            _ClauseInfo(
                words,
                " ".join(words),
                cl.sentence,
                cl.position,
                start=start_tok.start,
                end=toks[-1].end,
            )
        )
    # Which sentences are told in the past.
    past_sent: dict[int, bool] = {}
    for c in infos:
        past_sent[c.sentence] = (
            past_sent.get(c.sentence, False)
            or any(_is_past(w) for w in c.words)
            or bool(re.search(r"\bago\b", c.text))
        )
    last_subject: str | None = None
    current_sentence = -1
    for c in infos:
        if c.sentence != current_sentence:
            current_sentence = c.sentence
            last_subject = None
        c.past_sentence = past_sent[c.sentence]
        c.last_sentence = c.sentence == infos[-1].sentence
        last_subject = _analyse_clause(c, last_subject)
    stepped = -1  # the first sentence with a step of the speaker's own
    for c in infos:
        if stepped < 0 and c.subject in {"i", "we"} and c.form in {"action", "perfect", "present"}:
            stepped = c.sentence
        c.after_steps = 0 <= stepped < c.sentence

    return infos


def analyse_star(
    question: str,
    tokens: list[Token],
    sents: list[Sentence],
    answer: str,
    drop: list[Mark],
    behavioural: bool | None = None,
) -> StarReport:
    """Find the STAR parts and the hypothetical flag; see the module docstring.

    ``behavioural`` says whether the question asks for a past example (read from the wording
    when None); only then can the answer be hypothetical.
    """
    report = StarReport(
        behavioural=is_behavioural(question) if behavioural is None else behavioural
    )
    if not sents:
        return report
    infos = read_clauses(tokens, drop)
    if not infos:
        return report
    report.clauses = infos
    scores: dict[str, list[tuple[float, _ClauseInfo]]] = {p: [] for p in PARTS}
    cond = 0
    for c in infos:
        if c.subject in {"i", "we"} and c.form == "cond":
            cond += 1
        acts = 0
        if not c.conditional and c.subject in {"i", "we"}:
            if c.form in {"action", "perfect"}:
                acts = 1 + c.extra_actions
        if acts:
            if c.subject == "i":
                report.i_actions += acts
            else:
                report.we_actions += acts
        scores["action"].append((float(acts), c))
        scores["situation"].append((_score_situation(c), c))
        scores["task"].append((0.0 if _overruled(c, answer) else _score_task(c), c))
        scores["result"].append((_score_result(c), c))
    report.conditional_clauses = cond

    for part in PARTS:
        items = scores[part]
        if part in {"situation", "action"}:
            total = sum(s for s, _ in items)
            if part == "situation":
                total = min(total, max((s for s, _ in items), default=0.0) + 1.0)
        else:
            total = max((s for s, _ in items), default=0.0)
        best = max(items, key=lambda x: x[0], default=(0.0, None))
        present = total >= THRESHOLD
        report.candidates[part] = _evidence(answer, sents, best[1])
        if part == "action" and report.i_actions >= 1 and not present:
            # Within a story (a situation or a task is told), one thing you clearly did
            # yourself is an action, however briefly told.
            present = report.parts["situation"].present or report.parts["task"].present
        report.parts[part] = StarPart(
            present=present,
            evidence=_evidence(answer, sents, best[1]) if present else None,
            score=total,
        )

    _read_grammar(report, infos, answer, sents)
    report.ruled_hypothetical = report.hypothetical
    if report.hypothetical:
        # A hypothetical answer has no real example: nothing in it counts as a STAR part.
        report.parts = {p: StarPart() for p in PARTS}
    return report


# A limit that could not move ("the date couldn't move"): a task, though told with a modal.
_LIMIT = re.compile(
    r"\b(?:could\s*n[o']t|could\s+not|can\s*n[o']t|can\s+not|was\s*n[o']t\s+going\s+to)\s+"
    r"(?:move|slip|wait|be\s+moved|be\s+late|be\s+missed)\b"
)
# Task cues the clause patterns above miss: goals and duties told in any word order.
TASK_MORE = re.compile(
    r"\b(?:was|were|is|became)\s+(?:all\s+)?(?:on|down\s+to|up\s+to)\s+me\b"
    r"|(?:\b(?:was|were|is)\s+|\b(?:it|that|this)['’]s\s+)(?:my|our)\s+(?:\w+\s+)?"
    r"(?:job|responsibility|call|role|task|"
    r"priority|objective|goal|decision|remit|brief|problem)\b"
    r"|\b(?:was|were)\s+(?:mine|ours)\b"
    r"|\b(?:was|were)\s+(?:assigned|given|handed|passed|left)\s+to\s+(?:me|us)\b"
    r"|\b(?:gave|give|gives|handed|set|sets)\s+(?:me|us)\s+(?:the|a|an)\s+(?:\w+\s+)?"
    r"(?:job|task|target|goal|brief|objective|challenge|project)\b"
    r"|\bwhat\s+(?:\w+\s+){1,3}(?:wanted|needed|expected|asked)\s+(?:from|of)\s+(?:me|us)\b"
    r"|\b(?:i|we)\s+owned\s+(?:the|our|this|that)\b"
    r"|\b(?:my|our|the)\s+(?:\w+\s+)?(?:quota|target|brief|remit|objective|goal|aim|"
    r"mission|part|role)\s+(?:\w+\s+){0,4}(?:was|were|is)\b"
    r"|\bthe\s+(?:target|goal|aim|task|brief)\s+(?:\w+\s+){0,3}(?:given|set)\b"
    r"|\b(?:i|we)\s+(?:needed|wanted)\s+(?:\w+\s+){0,5}(?:within|in|for|by)\b"
    # … in the narrative present too ("I have twenty minutes to get hot food out").
    r"|\b(?:i|we)\s+(?:had|have|'ve\s+got|have\s+got)\s+(?:only\s+|just\s+)?(?:\w+\s+)?"
    r"(?:days|weeks|hours|months|minutes)\s+"
    r"(?:before|until|to)\b|\bdeadline\s+(?:was|is)\b"
    r"|\b(?:ask|asks|tell|tells)\s+(?:me|us)\s+to\b"
    r"|\b(?:i|we)\s+had\s+to\s+(?:decide|choose|find|get|make|keep|deliver|work out)\b"
    r"|\b(?:i|we)\s+(?:was|were)\s+(?:made|put|brought\s+in|hired)\b"
    r"|\bput\s+my\s+hand\s+up\b|\bi\s+was\s+the\s+one\s+who\s+(?:must|had|should)\b"
    r"|\b(?:my|our)\s+(?:\w+\s+)?(?:brief|job|task|target|objective)\s+from\b"
    # A goal told as the state wanted ("I wanted the error rate for new staff to be under").
    r"|\b(?:i|we)\s+(?:wanted|needed)\s+(?:my|our|the|its|their)\s+(?:[\w-]+\s+){1,6}to\s+"
    r"(?:be|get|reach|hit|go|come|stay|drop|fall|rise)\b"
    # "… was the target my manager set me", "… was the job the owner gave us".
    r"|\b(?:was|were|is)\s+the\s+(?:\w+\s+)?(?:goal|target|task|job|brief|objective)\s+"
    r"(?:\w+\s+){0,3}(?:gave|set|handed|gives|sets)\s+(?:me|us)\b"
    r"|\b(?:on|off)\s+my\s+plate\b|\bwhat\s+mattered\s+(?:most|first)\b"
    r"|\bthe\s+(?:job|task|goal|aim)\s+(?:[\w']+\s+){1,5}(?:was|were)\s+(?:to\s+)?\w+ing\b"
    # A priority told with the job as its subject ("getting the tills working came first").
    r"|\b(?:came|comes)\s+(?:first|before\s+(?:anything|everything)\s+else)\b"
    r"|\b(?:was|were|is)\s+the\s+(?:first\s+|top\s+|only\s+)?priority\b"
    # An instruction reported in direct speech ("she said to me, you need to cut the waste").
    r"|\b(?:say|says|said|tell|tells|told)\s+(?:to\s+)?(?:me|us),?\s+(?:you|we)\s+"
    r"(?:need|have|must|got)\s+to\b"
    # A task implied by a role held at the time ("I was on call when …", "I was the
    # supervisor on nights when …").
    r"|\b(?:i|we)\s+(?:was|were|am|are|'m|'re)\s+(?:on\s+call|on\s+duty|"
    r"in\s+charge)\b"
    r"|\b(?:i|we)\s+(?:was|were|am|'m)\s+on\s+(?:the\s+)?(?:[\w-]+\s+){0,2}(?:queue|desk|rota|"
    r"phones|tills|door|pass|switchboard|helpline)\b"
    r"|\b(?:i|we)\s+(?:was|were)\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,3}?"
    + _ROLE
    + r"\s+(?:(?:on|for|in)\s+(?:[\w-]+\s+){1,3})?(?:when|that|on\s+the\s+night)\b"
    r"|\b(?:i|we)\s+(?:was|were)\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,3}?"
    + _ROLE
    + r"\s+on\s+(?:the\s+)?(?:[\w-]+\s+)?(?:shift|nights|duty|call|rota)\b"
    r"|\b(?:i|we)\s+(?:was|were)\s+the\s+(?:[\w-]+\s+){0,2}?"
    + _ROLE
    + r"\s+(?:on|for)\s+(?:the|that|this)\s+(?:file|case|account|job|shift|territory|patch|"
    r"project|ward|site|area|route)\b"
    # A task implied by a problem with a measure to meet ("we were stuck at 40% of target
    # with six weeks to go") or a limit that could not move ("the date couldn't move").
    r"|\b(?:i|we)\s+(?:was|were|are|'re|am|'m)\s+(?:still\s+)?(?:stuck|sitting|only|just)\s+"
    r"(?:at\s+)?(?:\S+\s+){0,2}(?:of|below|under|short\s+of)\s+"
    r"(?:the\s+|our\s+|my\s+)?(?:target|plan|budget|quota|goal|forecast)\b"
    r"|\b(?:i|we)\s+(?:was|were|are|'re|am|'m)\s+(?:\S+\s+){0,3}(?:behind|short\s+of)\s+"
    r"(?:the\s+|our\s+|my\s+)?(?:target|plan|budget|quota)\b"
    r"|\bwith\s+(?:only\s+|just\s+)?(?:\w+\s+){1,2}(?:days?|weeks?|hours?|months?)\s+to\s+go\b"
    # Asked of the speaker, or handed over in the passive ("the case was allocated to me").
    r"|\b(?:asked|wanted|needed|expected|required)\s+of\s+(?:me|us)\b"
    # Someone wanting a thing done by a time ("the control room wanted the pump back in
    # service that night").
    r"|\b(?:wanted|needed|expected)\s+(?:a|an|the|it|them|this|that|everything|all|our|my)\s+"
    r"(?:[\w-]+\s+){0,6}(?:back|done|fixed|ready|finished|sorted|live|running|delivered|"
    r"signed\s+off)\b(?:\s+[\w-]+){0,3}\s+(?:by|before|that|this|tonight|tomorrow|today|in\s+time)\b"
    r"|\b(?:was|were)\s+(?:allocated|delegated|referred|escalated|routed|entrusted)\s+to\s+"
    r"(?:me|us)\b"
)
_COMPARED = re.compile(
    r"\b(?:most|best|highest|lowest|fastest|record|more than|fewer than|less than|up from|"
    r"down from|compared|than)\b",
    re.I,
)
_PRESENT_STATE = {"work", "live", "'m", "am", "do", "does"}


def _acts(r: grammar.Reading, c: _ClauseInfo, narrative: bool = True) -> bool:
    """Something the speaker (or their team) did: past, narrative present or habitual."""
    if c.conditional or r.negated or r.state or r.perfect or r.progressive:
        return False
    if r.passive:
        return r.agent in {"i", "we"}
    if r.subject not in {"i", "we"}:
        return False
    if r.tense == "past":
        # "We shipped for many retailers" read as background by the clause reader stays so;
        # the grammar adds the speaker's own past steps it missed (irregular verbs …).
        return r.subject == "i" or c.form in {"action", "perfect"}
    if r.tense == "present":
        return narrative and not r.habitual and r.verb not in _PRESENT_STATE
    return r.tense == "modal" and r.modal in {"would", "'d"} and r.habitual


def _read_grammar(
    report: StarReport, infos: list[_ClauseInfo], answer: str, sents: list[Sentence]
) -> None:
    """Turn on the parts the grammar shows and the cue patterns missed; set the hypothetical flag.

    Adds, on top of the cue patterns: actions told in the narrative present, in the passive
    ("the bay was closed by me", or with no agent in the middle of a first-person story) or as
    a past habit ("each Friday I would …"); outcomes told about someone else after the
    speaker's actions ("she came back", "he went home two days later", "the claim was
    withdrawn"); background told first; tasks in any word order ("… fell to me", "what the
    client wanted from us was …"). A behavioural answer is hypothetical when it has at least
    two first-person conditional clauses that are no past habits, and more of them than
    actions.
    """
    try:
        readings = grammar.read(answer, [(c.start, c.end, c.sentence) for c in infos])
    except Exception:  # noqa: BLE001 - without the model the cue patterns still answer
        readings = []
    if len(readings) != len(infos):
        report.hypothetical = (
            report.behavioural
            and report.conditional_clauses >= 2
            and report.conditional_clauses > report.i_actions + report.we_actions
        )
        return
    report.readings = readings
    pairs = list(zip(infos, readings, strict=True))
    # Task in any word order (first: a task makes a story, and the passive steps of a story
    # are actions).
    if not report.parts["task"].present:
        for c, r in pairs:
            if not c.conditional and _LIMIT.search(c.text):
                report.parts["task"] = StarPart(True, _evidence(answer, sents, c), 2.0)
                break
            if c.conditional or (r.tense == "modal" and not r.habitual) or _asked_after(c):
                continue
            sentence = next(
                (answer[x.start : x.end] for x in sents if x.start <= c.start <= x.end), c.text
            )
            said = _SAID.search(sentence) and not TASK_MORE.search(c.text)
            if (TASK_MORE.search(c.text) or said) and not _overruled(c, answer):
                report.parts["task"] = StarPart(True, _evidence(answer, sents, c), 2.0)
                break

    # A story told in the present ("so I walk over and I tell her …") rather than a habit
    # ("I always help …"): some past tense, or at least two present-tense steps of one's own.
    present_steps = sum(
        1
        for c, r in pairs
        if r.subject in {"i", "we"} and r.tense == "present" and _acts(r, c) and not r.passive
    )
    narrative = present_steps >= 2 or any(r.tense == "past" for r in readings)
    acts = [k for k, (c, r) in enumerate(pairs) if _acts(r, c, narrative)]
    cond = sum(
        1
        for c, r in pairs
        if r.subject in {"i", "we"}
        and r.tense == "modal"
        and r.modal in {"would", "'d", "will", "'ll"}
        and not (r.habitual and r.modal in {"would", "'d"})
    )
    passive_acts = [
        k
        for k, (c, r) in enumerate(pairs)
        if r.passive
        and r.agent is None
        and not r.state
        and r.subject_word not in {"he", "she", "they", "i", "we", "it", "you"}
        and c.position < 0.75
        and not c.last_sentence
        and (report.i_actions + len(acts) > 0 or report.parts["task"].present)
    ]
    doing = sorted(set(acts) | set(passive_acts))
    report.modal_clauses, report.grammar_acts = cond, len(acts)
    report.hypothetical = report.behavioural and cond >= 2 and cond > len(acts)
    if report.hypothetical:
        return
    # Situation: background told first, in a story.
    if not report.parts["situation"].present and doing:
        for c, r in pairs:
            if c.position >= 0.3:
                break
            if c.conditional or r.tense == "modal" and not r.habitual:
                continue
            background = (
                (r.subject == "other" and r.tense in {"past", "present"} and not r.passive)
                or (r.state or r.progressive or r.perfect)
                and r.tense in {"past", "present"}
            )
            if background and not _acts(r, c, narrative):
                report.parts["situation"] = StarPart(True, _evidence(answer, sents, c), 2.0)
                break
    # Action: two steps, or one of the speaker's own within a story.
    mine = [k for k in doing if pairs[k][1].doer == "i" or pairs[k][1].subject == "i"]
    story = report.parts["situation"].present or report.parts["task"].present
    if not report.parts["action"].present and (len(doing) >= 2 or (mine and story)):
        report.parts["action"] = StarPart(True, _evidence(answer, sents, pairs[doing[0]][0]), 2.0)
    first_act = doing[0] if doing else len(pairs)
    # Result: an outcome after the speaker's actions, whoever it happened to.
    if not report.parts["result"].present and doing and report.parts["action"].present:
        for k in range(first_act + 1, len(pairs)):
            c, r = pairs[k]
            if c.position < 0.5 or c.conditional or r.state and not NUMBER_RE.search(c.text):
                continue
            if TASK.search(c.text) or TASK_MORE.search(c.text):
                continue
            # A measure told last by the speaker: "we reached 98 percent in ten weeks", "we ran
            # it for 75 young people, the most we'd had".
            if (
                c.last_sentence
                and (k in acts or (r.subject in {"i", "we"} and r.tense == "past"))
                and k != first_act
                and NUMBER_RE.search(c.text)
                and (
                    _COMPARED.search(answer[sents[-1].start : sents[-1].end])
                    or RESULT_NOUNS.search(c.text)
                    or any(_echoes_target(c.text, t) for t in _targets(answer, sents, report))
                )
            ):
                report.parts["result"] = StarPart(True, _evidence(answer, sents, c), 2.0)
                break
            other = r.doer in {"other", None} and not r.progressive
            now = bool(re.search(r"\b(?:now|since|still|anymore|any more)\b", c.text))
            if (other and (r.tense in {"past", "present"} or r.perfect)) or (
                now and r.tense == "present"
            ):
                report.parts["result"] = StarPart(True, _evidence(answer, sents, c), 2.0)
                break


def _targets(answer: str, sents: list[Sentence], report: StarReport) -> list[str]:
    """The task's sentence and any earlier sentence that sets a goal."""
    out = [report.parts["task"].evidence or ""]
    for x in sents[:-1]:
        text = answer[x.start : x.end]
        if TASK.search(text.lower()) or TASK_MORE.search(text.lower()):
            out.append(text)
    return out


def _echoes_target(text: str, task: str | None) -> bool:
    """The closing measure names what the task set a number for ("I wanted fifty sign-ups"
    … "we got 64 sign-ups")."""
    if not task or not NUMBER_RE.search(task):
        return False
    words = {
        stem(w)
        for w in re.findall(r"[a-z][a-z-]{3,}", task.lower())
        if w not in STOPWORDS and not NUMBER_RE.fullmatch(w)
    }
    return any(
        stem(w) in words
        for w in re.findall(r"[a-z][a-z-]{3,}", text.lower())
        if w not in STOPWORDS and not NUMBER_RE.fullmatch(w)
    )


def _evidence(answer: str, sents: list[Sentence], info: _ClauseInfo | None) -> str | None:
    """The original sentence (or clause, for run-on sentences) behind a clause."""
    if info is None:
        return None
    for s in sents:
        if s.start <= info.start <= s.end:
            if sum(1 for t in s.tokens if t.kind != "p") <= 40:
                return answer[s.start : s.end].strip()
            break
    return answer[info.start : info.end].strip()

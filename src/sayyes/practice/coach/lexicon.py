"""The words the STAR reader knows: past-tense verbs, result verbs, modals, subjects and
the little words around them. Plain data, kept apart from the rules in ``star.py``."""

from __future__ import annotations

from functools import lru_cache

IRREGULAR_PAST = frozenset(
    """
    built rebuilt made remade wrote rewrote met spoke sent ran reran led took retook set brought
    sat went gave found told chose began drew redrew got put kept paid sought taught retaught won
    cut held caught bought sold spent stood understood drove flew grew threw shut split hit let
    quit rode shook broke fought dealt meant read overcame undertook oversaw forecast lent sped
    upheld withdrew froze hung dug struck swept bent fed laid lit stuck woke rang shot slept
    stole swam mistook rethought redid did said came became left lost felt thought knew saw
    heard was were had outsold underwent sank tore wore bound reset spread upset cast cost hurt
    rang
    """.split()
)
# Past forms that describe a state, a perception or background, not something the speaker did.
STATE_PAST = frozenset(
    """
    was were had felt thought knew wanted needed liked loved hated enjoyed noticed realised
    realized saw heard seemed believed remembered learned learnt wondered worried hoped expected
    preferred lived joined became used meant owned struggled loved could would should might
    relied depended belonged consisted included involved contained existed looked sounded lasted
    """.split()
)
# Past forms that report an outcome when the speaker is the subject ("we went from …").
RESULT_VERBS = frozenset(
    """
    reduced increased improved cut saved grew doubled tripled halved dropped fell rose decreased
    boosted raised lowered shortened exceeded beat surpassed achieved won hit met passed finished
    completed delivered recovered retained renewed signed launched shipped closed secured
    landed awarded promoted sold served stayed kept raised earned generated attracted helped
    """.split()
)
STRONG_RESULT_VERBS = frozenset("doubled tripled halved exceeded surpassed won renewed".split())
MODALS_COND = {"would", "will", "should", "shall", "wouldn't", "won't", "gonna"}
SUBJ_I = {"i", "i'd", "i've", "i'll", "i'm"}
SUBJ_WE = {"we", "we'd", "we've", "we'll", "we're"}
ADVERBS = {
    "also", "then", "quickly", "first", "finally", "immediately", "personally", "just",
    "actually", "eventually", "even", "really", "basically", "later", "still", "all", "both",
    "together", "each", "soon", "initially", "next", "instead", "myself", "ourselves", "directly",
    "carefully", "manually", "successfully", "only", "literally", "always", "never", "already",
    "jointly", "again", "now", "ever", "once", "i", "we", "and",
    "straight", "right", "away", "back", "properly", "simply", "gradually", "slowly",
}  # fmt: skip
LEADING = {
    "and",
    "then",
    "so",
    "but",
    "also",
    "first",
    "finally",
    "next",
    "or",
    "plus",
    "after",
    "that",
    "afterwards",
    "secondly",
    "lastly",
    "thirdly",
    "well",
    "okay",
    "yeah",
    "now",
}
PREPS = {
    "as",
    "to",
    "with",
    "by",
    "for",
    "in",
    "at",
    "on",
    "before",
    "during",
    "when",
    "while",
    "which",
    "who",
    "because",
    "if",
    "where",
    "since",
    "until",
    "without",
    "instead",
    "through",
    "from",
    "of",
    "over",
    "within",
    "like",
    "whenever",
    "whether",
    "though",
    "although",
    "unless",
    "once",
    "whose",
    "than",
    "into",
    "about",
    "around",
    "across",
}
PARTICIPLE_HINT = {"already", "never", "been", "just", "always", "also", "not"}
WORKED_ACTION_NEXT = {
    "out",
    "with",
    "through",
    "on",
    "closely",
    "late",
    "overtime",
    "around",
    "alongside",
    "directly",
    "hard",
    "nights",
    "weekends",
    "extra",
}


NEGATIVE_PAST = {
    "didn't",
    "didnt",
    "wasn't",
    "wasnt",
    "weren't",
    "werent",
    "couldn't",
    "couldnt",
    "hadn't",
    "hadnt",
    "wouldn't",
    "wouldnt",
}


# Paraphrases written for sayyes: each group's words stand for one another in a job term.
PARAPHRASE_GROUPS = [
    "turnover attrition leavers retention",
    "test tests testing experiment experiments trial",
    "split a/b",
    "customer client",
    "forecast forecasting forecasts prediction",
    "dashboard dashboards report reports reporting",
    "staff employee employees people workers colleagues",
    "rota rotation schedule",
    "incident incidents outage outages",
    "postmortem postmortems post-mortem review retrospective",
    "deviation deviations",
    "cost costs spend",
    "onboarding induction",
    "discharge discharged",
    "recruitment hiring recruiting",
    "inspection inspections check checks",
    "documentation notes records",
    "safety safe",
    "accessibility accessible wcag",
    "budget budgets spend",
    "pipeline pipelines",
    "research interviews",
    "stakeholder stakeholders board directors sponsor",
    "assessment assessments check checking whiteboards quiz quizzes",
    "differentiation differentiated adapted scaffolding",
    "management managing managed",
    "diagnosis diagnose finding fault faults",
    "attainment quota",
    "contract contracts deal deals",
    "maintenance servicing",
    "handling handled handle",
    "simulation simulations fake",
    "behaviour behavior discipline",
    # General workplace paraphrases, written for the second half of issue 15 (not taken from
    # any answer): one word a posting uses, and the plainer words people answer with.
    "invoice invoices invoicing billing",
    "payroll wages salaries",
    "audit audits audited auditing",
    "compliance compliant regulations regulatory",
    "procurement purchasing buying",
    "supplier suppliers vendor vendors",
    "negotiation negotiate negotiated negotiating",
    "presentation presentations presented presenting pitch",
    "analysis analyse analysed analyze analyzed analytics",
    "troubleshooting troubleshoot troubleshot diagnose diagnosed",
    "deployment deployments deploy deployed release releases",
    "automation automate automated automating",
    "migration migrate migrated migrating",
    "medication medications medicines meds",
    "observations obs vitals",
    "hygiene cleaning cleanliness",
    "retention retained renewal renewals renewed",
    "churn cancellations cancelled canceled",
    "upselling upsell upsold",
    "curriculum syllabus",
    "campaign campaigns adverts ads",
    "shrinkage theft shoplifting losses",
    "refund refunds refunded",
    "merchandising displays",
    "subcontractors subcontractor contractors trades",
    "snagging snags defects",
    "scheduling rostering rota rotas",
    "recruiting recruited hiring hired",
    "escalate escalated escalation",
    "triage triaged prioritised prioritized",
]


@lru_cache(maxsize=1)
def _paraphrase_index() -> dict[str, frozenset[str]]:
    from .text import stem

    index: dict[str, set[str]] = {}
    for group in PARAPHRASE_GROUPS:
        stems = {stem(w) for w in group.split()}
        for s in stems:
            index.setdefault(s, set()).update(stems)
    return {k: frozenset(v) for k, v in index.items()}


def paraphrases(word_stem: str) -> frozenset[str]:
    """Stems that stand for ``word_stem`` in a job term or talking point (itself included)."""
    return _paraphrase_index().get(word_stem, frozenset())

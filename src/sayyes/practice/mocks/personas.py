"""Who asks, and what they say around the questions: personas, round kinds, opening and closing
lines. Plain Python (no Django); the wording is sayyes' own."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PERSONAS", "ROUNDS", "Persona", "Round", "closing_line", "opening_line", "transition"]


@dataclass(frozen=True)
class Persona:
    key: str
    name: str
    role: str

    def as_dict(self) -> dict[str, str]:
        return {"key": self.key, "name": self.name, "role": self.role}

    @property
    def said_role(self) -> str:
        """The role inside a sentence: "hiring manager", but "HR partner"."""
        first = self.role.split()[0]
        return self.role if first.isupper() else self.role[0].lower() + self.role[1:]


PERSONAS = {
    "hiring_manager": Persona("hiring_manager", "Morgan Ellis", "Hiring manager"),
    "peer": Persona("peer", "Sam Okafor", "Future peer on the team"),
    "hr": Persona("hr", "Priya Raman", "HR partner"),
}


@dataclass(frozen=True)
class Round:
    """A kind of round: who asks (in turn) and the question categories it draws from."""

    key: str
    label: str
    personas: tuple[str, ...]
    categories: tuple[str, ...]  # most likely first; a round draws from them in turn
    blurb: str


ROUNDS = {
    "phone_screen": Round(
        "phone_screen",
        "Phone screen",
        ("hr",),
        ("motivation", "career_story", "culture_fit", "behavioral", "tough"),
        "a first call about you, your move and what you want",
    ),
    "behavioral": Round(
        "behavioral",
        "Behavioral",
        ("hiring_manager",),
        ("behavioral", "behavioral", "situational", "culture_fit"),
        "stories of what you have done",
    ),
    "technical": Round(
        "technical",
        "Technical",
        ("peer", "hiring_manager"),
        ("role_specific", "situational", "behavioral", "role_specific"),
        "how you do the work itself",
    ),
    "panel": Round(
        "panel",
        "Panel",
        ("hiring_manager", "peer", "hr"),
        ("behavioral", "role_specific", "culture_fit", "panel", "motivation", "situational"),
        "three people, taking turns",
    ),
    "final": Round(
        "final",
        "Final round",
        ("hiring_manager", "hr"),
        ("motivation", "behavioral", "tough", "career_story", "culture_fit"),
        "the last conversation before a decision",
    ),
}

# The interview round kinds of the pipeline, as mock rounds.
FROM_INTERVIEW = {
    "phone_screen": "phone_screen",
    "video": "behavioral",
    "technical": "technical",
    "behavioral": "behavioral",
    "panel": "panel",
    "onsite": "panel",
    "final": "final",
    "other": "behavioral",
}


def opening_line(
    round_: Round, persona: Persona, *, count: int, role: str = "", company: str = ""
) -> str:
    where = f" for the {role} role at {company}" if role and company else ""
    plural = "questions" if count != 1 else "question"
    if len(round_.personas) > 1 and round_.key == "panel":
        names = "; ".join(f"{PERSONAS[p].name}, {PERSONAS[p].said_role}" for p in round_.personas)
        return (
            f"Hello, and thanks for coming in{where}. There are three of us today: {names}. "
            f"We will take turns over {count} {plural}. Take your time. {persona.name} will start."
        )
    return (
        f"Hello, I'm {persona.name}, {persona.said_role}. Thanks for making the time{where}. "
        f"I have {count} {plural} for you; take your time, and answer as you would on the day. "
        "Let's begin."
    )


_TRANSITIONS = (
    "Thank you.",
    "Thanks, that's helpful.",
    "Good. Let's move on.",
    "Thank you. Next one.",
    "Right, thanks.",
)


def transition(number: int, persona: Persona, previous: Persona | None) -> str:
    """What is said before question ``number`` (2 and up)."""
    said = _TRANSITIONS[(number - 2) % len(_TRANSITIONS)]
    if previous is not None and previous.key != persona.key:
        return f"{said} {persona.name} here, {persona.said_role}."
    return said


def closing_line(asked_all: bool = True) -> str:
    return (
        "That's everything from our side. Do you have any questions for us?"
        if asked_all
        else "Do you have any questions for us?"
    )

"""Target deconfliction: is a subject on one case possibly the same as a subject on another?

DOMAIN.md glossary: "the same subject on two cases is something users must see"; target
deconfliction is "the same person, phone, address, vehicle, weapon or account in two
investigations". The product only *suggests*: a user confirms (the two records are linked,
never merged) or dismisses (never suggested again). These are the pure parts: how names are
normalized and how a pair is scored, 0–100, with the reasons a user reads.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import product

from rapidfuzz import fuzz

from taskforce.domain.enums import IdentifierKind, Labelled, label_of
from taskforce.domain.errors import FieldError
from taskforce.domain.records import _Checks, _Validated

# A pair is suggested from this score on. With the same date of birth, names from 75 % alike
# are suggested; without a date of birth on both sides, names from 90 % alike (identical names
# score 85: "John Smith" alone is not proof); with *different* dates of birth, names never
# suffice (a common name would flood the list). A shared identifier is always suggested.
# Calibrated on the demo names: "Harpreet Sandhu"/"Gurpreet Sandhu" (87) and "Joshua
# Wright"/"Joseph Wright" (85) are different people; "Katherine"/"Catherine Johnson" (94),
# "Jon"/"John Smith" (95) and "Mohammed Al-Rashid"/"Mohamed Alrashid" (97) are spellings.
MIN_SCORE = 70
IDENTIFIER_SCORE = 90
# blocking looks up stored names by the first letters of each word (more when that many letters
# still match too many names)
PREFIX_LENGTH = 3

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")


class MatchDecision(Labelled):
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


def fold(text: str) -> str:
    """Lower-case with accents removed: 'Darío Núñez' → 'dario nunez'."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65_536)  # blocking compares thousands of names, many of them alike
def normalize_name(name: str) -> str:
    """How names are compared: folded, punctuation removed, single-spaced."""
    return " ".join(_WORD.findall(fold(name)))


def compact_name(name: str) -> str:
    """The normalized name without spaces: 'Dario van Tongeren' == 'Dario Vantongeren'."""
    return "".join(_WORD.findall(fold(name)))


def name_similarity(a: str, b: str) -> int:
    """0–100: the better of word order ignored (token_sort_ratio on the normalized names) and
    spacing ignored (ratio on the compact names)."""
    return NameMatcher([a]).similarity(b)


def normalize_identifier(value: str) -> str:
    """Passport 'x 123-456' and 'X123456' are the same number: letters and digits, upper-case."""
    return _NOT_ALNUM.sub("", fold(value)).upper()


def identifier_lookup_values(value: str) -> tuple[str, ...]:
    """The stored spellings an exact index lookup tries for an identifier value."""
    v, n = value.strip(), normalize_identifier(value)
    return tuple(dict.fromkeys((v, v.upper(), v.lower(), n, n.lower())))


def blocking_words(names: tuple[str, ...] | list[str]) -> set[str]:
    """The words whose beginnings a candidate's stored name must start with, lower-case, as
    typed ("o'neil", "núñez") and folded ("nunez"). Every word counts, so 'Given Family' and
    'Family, Given' find each other; one-letter words (initials) do not."""
    out = set()
    for name in names:
        for word in name.split():
            raw = word.strip(".,;:()[]\"'-").lower()
            if len(raw) >= 2:
                out.add(raw)
            out.update(t for t in normalize_name(raw).split() if len(t) >= 2)
    return out


def case_variants(prefix: str) -> list[str]:
    """The spellings of a prefix a case-sensitive index must be searched for: every upper/lower
    combination of its first PREFIX_LENGTH letters ('mcd' → 'McD' …) with the rest lower-case,
    and all upper-case."""
    head, tail = prefix[:PREFIX_LENGTH], prefix[PREFIX_LENGTH:].lower()
    options = [(ch.lower(), ch.upper()) if ch.lower() != ch.upper() else (ch,) for ch in head]
    return sorted({"".join(p) + tail for p in product(*options)} | {prefix.upper()})


def prefix_range(prefix: str) -> tuple[str, str]:
    """[low, high) of the stored names beginning with ``prefix`` (an index range, not LIKE)."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


@dataclass(frozen=True)
class SubjectFacts:
    """What a subject is compared by."""

    id: int
    kind: str
    names: tuple[str, ...]  # the name first, then aliases
    dob: date | None = None
    identifiers: tuple[tuple[str, str], ...] = ()  # (kind, value)


@dataclass(frozen=True)
class MatchScore:
    score: int
    reasons: tuple[str, ...]

    @property
    def suggested(self) -> bool:
        return self.score >= MIN_SCORE


def _identifier_label(kind: str) -> str:
    label = label_of(IdentifierKind, kind)
    if len(label) > 1 and (label[1].isupper() or label[1] == "-"):
        return label  # A-number
    return label[:1].lower() + label[1:]


def best_name_similarity(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    matcher = NameMatcher(a)
    return max((matcher.similarity(y) for y in b), default=0)


class NameMatcher:
    """One subject's names, normalized once, compared against many candidates' names
    (blocking may yield a few thousand of them)."""

    def __init__(self, names: tuple[str, ...] | list[str]) -> None:
        self._forms = [(n, n.replace(" ", "")) for n in map(normalize_name, names) if n]

    def similarity(self, other: str) -> int:
        n = normalize_name(other)
        if not n:
            return 0
        c = n.replace(" ", "")
        return round(max((max(fuzz.token_sort_ratio(a, n), fuzz.ratio(ac, c)) for a, ac in self._forms),
                         default=0))


def combined_score(name: int, same_dob: bool | None) -> int:
    """The score names give, given the dates of birth: the same (True), different (False) or
    unknown on either side (None). See MIN_SCORE for where each crosses the threshold."""
    if same_dob is True:
        return max(0, round(100 - 1.2 * (100 - name)))  # 100 → 100, 75 → 70
    if same_dob is False:
        return round(0.6 * name)  # at most 60: never suggested by names alone
    return max(0, round(85 - 1.5 * (100 - name)))  # 100 → 85, 90 → 70


def score_match(a: SubjectFacts, b: SubjectFacts) -> MatchScore:
    """Score a pair 0–100 and say why.

    A shared identifier (same kind, same value once spaces and case are ignored) is strong:
    at least IDENTIFIER_SCORE. Names count by their best similarity over names and aliases,
    weighed by the dates of birth (combined_score). A person and an organization are only
    compared by identifiers.
    """
    reasons: list[str] = []
    theirs = {(k, normalize_identifier(v)) for k, v in b.identifiers}
    shared = [(k, v) for k, v in a.identifiers if (k, normalize_identifier(v)) in theirs]
    for kind, value in dict.fromkeys(shared):
        reasons.append(f"same {_identifier_label(kind)} {value.strip()}")

    score = 0
    if a.kind == b.kind:
        name = best_name_similarity(a.names, b.names)
        same_dob = (a.dob == b.dob) if a.dob and b.dob else None
        score = combined_score(name, same_dob)
        if same_dob:
            reasons.append("same date of birth")
        elif same_dob is False and shared:
            reasons.append("different date of birth")
        if name == 100:
            reasons.append("same name")
        elif name >= 60:
            reasons.append(f"similar name {name}")
    if shared:
        score = max(score, IDENTIFIER_SCORE)
    return MatchScore(min(score, 100), tuple(reasons))


def ordered_pair(a: int, b: int) -> tuple[int, int]:
    """subject_match keeps the smaller id first, so a pair has one row whichever side decides."""
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True)
class MatchDecisionData(_Validated):
    subject_id: int | None
    other_id: int | None
    decision: str

    def validate(self) -> list[FieldError]:
        c = _Checks()
        c.required("subject_id", self.subject_id, "Subject")
        c.required("other_id", self.other_id, "Other subject")
        c.choice("decision", self.decision, MatchDecision, "Decision")
        if self.subject_id is not None and self.subject_id == self.other_id:
            c.add("other_id", "A subject cannot be matched with itself.")
        return c.errors

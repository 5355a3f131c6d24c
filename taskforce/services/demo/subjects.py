"""The subjects of the cases: people and organizations, with their aliases and identifiers."""

from __future__ import annotations

import random
from datetime import date

from taskforce.services.demo.build import Build, Picker
from taskforce.services.demo.case_types import CaseType
from taskforce.services.demo.names import (
    MONIKERS, NAME_GROUPS, ORG_PREFIXES, ORG_SUFFIXES, ORG_TRADES, PLATE_FORMATS, VESSEL_WORDS_A,
    VESSEL_WORDS_B, person_name, to_ascii,
)
from taskforce.services.demo.task_forces import REGIONS, Region, TaskForceSpec
from taskforce.store import schema as S


# rule 6: of the subjects CBP enters, the share derived from EU PNR data (001 Third Party Rule)
EU_PNR_SHARE = 0.06


class Subjects:
    """New subjects are collected while a batch of cases is drawn and written with it (``flush``).

    ``later`` draws what was added after the first stream's order was set (the caveats);
    ``cbp`` are the ids of CBP and its units, the agencies that receive EU PNR data."""

    def __init__(self, b: Build, later: random.Random, eu_pnr_id: int, cbp: frozenset[int]) -> None:
        self.b = b
        self.later, self.eu_pnr_id, self.cbp = later, eu_pnr_id, cbp
        self.picker = Picker((g, g[3]) for g in NAME_GROUPS)
        pool = sorted({f"({code}) 555-01{k:02d}" for region in REGIONS.values()
                       for code in region.area_codes for k in range(100)})
        b.rng.shuffle(pool)
        self.phone_pool = pool
        self.phones_used: list[str] = []
        self.count = 0
        self._rows: list[dict] = []
        self._alias_rows: list[dict] = []
        self._alias_roots: list[tuple[str, int]] = []
        self._ident_rows: list[dict] = []
        self._ident_roots: list[tuple[str, int]] = []
        self._caveats: dict[int, list[int]] = {}  # subject id → its caveats (few subjects have any)

    def flush(self) -> None:
        # aliases and identifiers before their subjects (foreign keys are checked at commit):
        # the search triggers then index each new subject once, with all its names and numbers,
        # instead of re-indexing it for every alias and identifier
        tx = self.b.tx
        tx.insert_many(S.subject_alias, self._alias_rows, roots=self._alias_roots)
        tx.insert_many(S.subject_identifier, self._ident_rows, roots=self._ident_roots)
        # caveats are link rows: in the subject's create snapshot, as a case's or a support's
        extras = [{"caveats": ", ".join(map(str, self._caveats[r["id"]]))} if r["id"] in self._caveats else {}
                  for r in self._rows] if self._caveats else None
        tx.insert_many(S.subject, self._rows, extras=extras)
        if self._caveats:
            self.b.conn.execute(S.subject_caveat.insert(), [
                {"subject_id": subject_id, "caveat_id": c} for subject_id, ids in self._caveats.items() for c in ids])
        self.count += len(self._rows)
        self._rows, self._alias_rows, self._alias_roots, self._ident_rows, self._ident_roots = \
            [], [], [], [], []
        self._caveats = {}

    def new(self, spec: TaskForceSpec, ctype: CaseType, opened: int, entered_by: int) -> tuple[int, str]:
        """A new subject of a case of the task force, entered by an agency: (its id, its name)."""
        rng = self.b.rng
        region = REGIONS[spec.region]
        subject_id = self.b.ids("subject", 1)[0]
        root = ("subject", subject_id)
        maritime = spec.kind == "shiprider"
        idents: list[tuple[str, str]] = []
        aliases: list[str] = []
        if rng.random() < ctype.org_share:
            if rng.random() < 0.7:
                name = f"{rng.choice(ORG_PREFIXES)} {rng.choice(ORG_TRADES)} {rng.choice(ORG_SUFFIXES)}"
                nationality = rng.choice(("United States", "United States", "Canada", "Mexico"))
                if rng.random() < 0.25:
                    aliases.append(f"{rng.choice(ORG_PREFIXES)} {rng.choice(ORG_TRADES)}")
            else:
                group = self.picker(rng)
                a, b = rng.choice(group[1]), rng.choice(group[1])
                name = f"{a}–{b} trafficking organization" if a != b else f"{a} trafficking organization"
                nationality = ""
            self._rows.append(dict(id=subject_id, kind="organization", name=name, dob=None,
                                   nationality=nationality, originating_agency_id=entered_by))
            if rng.random() < 0.5 and (phone := self._subject_phone()):
                idents.append(("phone", phone))
            if maritime or rng.random() < 0.15:
                idents.append(("vessel", self._vessel()))
            if rng.random() < 0.2:
                idents.append(("vehicle", self._plate(region)))
        else:
            group = self.picker(rng)
            given, family = person_name(rng, group)
            name = f"{given} {family}"
            nationality = rng.choice(group[2]) if rng.random() < 0.95 else ""
            dob = None
            if rng.random() < 0.92:
                dob = date.fromordinal(opened - rng.randint(19 * 365, 68 * 365))
            self._rows.append(dict(id=subject_id, kind="person", name=name, dob=dob, nationality=nationality,
                                   originating_agency_id=entered_by))
            if entered_by in self.cbp and self.later.random() < EU_PNR_SHARE:
                self._caveats[subject_id] = [self.eu_pnr_id]  # a traveller flagged from PNR data
            r = rng.random()
            if r < 0.22:
                kind = rng.random()
                if kind < 0.4:
                    aliases.append(rng.choice(MONIKERS))
                elif kind < 0.7:
                    aliases.append(f"{rng.choice(group[0])} {family}")
                else:
                    aliases.append(f"{given} {rng.choice(group[1])}")
                if r < 0.05:
                    aliases.append(to_ascii(name) if to_ascii(name) != name else f"{given[0]}. {family}")
            if nationality not in ("United States", "") and rng.random() < 0.45:
                idents.append(("a_number", f"A{rng.randint(100_000_000, 999_999_999)}"))
            if rng.random() < 0.35:
                idents.append(("passport", self._passport(nationality)))
            if rng.random() < 0.35 and (phone := self._subject_phone()):
                idents.append(("phone", phone))
            if rng.random() < 0.2:
                idents.append(("vehicle", self._plate(region)))
            if maritime and rng.random() < 0.3:
                idents.append(("vessel", self._vessel()))
        for alias in dict.fromkeys(a for a in aliases if a != name):
            self._alias_rows.append(dict(id=self.b.ids("subject_alias", 1)[0], subject_id=subject_id,
                                         name=alias))
            self._alias_roots.append(root)
        for kind, value in dict.fromkeys(idents):
            self._ident_rows.append(dict(id=self.b.ids("subject_identifier", 1)[0], subject_id=subject_id,
                                         kind=kind, value=value))
            self._ident_roots.append(root)
        return subject_id, name

    def _subject_phone(self) -> str | None:
        """Numbers in the 555-0100…0199 range reserved for fiction: a few thousand, each given
        to one subject, except a few shared on purpose (one phone, two subjects: a
        deconfliction hit). When they run out (large data sets) only shared ones are given."""
        rng = self.b.rng
        if self.phones_used and rng.random() < 0.04:
            return rng.choice(self.phones_used)
        if not self.phone_pool:
            return None
        phone = self.phone_pool.pop()
        self.phones_used.append(phone)
        return phone

    def _plate(self, region: Region) -> str:
        rng = self.b.rng
        juris = rng.choice(region.plates)
        chars = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") if c == "L" else str(rng.randint(0, 9))
                        for c in PLATE_FORMATS[juris])
        return f"{juris} {chars}"

    def _vessel(self) -> str:
        rng = self.b.rng
        name = f"{rng.choice(VESSEL_WORDS_A)} {rng.choice(VESSEL_WORDS_B)}"
        return f"{name} ({rng.choice(('WN', 'MI', 'NY', 'BC'))} {rng.randint(1000, 9999)} " \
               f"{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')})"

    def _passport(self, nationality: str) -> str:
        rng = self.b.rng
        if nationality == "Canada":
            return f"{rng.choice('ABCGHJKMP')}{rng.choice('ABCDEFGHJK')}{rng.randint(100000, 999999)}"
        if nationality == "Mexico":
            return f"G{rng.randint(10_000_000, 99_999_999)}"
        if nationality == "United States":
            return f"{rng.randint(500_000_000, 599_999_999)}"
        return f"{rng.choice('ABCDEFGHKLMNPRSTUVXYZ')}{rng.randint(1_000_000, 9_999_999)}"

"""The cases: numbered in the order they opened, each with its texts, statutes, caveats,
members, subjects (new ones, and links to known ones for deconfliction) and notes."""

from __future__ import annotations

import random
from array import array
from bisect import bisect_right
from datetime import date

from taskforce.services.demo.agencies import INVESTIGATIVE
from taskforce.services.demo.build import Build, Picker
from taskforce.services.demo.case_types import (
    AMOUNTS, CASE_TYPES, CONVEYANCES, COUNTERFEITS, DRUGS, EXPORT_COUNTRIES, GOODS, KIND_CASE_TYPES,
    NOTES, OFFENSES, ORIGIN_COUNTRIES, QUANTITIES, WEAPONS,
)
from taskforce.services.demo.network import Network
from taskforce.services.demo.people import Member, Staff
from taskforce.services.demo.subjects import Subjects
from taskforce.services.demo.task_forces import REGIONS, TaskForceSpec
from taskforce.store import schema as S

BATCH_CASES = 2_000
# of the cases another domestic agency opened, the share it referred to the lead they have now
# (about one case in twenty: rule 4's accepted referrals)
REFERRED_IN = 0.08

_PRIORITY = Picker([("low", 10), ("normal", 60), ("high", 25), ("urgent", 5)])
_SUBJECTS_PER_CASE = Picker([(1, 50), (2, 35), (3, 12), (4, 3)])
_OTHER_ROLE = Picker([("target", 25), ("associate", 50), ("witness", 15), ("defendant", 10)])
_OTHER_ROLE_OPEN = Picker([("target", 25), ("associate", 50), ("witness", 15)])
_NOTES_PER_CASE = Picker([(0, 25), (1, 52), (2, 18), (3, 5)])
_MEMBERS_PER_CASE = Picker([(1, 35), (2, 45), (3, 20)])

_AGENT_ROLES = frozenset(("special_agent", "officer", "tfo"))
# codes of ``Cases.case_status`` and ``Cases.case_type``
CASE_STATUSES = ("open", "pending", "closed")
CASE_TYPE_KEYS = tuple(CASE_TYPES)
_STATUS_CODE = {s: i for i, s in enumerate(CASE_STATUSES)}
_TYPE_CODE = {k: i for i, k in enumerate(CASE_TYPE_KEYS)}
_CASE_ROLE_OF = {"analyst": "analyst", "supervisor": "supervisor"}  # attachés support


class _Slots(dict):
    """Placeholders of a case's texts: ``{port}`` draws a port of the region once per case (so
    title, synopsis and notes tell one story), ``{Port}`` is the same capitalized."""

    def __init__(self, rng: random.Random, choices: dict[str, tuple[str, ...]], **fixed: str) -> None:
        super().__init__(fixed)
        self.rng = rng
        self.choices = choices

    def __missing__(self, key: str) -> str:
        lower = key.lower()
        if lower in self:
            value = self[lower]
        else:
            options = self.choices[lower]
            value = self[lower] = options[int(self.rng.random() * len(options))]
        return value[0].upper() + value[1:] if key[0].isupper() else value


def _fill(template: str, slots: _Slots) -> str:
    return template.format_map(slots)


class Cases:
    """Written last, in batches of BATCH_CASES, each batch with its subjects and a progress report."""

    def __init__(self, b: Build, net: Network, staff: Staff) -> None:
        self.b, self.net, self.staff = b, net, staff
        # what later phases need of every case, in id order, kept compactly (no random draws):
        # ids, task force index, CASE_TYPE_KEYS index, lead and originating agency ids, the
        # lead it opened with when an accepted referral moved it since (0: none), opened
        # and closed (0: open) as ordinals, CASE_STATUSES index, the case agent, another
        # member of the case (0: none), the first subject (its target or defendant), the number
        self.case_id, self.case_tf, self.case_type = array("i"), array("h"), array("h")
        self.case_lead, self.case_origin, self.case_first_lead = array("i"), array("i"), array("i")
        self.case_opened, self.case_closed, self.case_status = array("i"), array("i"), array("b")
        self.case_agent, self.case_second, self.case_subject = array("i"), array("i"), array("i")
        self.case_number: list[str] = []
        # rule 4's referrals in and rule 6's subject caveats came later: their own stream, so
        # the cases and subjects of a seed stay what they were
        self.later = b.stream(2)

    @property
    def n_subjects(self) -> int:
        return self.subjects.count

    def write(self) -> None:
        b, net = self.b, self.net
        rng, today_ord, n = b.rng, b.today_ord, b.n_cases
        start_ord = date(b.today.year - 7, 1, 1).toordinal()
        tf_picker = Picker((i, s.weight) for i, s in enumerate(net.specs))
        tf_from = [max(start_ord, r["active_from"].toordinal()) for r in net.tf_rows]
        plan = []
        for _ in range(n):
            tf_i = tf_picker(rng)
            lo = tf_from[tf_i]
            # slightly more cases in recent years
            opened = lo + int((today_ord - lo) * rng.random() ** 0.85) if today_ord > lo else today_ord
            plan.append((opened, tf_i))
        plan.sort()  # ids, and each task force's sequence numbers, in the order cases opened
        seq: dict[tuple[int, int], int] = {}
        numbered = []
        for opened, tf_i in plan:
            year = date.fromordinal(opened).year
            k = seq.get((tf_i, year), 0) + 1
            seq[(tf_i, year)] = k
            numbered.append((opened, tf_i, f"{net.specs[tf_i].prefix}-{year}-{k:04d}"))
        self._prepare()
        for first in range(0, n, BATCH_CASES):
            self._batch(numbered[first:first + BATCH_CASES])
            b.progress(min(first + BATCH_CASES, n), n)

    def _prepare(self) -> None:
        net = self.net
        self.tf_subjects: list[list[int]] = [[] for _ in net.specs]
        self.all_subjects: list[int] = []
        self.subject_name: dict[int, str] = {}
        self.type_pickers = [Picker(KIND_CASE_TYPES[s.kind].items()) for s in net.specs]
        self.slot_choices = [self._slot_choices(s) for s in net.specs]
        # per task force: who leads its cases, who refers them
        self.lead_pickers, self.origin_pickers = [], []
        for spec in net.specs:
            lead = spec.lead
            others = [p for p in spec.participants if net.agency_row[p][9] in INVESTIGATIVE
                      and net.agency_row[p][4] == "federal"]
            self.lead_pickers.append(Picker([(lead, 8.0)] + [(p, 1.0) for p in others]))
            self.origin_pickers.append(Picker([(lead, 2.0)] + [
                (p, 3.0 if net.agency_row[p][9] in ("ofo", "usbp") else 1.0) for p in spec.participants]))
        self._referred_in: dict[tuple[str, str], bool] = {}
        # it shuffles its phone pool: here, after the plan's draws, so a seed keeps its data set
        self.subjects = Subjects(self.b, self.later, net.caveat_id["eu_pnr"], self._under_cbp())

    def _under_cbp(self) -> frozenset[int]:
        """CBP and every agency under it (ports, sectors, branches), by id."""
        rows = self.b.conn.exec_driver_sql(
            "WITH RECURSIVE under(id) AS (SELECT id FROM agency WHERE ref_key = 'cbp' "
            "UNION ALL SELECT a.id FROM agency a JOIN under u ON a.parent_id = u.id) SELECT id FROM under")
        return frozenset(r[0] for r in rows)

    def _chain(self, key: str) -> list[str]:
        """A catalogue agency and the agencies above it, by key (reference agencies by ref_key)."""
        chain = [key]
        while chain[-1] in self.net.agency_row and self.net.agency_row[chain[-1]][1]:
            chain.append(self.net.agency_row[chain[-1]][1])
        return chain

    def _may_be_referred_in(self, origin: str, lead: str) -> bool:
        """Rule 4: a case its originating agency opened and led, then referred to the agency that
        now leads it: a domestic agency of another organization (a port to ICE HSI, a sheriff's
        office to the FBI), never a unit of the lead or the office above it."""
        found = self._referred_in.get((origin, lead))
        if found is None:
            found = self._referred_in[(origin, lead)] = (
                origin != lead and self.net.agency_row[origin][5] == "US"
                and lead not in self._chain(origin) and origin not in self._chain(lead))
        return found

    def _slot_choices(self, spec: TaskForceSpec) -> dict[str, tuple[str, ...]]:
        net = self.net
        region = REGIONS[spec.region]
        partners = tuple(net.agency_row[p][2] for p in spec.participants
                         if net.agency_row[p][4] in ("foreign", "international")) \
            or tuple(net.agency_row[p][2] for p in spec.participants)
        return {
            "port": region.ports, "water": region.waters, "city": region.cities, "foreign": region.foreign,
            "airport": region.airports, "seaport": region.seaports, "drug": DRUGS, "conveyance": CONVEYANCES,
            "goods": GOODS, "counterfeit": COUNTERFEITS, "country": EXPORT_COUNTRIES,
            "origin_country": ORIGIN_COUNTRIES, "weapon": WEAPONS, "offense": OFFENSES, "qty": QUANTITIES,
            "amount": AMOUNTS, "partner": partners,
        }

    def _batch(self, batch: list[tuple[int, int, str]]) -> None:
        b, net = self.b, self.net
        rng, today_ord = b.rng, b.today_ord
        case_rows, case_extras, statute_rows, caveat_rows = [], [], [], []
        cs_rows, cs_roots, cm_rows, cm_roots, note_rows, note_roots = [], [], [], [], [], []
        cav = net.caveat_id
        case_ids = b.ids("case_file", len(batch))
        for case_id, (opened, tf_i, number) in zip(case_ids, batch, strict=True):
            spec = net.specs[tf_i]
            type_key = self.type_pickers[tf_i](rng)
            ctype = CASE_TYPES[type_key]
            lead = self.lead_pickers[tf_i](rng)
            origin = self.origin_pickers[tf_i](rng)
            slots = _Slots(rng, self.slot_choices[tf_i], origin=net.agency_row[origin][2])
            titles = ctype.titles
            if spec.kind == "shiprider":
                titles = tuple(t for t in titles if "{water}" in t) or titles
            title = _fill(rng.choice(titles), slots)
            sentences = [_fill(rng.choice(ctype.synopsis), slots)]
            for extra in rng.sample(ctype.more, k=min(len(ctype.more), rng.choice((0, 1, 1, 2)))):
                sentences.append(_fill(extra, slots))
            synopsis = " ".join(sentences)
            age_years = (today_ord - opened) / 365.25
            u = rng.random()
            closed_on, reason = None, ""
            if u < min(0.5, age_years * 0.075):
                status = "closed"
                closed = opened + rng.randint(min(45, today_ord - opened), max(45, today_ord - opened))
                closed_on = date.fromordinal(min(closed, today_ord))
                reason = rng.choice(ctype.closed)
            elif u > 0.86:
                status = "pending"
            else:
                status = "open"
            priority = _PRIORITY(rng)
            statutes = [t for i, (t, p) in enumerate(ctype.statutes) if i == 0 or rng.random() < p]
            caveats = []
            if rng.random() < 0.7:
                caveats.append(cav["les"])
            if rng.random() < (ctype.pnr or 0.01):
                caveats.append(cav["eu_pnr"])
            for key, p in (("grand_jury", 0.05), ("informant", 0.04),
                           ("tax", 0.15 if type_key in ("bulk_cash", "money_laundering") else 0.0)):
                if key in cav and rng.random() < p:
                    caveats.append(cav[key])
            caveats.sort()
            # rule 4: some were opened by their originating agency and referred to their lead
            # since; the History shows the lead it opened with (the referral moves it later)
            first_lead = origin if self._may_be_referred_in(origin, lead) and self.later.random() < REFERRED_IN \
                else None
            case_rows.append(dict(id=case_id, number=number, title=title, task_force_id=net.tf_ids[tf_i],
                                  lead_agency_id=net.agency_id[lead],
                                  originating_agency_id=net.agency_id[origin],
                                  case_type=ctype.label, status=status, closed_on=closed_on,
                                  closed_reason=reason, priority=priority, opened_on=date.fromordinal(opened),
                                  synopsis=synopsis))
            statutes.sort(key=lambda s: (len(s), s))
            case_extras.append({"statutes": ", ".join(statutes),
                                "caveats": ", ".join(str(c) for c in caveats)})
            if first_lead:
                case_extras[-1]["lead_agency_id"] = net.agency_id[first_lead]
            statute_rows.extend({"case_id": case_id, "statute": s} for s in statutes)
            caveat_rows.extend({"case_id": case_id, "caveat_id": c} for c in caveats)
            root = ("case_file", case_id)

            # members: a case agent, often a co-case agent, sometimes an analyst or supervisor
            on_case = self._case_members(tf_i, opened)
            for m, role in on_case:
                cm_rows.append(dict(id=b.ids("case_member", 1)[0], case_id=case_id, member_id=m.id,
                                    role=role))
                cm_roots.append(root)

            # subjects: new ones, and about one link in ten to a subject already known
            k = _SUBJECTS_PER_CASE(rng)
            linked: list[tuple[int, str]] = []
            names: list[str] = []
            for j in range(k):
                subject_id = None
                if rng.random() < 0.1:
                    pool = self.tf_subjects[tf_i] if rng.random() < 0.75 and self.tf_subjects[tf_i] \
                        else self.all_subjects
                    if pool:
                        candidate = pool[rng.randrange(len(pool))]
                        if all(candidate != s for s, _ in linked):
                            subject_id = candidate
                            names.append(self.subject_name[candidate])
                if subject_id is None:
                    subject_id, name = self.subjects.new(spec, ctype, opened, net.agency_id[origin])
                    names.append(name)
                    self.subject_name[subject_id] = name
                    self.tf_subjects[tf_i].append(subject_id)
                    self.all_subjects.append(subject_id)
                if j == 0:
                    role = "defendant" if status == "closed" and rng.random() < 0.7 else "target"
                else:
                    role = (_OTHER_ROLE_OPEN if status == "open" else _OTHER_ROLE)(rng)
                linked.append((subject_id, role))
            for subject_id, role in linked:
                cs_rows.append(dict(id=b.ids("case_subject", 1)[0], case_id=case_id,
                                    subject_id=subject_id, role=role))
                cs_roots.append(root)
            self._keep(case_id, tf_i, type_key, lead, origin, opened, closed_on, status, on_case,
                       linked[0][0], number, first_lead)

            # notes, by the members on the case
            n_notes = _NOTES_PER_CASE(rng)
            last = closed_on.toordinal() if closed_on else today_ord
            for _ in range(n_notes):
                writer = rng.choice(on_case)[0]
                author = writer.name
                day = rng.randint(opened, max(opened, min(last, opened + 500)))
                slots["subject"] = rng.choice(names) if names else "the main subject"
                body = _fill(rng.choice(NOTES), slots)
                stamp = f"{date.fromordinal(day).isoformat()}T{rng.randint(14, 23):02d}:" \
                        f"{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"
                # the writer's agency is where a note's information came from (rule 6)
                note_rows.append(dict(id=b.ids("case_note", 1)[0], case_id=case_id,
                                      written_at=stamp, author=author, body=body,
                                      originating_agency_id=net.agency_id[writer.agency]))
                note_roots.append(root)
            if status == "closed" and rng.random() < 0.5:
                note_rows.append(dict(id=b.ids("case_note", 1)[0], case_id=case_id,
                                      written_at=f"{closed_on.isoformat()}T{rng.randint(15, 23):02d}:00:00Z",
                                      author=on_case[0][0].name, body=f"Case closed: {reason}",
                                      originating_agency_id=net.agency_id[on_case[0][0].agency]))
                note_roots.append(root)

        tx = b.tx
        tx.insert_many(S.case, case_rows, extras=case_extras)
        if statute_rows:
            b.conn.execute(S.case_statute.insert(), statute_rows)
        if caveat_rows:
            b.conn.execute(S.case_caveat.insert(), caveat_rows)
        self.subjects.flush()
        tx.insert_many(S.case_subject, cs_rows, roots=cs_roots)
        tx.insert_many(S.case_member, cm_rows, roots=cm_roots)
        tx.insert_many(S.case_note, note_rows, roots=note_roots)

    def _keep(self, case_id: int, tf_i: int, type_key: str, lead: str, origin: str, opened: int,
              closed_on: date | None, status: str, on_case: list[tuple[Member, str]],
              subject_id: int, number: str, first_lead: str | None) -> None:
        agency_id = self.net.agency_id
        self.case_id.append(case_id)
        self.case_tf.append(tf_i)
        self.case_type.append(_TYPE_CODE[type_key])
        self.case_lead.append(agency_id[lead])
        self.case_origin.append(agency_id[origin])
        self.case_first_lead.append(agency_id[first_lead] if first_lead else 0)
        self.case_number.append(number)
        self.case_opened.append(opened)
        self.case_closed.append(closed_on.toordinal() if closed_on else 0)
        self.case_status.append(_STATUS_CODE[status])
        self.case_agent.append(on_case[0][0].id)
        self.case_second.append(on_case[1][0].id if len(on_case) > 1 else 0)
        self.case_subject.append(subject_id)

    def _case_members(self, tf_i: int, opened: int) -> list[tuple[Member, str]]:
        """1–3 members serving on the task force when the case opened; one is the case agent."""
        rng = self.b.rng
        pool = self.staff.tf_members[tf_i]
        eligible = min(len(pool), max(3, bisect_right(self.staff.tf_member_starts[tf_i], opened)))
        count = min(eligible, _MEMBERS_PER_CASE(rng))
        chosen = [pool[i] for i in rng.sample(range(eligible), count)]
        serving = [m for _start, end, m in chosen if end is None or end >= opened] or [chosen[0][2]]
        agents = [m for m in serving if m.role in _AGENT_ROLES]
        others = [m for m in serving if m.role not in _AGENT_ROLES]
        if not agents:  # every case has a case agent: the task force's longest-serving agent
            agents = [next((m for _s, _e, m in pool if m.role in _AGENT_ROLES), pool[0][2])]
            others = [m for m in others if m is not agents[0]]
        result = [(agents[0], "case_agent")]
        result += [(m, "co_case_agent") for m in agents[1:]]
        result += [(m, _CASE_ROLE_OF.get(m.role, "support")) for m in others]
        return result

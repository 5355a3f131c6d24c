"""The coordination records that are not about one case: assistance requests from partner
agencies (rule 1), cooperation by state and local members (rule 8), the working groups'
meetings and action items (rule 9), details of CBP officers to ICE HSI (rule 10), decisions on
suggested subject matches, and — only where the roster would otherwise show none — one
designation expired and one expiring (rule 7)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import text

from taskforce.domain.assistance import triage_rule
from taskforce.domain.deconfliction import MIN_SCORE, SubjectFacts, normalize_name, score_match
from taskforce.domain.rules import EXPIRY_WARNING_DAYS
from taskforce.services.demo.build import Picker
from taskforce.services.demo.coordination_texts import (
    ACTION_ITEMS, ASSISTANCE_DECLINE_REASONS, ASSISTANCE_OUTCOME_NOTES, ASSISTANCE_TEXTS, COOPERATION_TEXTS,
    DETAIL_PROGRAM, EVALUATIONS, LANGUAGES, MINUTES, Fill,
)
from taskforce.services.demo.names import to_ascii
from taskforce.services.demo.people import VALIDITY_DAYS
from taskforce.services.demo.task_forces import REGIONS
from taskforce.services.tx import as_text

if TYPE_CHECKING:
    from taskforce.services.demo.coordination import Coordination

_OTHER_BASES = Picker([("officer_safety", 25), ("warrant_execution", 20), ("tactical_support", 20),
                       ("facilities", 15), ("other", 5)])
_COOPERATION = Picker([("joint_task_force", 20), ("warrant_tactical", 12), ("warrant_perimeter", 15),
                       ("equipment_facilities", 8), ("evidence_or_stop", 12), ("detainee_access", 5),
                       ("case_referral", 10), ("information_sharing", 18), ("other", 3)])
_OUTCOMES = Picker([("assisted", 70), ("partly_assisted", 20), ("withdrawn", 10)])
_SPELLINGS = (("ph", "f"), ("ck", "k"), ("mm", "m"), ("ll", "l"), ("tt", "t"), ("ie", "y"), ("ou", "u"),
              ("son", "sen"), ("ez", "es"))


class Others:
    """Written after the records of the cases, with the phase's stream and row collectors."""

    def __init__(self, co: Coordination) -> None:
        self.co = co
        self.b, self.net, self.rng = co.b, co.net, co.rng
        self.today, self.today_ord, self.n = co.today, co.today_ord, co.n

    def write(self) -> None:
        self._assistance()
        self._cooperation()
        self._meetings()
        self._details()
        self._matches()
        self._designations()

    # --- assistance requests (rule 1, 000) -----------------------------------------------------------

    def _assistance(self) -> None:
        co, rng, today = self.co, self.rng, self.today_ord
        tfs = [i for i, cbp in enumerate(co.tf_cbp) if cbp]
        if not tfs:
            return
        # the first comes from outside DHS, for translation only: referred (rule 1)
        first = [i for i in tfs if any(not co.is_dhs(p) for p in co.tf_parts[i])] or tfs
        for k in range(max(4, self.n // 20)):
            tf_i = rng.choice(tfs if k else first)
            of = rng.choice(co.tf_cbp[tf_i])
            outside = [p for p in co.tf_parts[tf_i] if not co.is_dhs(p)]
            dhs = [p for p in co.tf_parts[tf_i] if co.is_dhs(p) and not co.is_cbp(p)]
            requester = rng.choice(dhs) if dhs and k and rng.random() < 0.15 else \
                rng.choice(outside) if outside else rng.choice(dhs or co.tf_parts[tf_i])
            if k == 0 or k > 2 and rng.random() < 0.25:
                bases = ["translation"]
            else:
                bases = sorted({_OTHER_BASES(rng) for _ in range(rng.choice((1, 1, 2)))}
                               | ({"translation"} if rng.random() < 0.2 else set()))
            rule = triage_rule(bases, co.is_dhs(requester))
            # the second and third came in lately: one waits to be triaged, one is being worked
            requested = co.day(today - 20, today) if k in (1, 2) else co.day(today - 3 * 365, today)
            fill = Fill(rng, REGIONS[self.net.specs[tf_i].region])
            fill["language"] = rng.choice(LANGUAGES)
            main = next((x for x in bases if x != "translation"), "translation")
            row = dict(id=self.b.ids("assistance_request", 1)[0], requesting_agency_id=requester,
                       requested_of_agency_id=of, requested_on=date.fromordinal(requested),
                       description=rng.choice(ASSISTANCE_TEXTS[main]).format_map(fill),
                       status=rule.status.value, outcome=rule.outcome,
                       outcome_reason=rule.reason if rule.referred else "", referred_to=rule.referred_to)
            if not rule.referred:  # worked as the memorandum says: triaged, then completed or declined
                u, recent = rng.random(), today - requested < 30
                if k in (1, 2):
                    u = 0.0 if k == 1 else 0.99
                if recent and u < 0.5:
                    pass  # still open, to be triaged
                elif recent or u < 0.08:
                    row["status"] = "triaged"
                elif u < 0.88:
                    outcome = _OUTCOMES(rng)
                    row.update(status="completed", outcome=outcome, outcome_reason=ASSISTANCE_OUTCOME_NOTES[outcome])
                else:
                    row.update(status="declined", outcome="declined",
                               outcome_reason=rng.choice(ASSISTANCE_DECLINE_REASONS))
            co.add("assistance_request", row, extra={"bases": ", ".join(sorted(bases))})
            for basis in bases:
                co.link("assistance_basis", {"request_id": row["id"], "basis": basis})

    # --- cooperation by state and local members (rules 7 and 8, 002 III) ----------------------------

    def _cooperation(self) -> None:
        co, rng, today = self.co, self.rng, self.today_ord
        local = [(m, tf_i) for tf_i, pool in enumerate(co.staff.tf_members) for _s, end, m in pool
                 if co.level(co.home(m.id)) in ("state", "local", "tribal") and end is None]
        for k in range(max(4, self.n // 25) if local else 0):
            m, tf_i = rng.choice(local)
            kind = "other" if k == 0 else _COOPERATION(rng)
            self._activity(m.id, tf_i, kind, co.day(max(m.start, today - 3 * 365), today), None)
        # delegated immigration authority: only on days the 287(g) designation and its agreement
        # are both in force (the designation relied on is stored with the activity)
        tf_of = {m.id: tf_i for m, tf_i in local}
        for designation_id, member_id, effective, expires, agreement_id in self.b.conn.execute(text(
                "SELECT id, member_id, effective, expires, agreement_id FROM designation "
                "WHERE authority = '287g' ORDER BY id")):
            window = self.net.agreement_287g_dates.get(agreement_id)
            if window is None or member_id not in tf_of:
                continue
            lo = max(_d(effective), window[0]).toordinal()
            hi = min(_d(expires) if expires else self.today, window[1], self.today).toordinal()
            lo = max(lo, hi - 2 * 365)
            for _ in range(rng.randint(1, 3) if hi >= lo else 0):
                self._activity(member_id, tf_of[member_id], "delegated_immigration_authority",
                               co.day(lo, hi), designation_id)

    def _activity(self, member_id: int, tf_i: int, kind: str, day: int, designation_id: int | None) -> None:
        co, rng = self.co, self.rng
        case_id = None
        cases = co.tf_cases(tf_i)
        if cases and rng.random() < 0.7:
            i = cases[rng.randrange(len(cases))]
            if co.cases.case_opened[i] <= day <= (co.cases.case_closed[i] or self.today_ord):
                case_id = co.cases.case_id[i]
        co.add("cooperation_activity", dict(
            id=self.b.ids("cooperation_activity", 1)[0], member_id=member_id, case_id=case_id,
            activity_type=kind, occurred_on=date.fromordinal(day),
            description=rng.choice(COOPERATION_TEXTS[kind]).format_map(Fill(rng, REGIONS[self.net.specs[tf_i].region])),
            legal_review=kind == "other", designation_id=designation_id), ("member", member_id))

    # --- the working groups (rule 9) ---------------------------------------------------------------

    def _meetings(self) -> None:
        co, rng, today, net = self.co, self.rng, self.today_ord, self.net
        groups = [i for i, s in enumerate(net.specs) if s.kind == "working_group"]
        for g, tf_i in enumerate(groups):
            # the first group is late for its quarterly meeting; the others met recently
            last = today - (rng.randint(80, 120) if g == 0 else rng.randint(15, 60))
            start = max(net.tf_rows[tf_i]["active_from"].toordinal(), today - 3 * 365)
            held = [last]
            while held[-1] - 100 >= start:
                held.append(held[-1] - rng.randint(84, 98))
            held.reverse()
            lead = co.tf_lead[tf_i]
            hsi = co.tf_hsi[tf_i]
            for j, day in enumerate(held):
                meeting_id = self.b.ids("meeting", 1)[0]
                root = ("meeting", meeting_id)
                co.add("meeting", dict(id=meeting_id, task_force_id=net.tf_ids[tf_i], held_on=date.fromordinal(day),
                                       minutes=f"{rng.choice(MINUTES)} Next meeting by "
                                               f"{date.fromordinal(day + 90).isoformat()}."))
                present = co.serving(tf_i, day)
                members = rng.sample(present, min(len(present), rng.randint(3, 6)))
                for m in members:
                    co.add("meeting_attendee", dict(id=self.b.ids("meeting_attendee", 1)[0], meeting_id=meeting_id,
                                                    member_id=m.id, agency_id=None, name=""), root)
                offices = [("Director of Field Operations", lead)]
                if hsi:
                    office = rng.choice(hsi)
                    head = "Special Agent in Charge" if self.net.agency_row[co.key_of[office]][8].startswith(
                        "Special agent") else "Resident Agent in Charge"
                    offices.append((head, office))
                for title, agency_id in offices:
                    co.add("meeting_attendee", dict(id=self.b.ids("meeting_attendee", 1)[0], meeting_id=meeting_id,
                                                    member_id=None, agency_id=agency_id, name=title), root)
                overdue_one = g == 0 and j == len(held) - 1
                for t, title in enumerate(rng.sample(ACTION_ITEMS, rng.randint(1, 3))):
                    due = day + rng.randint(10, 60)
                    if overdue_one and t == 0:
                        due, done = day + rng.randint(10, 40), None  # still open: overdue (rule 9)
                    elif due < today:
                        done = None if rng.random() < 0.15 else max(day, min(today, due + rng.randint(-10, 20)))
                    else:
                        done = self.co.day(day, today) if rng.random() < 0.2 else None
                    owner_member = rng.choice(members).id if members and rng.random() < 0.5 else None
                    co.add("action_item", dict(
                        id=self.b.ids("action_item", 1)[0], meeting_id=meeting_id, task_force_id=net.tf_ids[tf_i],
                        title=title, owner_member_id=owner_member,
                        owner_agency_id=None if owner_member else rng.choice([lead, *hsi]),
                        due_on=date.fromordinal(due), status="done" if done else "open",
                        done_on=date.fromordinal(done) if done else None), root)

    # --- details (rule 10, 001 Title 21) ---------------------------------------------------------------

    def _details(self) -> None:
        co, rng, today, net = self.co, self.rng, self.today_ord, self.net
        seen: dict[int, tuple] = {}
        for tf_i, pool in enumerate(co.staff.tf_members):
            for _s, end, m in pool:
                if end is None and co.profile(co.home(m.id)) == "ofo" and m.id not in seen:
                    seen[m.id] = (m, tf_i, m.role == "officer")
        officers = [v[:2] for v in seen.values() if v[2]] or [v[:2] for v in seen.values()]
        if not officers:
            return
        chosen = rng.sample(officers, min(len(officers), max(3, min(60, self.n // 2000))))
        for k, (m, tf_i) in enumerate(chosen):
            # the first is due for its evaluation, the second evaluated, the third in its first
            # 90 days; then mostly evaluated
            u = (0.9, 0.1, 0.7)[k] if k < 3 else rng.random()
            if u >= 0.8:  # evaluation due, not yet recorded
                start = today - rng.randint(95, 140)
            elif u < 0.6:
                start = today - rng.randint(120, 900)
            else:
                start = today - rng.randint(0, 80)
            evaluation = start + 90
            evaluated = evaluation + rng.randint(0, 25) if u < 0.6 else None
            co.add("detail", dict(
                id=self.b.ids("detail", 1)[0], member_id=m.id,
                host_agency_id=net.agency_id[REGIONS[net.specs[tf_i].region].hsi], program=DETAIL_PROGRAM,
                starts_on=date.fromordinal(start), ends_on=date.fromordinal(start + rng.choice((90, 180))),
                evaluation_on=date.fromordinal(evaluation),
                evaluated_on=date.fromordinal(evaluated) if evaluated else None,
                evaluation=rng.choice(EVALUATIONS) if evaluated else ""), ("member", m.id))

    # --- decisions on suggested subject matches ----------------------------------------------------------

    def _matches(self) -> None:
        """Pairs of similar names on different cases, scored as deconfliction scores them:
        confirmed when the dates of birth agree, dismissed otherwise; and a spelling variant of
        a known person added on another case and confirmed (S11), as a small data set rarely
        holds a pair of its own."""
        co, rng, conn = self.co, self.rng, self.b.conn
        want = max(2, min(60, self.n // 1500))
        groups: dict[str, list[int]] = {}
        limit = 40_000  # the oldest subjects are enough to find a few pairs
        for subject_id, name in co.cases.subject_name.items():
            if limit == 0:
                break
            limit -= 1
            words = normalize_name(name).split()
            if len(words) < 2 or subject_id in co.organizations:
                continue
            groups.setdefault(f"{words[-1]} {words[0][0]}", []).append(subject_id)
        candidates = [(g[x], g[y]) for g in groups.values() if 1 < len(g) <= 12
                      for x in range(len(g)) for y in range(x + 1, len(g))]
        del groups
        rng.shuffle(candidates)
        candidates = candidates[:want * 12]
        facts = _facts(conn, {s for pair in candidates for s in pair})
        on_cases = _cases_of(conn, set(facts))
        found = []
        for a, b in candidates:
            if a in facts and b in facts and not on_cases.get(a, set()) & on_cases.get(b, set()):
                score = score_match(facts[a], facts[b]).score
                if score >= MIN_SCORE:
                    seen = self._opened(on_cases.get(a, set()) | on_cases.get(b, set()))
                    found.append((a, b, score, facts[a].dob is not None and facts[a].dob == facts[b].dob, seen))
        found = found[:want - 1]
        variant = self._variant() if co.n > 1 else None  # one a user confirms: one person, two records (S11)
        if variant:
            found.append(variant)
        other_sides = []
        for a, b, score, confirmed, seen in sorted(found):
            day = co.day(max(co.today_ord - 400, seen), co.today_ord)  # once both were on cases
            agent = co.cases.case_agent[rng.randrange(co.n)]
            given, family = co.member_info[agent][0].split(" ", 1)
            row = dict(id=self.b.ids("subject_match", 1)[0], subject_a_id=a, subject_b_id=b,
                       decision="confirmed" if confirmed else "dismissed",
                       decided_at=f"{date.fromordinal(day).isoformat()}T{rng.randint(14, 23):02d}:"
                                  f"{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z",
                       decided_by=to_ascii(f"{given[0]}.{family}").lower().replace(" ", "-"), score=score)
            co.add("subject_match", row, ("subject", a))
            other_sides.append((row["id"], b, {k: v for k, v in row.items() if k != "id"}))
        for match_id, b, values in other_sides:  # the same decision in the other subject's History
            self.b.tx.audit("create", "subject_match", match_id, ("subject", b),
                            new=json.dumps({k: as_text(v) for k, v in values.items()}, ensure_ascii=False))

    def _variant(self) -> tuple[int, int, int, bool, int] | None:
        """A second record of a person already known, spelled differently, on another case of
        the same region: the pair a user confirms (same date of birth)."""
        co, rng, conn, b = self.co, self.rng, self.b.conn, self.b
        cases = co.cases
        people = [i for i in range(co.n) if cases.case_subject[i] not in co.organizations] or list(range(co.n))
        i = rng.choice(people)
        subject_id = cases.case_subject[i]
        known_on = _cases_of(conn, {subject_id}).get(subject_id, set())
        kind, name, dob, nationality = conn.execute(text(
            "SELECT kind, name, dob, nationality FROM subject WHERE id = :i"), {"i": subject_id}).one()
        dob = _d(dob) if dob else None
        region = self.net.specs[cases.case_tf[i]].region
        elsewhere = [j for j in range(co.n) if cases.case_id[j] not in known_on]
        if not elsewhere:  # the person is on every case already
            return None
        others = [j for j in elsewhere if self.net.specs[cases.case_tf[j]].region == region] or elsewhere
        j = rng.choice(others)
        new_id = b.ids("subject", 1)[0]
        entered_by = conn.execute(text("SELECT coalesce(originating_agency_id, lead_agency_id) FROM case_file "
                                       "WHERE id = :i"), {"i": cases.case_id[j]}).scalar()
        co.add("subject", dict(id=new_id, kind=kind, name=_spelling(name), dob=dob, nationality=nationality,
                               originating_agency_id=entered_by))
        co.add("case_subject", dict(id=b.ids("case_subject", 1)[0], case_id=cases.case_id[j], subject_id=new_id,
                                    role="associate"), ("case_file", cases.case_id[j]))
        co.n_subjects += 1
        facts = _facts(conn, {subject_id})
        mine = SubjectFacts(new_id, kind, (_spelling(name),), dob, ())
        score = score_match(facts[subject_id], mine).score if subject_id in facts else MIN_SCORE
        return (subject_id, new_id, max(score, MIN_SCORE), True, max(cases.case_opened[i], cases.case_opened[j]))

    def _opened(self, case_ids: set[int]) -> int:
        """The day the last of these cases opened (case ids follow the order cases opened)."""
        cases = self.co.cases
        return max((cases.case_opened[c - cases.case_id[0]] for c in case_ids), default=self.today_ord)

    # --- designations (rule 7): only when the people phase left a kind empty --------------------------

    def _designations(self) -> None:
        co, rng, conn, today = self.co, self.rng, self.b.conn, self.today
        d = today.isoformat()
        expired = conn.execute(text(
            """SELECT count(*) FROM designation d WHERE d.expires < :d
               AND EXISTS (SELECT 1 FROM assignment a WHERE a.member_id = d.member_id
                           AND (a."end" IS NULL OR a."end" >= :d))
               AND NOT EXISTS (SELECT 1 FROM designation n WHERE n.member_id = d.member_id
                               AND n.authority = d.authority AND n.id <> d.id
                               AND (n.expires IS NULL OR n.expires > d.expires))"""), {"d": d}).scalar()
        warn = (today + timedelta(days=EXPIRY_WARNING_DAYS)).isoformat()
        expiring = conn.execute(text("SELECT count(*) FROM designation WHERE expires >= :d AND expires <= :w"),
                                {"d": d, "w": warn}).scalar()
        held = {(r[0], r[1]) for r in conn.execute(text("SELECT member_id, authority FROM designation"))}
        for wanted, lo, hi in ((not expired, -60, -5), (not expiring, 10, 80)):
            if not wanted:
                continue
            for tf_i, pool in enumerate(co.staff.tf_members):
                region = REGIONS[self.net.specs[tf_i].region]
                choice = next(((m, auth, grantor) for _s, end, m in pool if end is None
                               and co.level(co.home(m.id)) in ("state", "local", "tribal")
                               for auth, grantor in (("title21", region.dea), ("sdusm", region.usms))
                               if (m.id, auth) not in held), None)
                if choice:
                    m, auth, grantor = choice
                    expires = self.today_ord + rng.randint(lo, hi)
                    held.add((m.id, auth))
                    co.add("designation", dict(
                        id=self.b.ids("designation", 1)[0], member_id=m.id, authority=auth,
                        granting_agency_id=self.net.agency_id[grantor], agreement_id=None,
                        effective=date.fromordinal(expires - VALIDITY_DAYS[auth]),
                        expires=date.fromordinal(expires)), ("member", m.id))
                    break


def _d(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _spelling(name: str) -> str:
    """Another way the same name gets written: without accents, with a hyphen, or a common
    variant spelling of the family name."""
    plain = to_ascii(name)
    if plain != name:
        return plain
    given, _, family = name.partition(" ")
    if " " in family:
        return f"{given} {family.replace(' ', '-')}"
    for old, new in _SPELLINGS:
        if old in family:
            return f"{given} {family.replace(old, new, 1)}"
    return f"{family}, {given}"  # family name first, as many records write it


def _facts(conn, ids: set[int]) -> dict[int, SubjectFacts]:  # noqa: ANN001
    if not ids:
        return {}
    marks = ", ".join(str(int(i)) for i in ids)
    names: dict[int, list[str]] = {}
    rows = conn.exec_driver_sql(f"SELECT id, kind, name, dob FROM subject WHERE id IN ({marks})").all()
    for r in rows:
        names[r[0]] = [r[2]]
    for sid, alias in conn.exec_driver_sql(f"SELECT subject_id, name FROM subject_alias WHERE subject_id IN ({marks})"):
        names[sid].append(alias)
    idents: dict[int, list[tuple[str, str]]] = {}
    for sid, kind, value in conn.exec_driver_sql(
            f"SELECT subject_id, kind, value FROM subject_identifier WHERE subject_id IN ({marks})"):
        idents.setdefault(sid, []).append((kind, value))
    return {r[0]: SubjectFacts(r[0], r[1], tuple(names[r[0]]), _d(r[3]) if r[3] else None,
                               tuple(idents.get(r[0], ()))) for r in rows}


def _cases_of(conn, ids: set[int]) -> dict[int, set[int]]:  # noqa: ANN001
    out: dict[int, set[int]] = {}
    if ids:
        marks = ", ".join(str(int(i)) for i in ids)
        for sid, case_id in conn.exec_driver_sql(
                f"SELECT subject_id, case_id FROM case_subject WHERE subject_id IN ({marks})"):
            out.setdefault(sid, set()).add(case_id)
    return out

"""The coordination records of each case: support given and the feedback owed on it (rule 2),
debriefs and the briefings owed after them (rule 3), referrals (rule 4) and the case's timeline
of events, controlled deliveries among them (rule 5); the caveats they carry (rule 6).

A case the cases phase marked as referred in (``Cases.case_first_lead``) was led by its
originating agency until the referral was accepted: what happened before that day names that
agency as the case's lead (``lead_on``), and the acceptance moves the lead in the case's History
and opens the referring agency's support, as ``services.referrals.decide_referral`` does.

``CaseRecords`` is mixed into ``coordination.Coordination``: it uses the phase's random stream,
the facts it gathered (agencies by their chain, task-force pools, what was kept of each case)
and its ``add``/``link`` row collectors.
"""

from __future__ import annotations

from datetime import date
from itertools import combinations

from taskforce.services.demo.build import Picker
from taskforce.services.demo.cases import CASE_TYPE_KEYS
from taskforce.services.demo.coordination_texts import (
    ACCEPT_NOTES, BRIEFING_SUMMARIES, CONTROLLED_DELIVERY_OUTCOMES, DEBRIEF_PLACES, DECLINE_REASONS,
    EVENT_TEXTS, LEAD_REFERRAL_BASES, LEAD_REFERRAL_BASIS, NO_ACTION_REASONS, OTHER_RESULTS, REFERRAL_BASES,
    SEIZURES, SOURCED_SUPPORT_TEXTS, SUPPORT_TEXTS, WAIVER_REASONS, Fill,
)
from taskforce.services.demo.task_forces import REGIONS

# support entered by hand; referrals and controlled deliveries open their own (rule 2)
_SUPPORT_KIND = Picker([("information", 40), ("secondary_examination", 15), ("tactical_support", 12),
                        ("facilities_equipment", 8), ("other", 3)])
_ARRESTS = Picker([(0, 35), (1, 30), (2, 20), (3, 10), (4, 5)])
_SEIZURES = Picker([(0, 45), (1, 40), (2, 15)])
_EVENTS = (Picker([(0, 50), (1, 33), (2, 13), (3, 4)]),  # open
           Picker([(0, 70), (1, 25), (2, 5)]),  # pending
           Picker([(0, 30), (1, 40), (2, 22), (3, 8)]))  # closed (and then often indicted, convicted)
_EVENT_KINDS = {
    "narcotics": ("seizure", "controlled_delivery", "search_warrant", "arrest"),
    "human_smuggling": ("arrest", "seizure", "search_warrant"),
    "bulk_cash": ("seizure", "controlled_delivery", "arrest"),
    "weapons_export": ("seizure", "search_warrant", "arrest"),
    "trade_fraud": ("search_warrant", "seizure"),
    "counterfeit": ("seizure", "search_warrant"),
    "money_laundering": ("search_warrant", "seizure", "arrest"),
    "document_fraud": ("arrest", "search_warrant", "seizure"),
    "fugitive": ("arrest_warrant", "arrest"),
    "terrorism_financing": ("search_warrant", "arrest", "other"),
}
# every choice of k kinds of each type's, in its order (a cheaper rng.sample for these few)
_EVENT_SUBSETS = {t: [list(combinations(kinds, k)) for k in range(len(kinds) + 1)]
                  for t, kinds in _EVENT_KINDS.items()}
_EVENT_AGENCIES = (0, 0, 0, 1, 1, 2)  # other agencies involved in an event
_EVENT_ORDER = {k: i for i, k in enumerate(("seizure", "controlled_delivery", "search_warrant", "arrest_warrant",
                                            "arrest", "other", "indictment", "conviction"))}
_DEBRIEF_P = (0.07, 0.02, 0.25)  # by status: open, pending, closed
_REFERRED_OUT_P = 0.03  # a case its lead refers on, declined or still pending (accepted ones: referred in)
# rule 6: the share of events and debriefs marked Law Enforcement Sensitive, of debriefs marked
# grand jury material, and of the events CBP leads whose lead came from EU PNR data
_LES_P, _GRAND_JURY_P, _EU_PNR_EVENT_P = 0.6, 0.1, 0.05


class CaseRecords:
    """The records of one case at a time (see the module's docstring for what it relies on)."""

    def forced(self) -> set[int]:
        """One item of each case-bound kind that needs attention today: overdue feedback, a
        briefing owed, a pending referral."""
        c, rng, today = self.cases, self.rng, self.today_ord
        old = [i for i in range(self.n) if c.case_opened[i] + self.tf_interval[c.case_tf[i]] < today
               and c.case_status[i] != 2]
        if old:
            self.support(rng.choice(old), state="overdue")
        else:  # every case opened recently: the obligation is on the task force, not a case
            self.support(None, state="overdue")
        self.support(rng.randrange(self.n), state="closed")  # with a seizure among its results
        self._events(rng.randrange(self.n), at_least=1)
        not_cbp = [i for i in range(self.n) if not self.is_cbp(self.home_of[c.case_agent[i]])]
        self.debrief(rng.choice(not_cbp) if not_cbp else rng.randrange(self.n), owed_open=True)
        # preferably a case not referred in (whose new lead would refer it on after the decision)
        live = [i for i in range(self.n) if c.case_status[i] != 2 and i not in self.accepted] or \
            [i for i in range(self.n) if c.case_status[i] != 2] or list(range(self.n))
        pending = rng.choice(live)
        self.referral(pending, state="pending")
        return {pending}

    def plan_referrals_in(self) -> None:
        """Rule 4: when each case referred in was referred and accepted (the day its lead moved),
        known before its other records, which name the lead of their day."""
        c, today = self.cases, self.today_ord
        for i, first in enumerate(c.case_first_lead):
            if first:
                opened, end = c.case_opened[i], c.case_closed[i] or today
                referred = self.day(opened, min(end, opened + 15))
                self.accepted[i] = (referred, min(end, referred + self.rng.randint(1, 20)))

    def lead_on(self, i: int, day: int) -> int:
        """The agency leading case ``i`` on a day: the one it opened with until an accepted
        referral moved the lead (rule 4)."""
        first = self.cases.case_first_lead[i]
        return first if first and day < self.accepted[i][1] else self.cases.case_lead[i]

    def records_of(self, i: int, forced_referral: set[int]) -> None:
        """Case ``i``'s events (about one per case), support entered by hand (one case in four,
        besides what referrals and controlled deliveries open), a debrief
        (mostly of closed cases: about one case in ten) and a referral (one in fifteen: the
        accepted ones of the cases referred in, a few declined or pending)."""
        rng = self.rng
        self._events(i)
        u = rng.random()
        if u < 0.22:
            self.support(i)
            if u < 0.035:
                self.support(i)
        if rng.random() < _DEBRIEF_P[self.cases.case_status[i]]:
            self.debrief(i)
        if i in self.accepted:
            self.referral(i, state="accepted")
        elif rng.random() < _REFERRED_OUT_P and i not in forced_referral:
            self.referral(i)
        if rng.random() < 0.02:
            self.authorization(i)

    # --- release authorizations (rule 6) ----------------------------------------------------------

    def authorization(self, i: int) -> None:
        """A whole case released to a partner of its task force that is a third party to the
        case's agencies: what a supervisor records before a joint briefing."""
        c, rng = self.cases, self.rng
        tf_i = c.case_tf[i]
        partners = [a for a in self.tf_parts[tf_i] if not self.is_dhs(a)] or self.tf_parts[tf_i]
        opened = c.case_opened[i]
        n = self.b.ids("release_authorization", 1)[0]
        self.add("release_authorization", {
            "id": n, "item_kind": "case", "case_id": c.case_id[i], "recipient_agency_id": rng.choice(partners),
            "authorized_by": self.fictitious(rng.choice(("SAC", "ASAC", "Director of Field Operations", "Chief"))),
            "authorized_on": date.fromordinal(self.day(opened, self.today_ord)),
            "reference": f"{self.net.specs[tf_i].kind.upper()}-REL-{n}",
        }, ("case_file", c.case_id[i]))

    # --- support and feedback (rule 2) --------------------------------------------------------------

    def support(self, i: int | None, state: str | None = None) -> None:
        """Support given by hand on case ``i`` (or on no case), and its feedback when closed.

        ``state`` forces "overdue" (open, past due today) or "closed" (with a seizure among the
        results); by default older obligations are mostly closed and a few stay overdue,
        recent ones open."""
        c, rng, net, today = self.cases, self.rng, self.net, self.today_ord
        if i is None:
            tf_i, type_key, opened, end = 0, "narcotics", today - 400, today
        else:
            tf_i, type_key = c.case_tf[i], CASE_TYPE_KEYS[c.case_type[i]]
            opened, end = c.case_opened[i], c.case_closed[i] or today
        interval = self.tf_interval[tf_i]
        if state == "overdue":
            given = self.day(max(opened, today - interval - 120), today - interval - 1)
        else:
            given = self.day(opened, min(end, opened + 540))
        lead = self.tf_lead[0] if i is None else self.lead_on(i, given)  # rule 4: the lead of that day
        kind = _SUPPORT_KIND(rng)
        givers = self._givers(tf_i, lead, kind)
        if not givers:
            kind, givers = "information", self._givers(tf_i, lead, "information")
            if not givers:
                return
        giver, receiver = rng.choice(givers), lead
        if kind in ("information", "other") and rng.random() < 0.15:
            giver, receiver = receiver, giver  # the lead shares with a partner, who then owes feedback
        fill = Fill(rng, REGIONS[net.specs[tf_i].region], case_type=type_key)
        caveats = [net.caveat_id["les"]] if rng.random() < 0.7 else []
        if kind == "information" and self.is_cbp(giver) and rng.random() < 0.05:
            caveats.append(net.caveat_id["eu_pnr"])
        self.obligation(i, tf_i, giver, receiver, kind, given, rng.choice(SUPPORT_TEXTS[kind]).format_map(fill),
                        caveats, state)

    def obligation(self, i: int | None, tf_i: int, giver: int, receiver: int, kind: str, given: int,
                   description: str, caveats: list[int], state: str | None = None,
                   referral_id: int | None = None, event_id: int | None = None) -> None:
        """One support record, due after the task force's interval (rule 2), with its feedback
        when closed. ``referral_id``/``event_id``: the accepted referral or the controlled
        delivery that opened it, as ``services.feedback.open_obligation`` names them."""
        b, c, rng, net, today = self.b, self.cases, self.rng, self.net, self.today_ord
        type_key = "narcotics" if i is None else CASE_TYPE_KEYS[c.case_type[i]]
        agent = None if i is None else c.case_agent[i]
        due = given + self.tf_interval[tf_i]
        if state is None:
            late = today - due
            p_closed = 0.35 if late <= 0 else 0.75 if late < 90 else 0.9 if late < 365 else 0.97
            closed = rng.random() < p_closed
        else:
            closed = state == "closed"
        reported = min(today, given + rng.randint(2, self.tf_interval[tf_i] + 30)) if closed else None
        support_id = b.ids("support", 1)[0]
        self.add("support", dict(
            id=support_id, task_force_id=net.tf_ids[tf_i], case_id=c.case_id[i] if i is not None else None,
            from_agency_id=giver, to_agency_id=receiver, originating_agency_id=giver, kind=kind,
            given_on=date.fromordinal(given), description=description, feedback_due_on=date.fromordinal(due),
            feedback_closed_on=date.fromordinal(reported) if reported else None,
            referral_id=referral_id, event_id=event_id),
            extra={"caveats": ", ".join(sorted(str(x) for x in caveats))})
        for caveat in caveats:
            self.link("support_caveat", {"support_id": support_id, "caveat_id": caveat})
        if reported is None:
            return
        fill = Fill(rng, REGIONS[net.specs[tf_i].region], case_type=type_key)
        reporter = agent if agent and self.home_of[agent] == receiver and rng.random() < 0.5 else \
            self.pick_on(self.tf_by_agency[tf_i].get(receiver), reported)
        reported_by = self.full_name(reporter) if reporter else self.fictitious("Special Agent")
        root = ("support", support_id)
        feedback_id = b.ids("feedback", 1)[0]
        row = dict(id=feedback_id, support_id=support_id, reported_on=date.fromordinal(reported),
                   reported_by=reported_by, no_action=False, no_action_reason="", arrests=0, indictments=0,
                   prosecutions=0, convictions=0, penalties_usd=0, other="")
        if rng.random() < 0.15 and state != "closed":
            row.update(no_action=True, no_action_reason=rng.choice(NO_ACTION_REASONS))
            self.add("feedback", row, root)
            return
        arrests = _ARRESTS(rng)
        n_seizures = _SEIZURES(rng) + (kind in ("controlled_delivery", "secondary_examination"))
        if arrests and rng.random() < 0.5:
            row["indictments"] = rng.randint(1, arrests)
            if rng.random() < 0.6:
                row["prosecutions"] = row["indictments"]
                if i is not None and c.case_status[i] == 2 and rng.random() < 0.6:
                    row["convictions"] = rng.randint(1, row["prosecutions"])
        if type_key in ("trade_fraud", "counterfeit") and rng.random() < 0.4:
            row["penalties_usd"] = rng.randint(10, 2_000) * 1_000
        if rng.random() < 0.2:
            row["other"] = rng.choice(OTHER_RESULTS).format_map(fill)
        if not (arrests or n_seizures or row["penalties_usd"] or row["other"]) or state == "closed":
            n_seizures = max(n_seizures, 1)
        row["arrests"] = arrests
        self.add("feedback", row, root)
        for _ in range(min(n_seizures, 2)):
            self.add("seizure", self.seizure(feedback_id, type_key), root)

    def _givers(self, tf_i: int, lead: int, kind: str) -> list[int]:
        """Who in the task force gives this kind of support to the case's lead (cached)."""
        key = (tf_i, lead, kind)
        found = self._giver_cache.get(key)
        if found is None:
            parts = [p for p in self.tf_parts[tf_i] if p != lead]
            if kind in ("secondary_examination", "controlled_delivery"):  # at the ports, either side
                found = [p for p in parts if self.is_cbp(p) or self.profile(p) == "cbsa"]
            elif kind == "tactical_support":
                found = [p for p in parts if self.level(p) in ("state", "local", "tribal")
                         or self.profile(p) in ("usbp", "usms")]
            elif kind == "facilities_equipment":
                found = [p for p in parts if self.profile(p) in ("amo", "uscg", "ofo", "state", "sheriff")]
            else:
                found = parts
            self._giver_cache[key] = found
        return found

    def seizure(self, feedback_id: int, type_key: str) -> dict:
        rng = self.rng
        commodity, unit, lo, hi, per_unit = rng.choice(SEIZURES[type_key])
        if hi >= 1_000 or unit in ("units", "rounds", "pills"):
            quantity = rng.randint(int(lo), int(hi))
            if unit in ("USD", "CAD") or quantity >= 1_000:
                quantity = max(1, round(quantity, -2))
            text = str(quantity)
        else:
            quantity = round(rng.uniform(lo, hi), 1)
            text = f"{quantity:g}"
        value = round(quantity * per_unit, -2) if per_unit else 0
        return dict(id=self.b.ids("seizure", 1)[0], feedback_id=feedback_id, commodity=commodity,
                    quantity=text, unit=unit, value_usd=int(value))

    # --- debriefs (rule 3) -------------------------------------------------------------------------

    def debrief(self, i: int, owed_open: bool = False) -> None:
        """A defendant interview on case ``i``; no CBP participant opens a briefing owed, which
        is then mostly briefed, sometimes waived with a reason, and open for the recent ones.
        ``owed_open`` forces a debrief without a CBP officer whose briefing is still owed."""
        b, c, rng, net, today = self.b, self.cases, self.rng, self.net, self.today_ord
        tf_i, opened = c.case_tf[i], c.case_opened[i]
        end = c.case_closed[i] or today
        held = self.day(min(end, opened + 30), end)
        lead = self.lead_on(i, held)  # rule 4: the lead of that day
        spec = net.specs[tf_i]
        usao, places = DEBRIEF_PLACES[spec.region]
        debrief_id = b.ids("debrief", 1)[0]
        participants: list[tuple[int | None, str, int, str]] = []  # member, outside name, agency, role
        agent, second = c.case_agent[i], c.case_second[i]
        for member_id, role in ((agent, "interviewer"), (second, "note_taker")):
            if member_id:
                participants.append((member_id, "", self.home(member_id), role))
        if not owed_open and rng.random() < 0.7:
            officer = self.pick_on(self.tf_cbp_members[tf_i], held, (agent, second)) or \
                self.pick_on(self.region_cbp_members[spec.region], held, (agent, second))
            if officer:
                participants.append((officer, "", self.home(officer), "subject_matter_expert"))
            elif self.tf_cbp[tf_i]:  # nobody of the task force's CBP then: an officer of its port
                participants.append((None, self.fictitious("CBPO"), rng.choice(self.tf_cbp[tf_i]),
                                     "subject_matter_expert"))
        if owed_open:
            participants = [p for p in participants if not self.is_cbp(p[2])]
        if rng.random() < 0.8 or not participants:
            participants.append((None, self.fictitious("AUSA"), net.agency_id[usao], "counsel"))
        if rng.random() < 0.15 and not (owed_open and self.is_cbp(lead)):
            participants.append((None, self.fictitious("Interpreter"), lead, "interpreter"))
        # rule 3: a member counts by home agency (their entry above), an outside person by the
        # agency given, as services.debriefs judges them
        owed = not any(self.is_cbp(p[2]) for p in participants)
        defendant = c.case_subject[i] if c.case_subject[i] not in self.organizations else None
        row = dict(id=debrief_id, case_id=c.case_id[i], defendant_subject_id=defendant,
                   lead_agency_id=lead, held_on=date.fromordinal(held), place=rng.choice(places),
                   prosecutor_office=net.agency_row[usao][2], briefing_owed=owed, briefed_on=None,
                   briefed_by="", briefed_to="", briefing_summary="", waived_on=None, waiver_reason="")
        if owed and not owed_open:
            age = today - held
            u = rng.random()
            if age >= 10 and u < 0.75 or age < 10 and u < 0.3:
                scbpo = self.scbpo.get(spec.region)
                row.update(briefed_on=date.fromordinal(held + rng.randint(0, min(21, age))),
                           briefed_by=self.full_name(agent),
                           briefed_to=rng.choice(scbpo) if scbpo else self.fictitious("Supervisory CBP Officer"),
                           briefing_summary=rng.choice(BRIEFING_SUMMARIES).format_map(
                               Fill(rng, REGIONS[spec.region])))
            elif age >= 10 and u < 0.87:
                row.update(waived_on=date.fromordinal(held + rng.randint(0, min(14, age))),
                           waiver_reason=rng.choice(WAIVER_REASONS))
        caveats = self.caveats(_GRAND_JURY_P, "grand_jury")
        self.add("debrief", row, ("case_file", c.case_id[i]), {"caveats": ", ".join(map(str, caveats))})
        for caveat in caveats:
            self.link("debrief_caveat", {"debrief_id": debrief_id, "caveat_id": caveat})
        root = ("debrief", debrief_id)
        for member_id, outside, agency_id, role in participants:
            self.add("debrief_participant", dict(
                id=b.ids("debrief_participant", 1)[0], debrief_id=debrief_id, member_id=member_id,
                outside_name=outside, agency_id=agency_id, role=role), root)

    # --- referrals (rule 4) --------------------------------------------------------------------------

    def referral(self, i: int, state: str | None = None) -> None:
        """Rule 4: only the case's lead of the day refers it. Accepted: a case referred in, from
        the agency it opened with to the one that leads it now (the acceptance moves the lead
        and opens the referring agency's support, rule 2). Otherwise the lead refers it on and
        the other agency declines (with the reason), or has not decided yet (open cases)."""
        b, c, rng, today = self.b, self.cases, self.rng, self.today_ord
        tf_i, lead, opened = c.case_tf[i], c.case_lead[i], c.case_opened[i]
        end, type_key = c.case_closed[i] or today, CASE_TYPE_KEYS[c.case_type[i]]
        if state is None:
            state = "declined" if rng.random() < 0.6 or c.case_status[i] == 2 else "pending"
        if state == "accepted":
            giver, receiver = c.case_first_lead[i], lead
            referred, decided = self.accepted[i]
            reason = rng.choice(ACCEPT_NOTES)
        else:
            others = [p for p in self.tf_inv[tf_i] + [self.tf_lead[tf_i]] if p != lead] \
                or [p for p in self.tf_parts[tf_i] if p != lead]
            if not others:
                return
            giver, receiver = lead, rng.choice(others)
            if state == "declined":
                referred = self.day(opened, end)
                decided = min(today, referred + rng.randint(2, 30))
                reason = rng.choice(DECLINE_REASONS)
            else:  # by the lead of today: after the decision that made it the lead, if any
                since = max(opened, today - 45, self.accepted[i][1] if i in self.accepted else 0)
                referred, decided, reason = self.day(since, today), None, ""
        from_member = self.pick_on(self.tf_by_agency[tf_i].get(giver), referred)
        if state == "accepted":
            basis = rng.choice(REFERRAL_BASES[type_key])
        else:
            basis = LEAD_REFERRAL_BASES.get(self.profile(receiver), LEAD_REFERRAL_BASIS)
        referral_id = b.ids("referral", 1)[0]
        self.add("referral", dict(
            id=referral_id, case_id=c.case_id[i], from_agency_id=giver,
            from_member_id=from_member, to_agency_id=receiver,
            referred_on=date.fromordinal(referred),
            basis=basis.format_map(Fill(rng, REGIONS[self.net.specs[tf_i].region], case_type=type_key)),
            status=state, decided_on=date.fromordinal(decided) if decided else None, decision_reason=reason),
            ("case_file", c.case_id[i]))
        if state == "accepted":
            # 001: "OI will have the lead for investigations they accept from OFO."
            self.lead_moves.append((c.case_id[i], giver, receiver))
            self.obligation(i, tf_i, giver, receiver, "referral", decided,
                            SOURCED_SUPPORT_TEXTS["referral"].format(number=c.case_number[i]), [],
                            referral_id=referral_id)

    def caveats(self, p_more: float = 0.0, more: str = "") -> list[int]:
        """Rule 6: the caveats of an event or a debrief: mostly Law Enforcement Sensitive, and
        with probability ``p_more`` the caveat ``more`` too."""
        rng, ids = self.rng, self.net.caveat_id
        found = [ids["les"]] if rng.random() < _LES_P else []
        if more in ids and rng.random() < p_more:
            found.append(ids[more])
        return sorted(found)

    # --- case events (rule 5) ------------------------------------------------------------------------

    def _events(self, i: int, at_least: int = 0) -> None:
        """The case's timeline: warrants, arrests, seizures, controlled deliveries (led by ICE
        HSI or the task force's own investigative lead, with their outcome), and for closed
        cases often the indictment and the conviction."""
        b, c, rng, today = self.b, self.cases, self.rng, self.today_ord
        status, tf_i = c.case_status[i], c.case_tf[i]
        k = max(at_least, _EVENTS[status](rng))
        type_key = CASE_TYPE_KEYS[c.case_type[i]]
        closed = status == 2
        if not k and not closed:
            return
        subsets = _EVENT_SUBSETS[type_key][min(k, len(_EVENT_KINDS[type_key]))]
        kinds = list(subsets[int(rng.random() * len(subsets))])
        if closed and rng.random() < 0.6:
            kinds += ["indictment", "conviction"]
        elif not closed and k and rng.random() < 0.15:
            kinds.append("indictment")
        if not kinds:
            return
        kinds.sort(key=_EVENT_ORDER.__getitem__)
        opened, end = c.case_opened[i], c.case_closed[i] or today
        days = sorted(self.day(opened, end) for _ in kinds)
        spec = self.net.specs[tf_i]
        fill = Fill(rng, REGIONS[spec.region], self.subject_label(c.case_subject[i]), type_key)
        root = ("case_file", c.case_id[i])
        investigative = self.net.tf_rows[tf_i]["investigative_lead_agency_id"]
        for kind, day in zip(kinds, days, strict=True):
            event_lead, outcome, origin = self.lead_on(i, day), "", None
            if kind == "controlled_delivery":  # rule 5: ICE HSI, or the task force's own investigative lead
                if not (self.is_hsi(event_lead) or event_lead == investigative):
                    event_lead = rng.choice(self.tf_hsi[tf_i]) if self.tf_hsi[tf_i] else investigative
                if event_lead is None:  # nobody here may lead one (rule 5): no controlled delivery
                    continue
                outcome = rng.choice(CONTROLLED_DELIVERY_OUTCOMES).format(n=rng.randint(1, 4))
            event_id = b.ids("case_event", 1)[0]
            others = self._givers(tf_i, event_lead, "information")  # the task force's agencies but the lead
            n_agencies = min(len(others), _EVENT_AGENCIES[int(rng.random() * 6)])
            agencies = rng.sample(others, n_agencies) if n_agencies else []
            if kind == "controlled_delivery":
                # the port (or the Canadian office) that found the load hands it over
                ports = self._givers(tf_i, event_lead, "controlled_delivery")
                if ports and not set(agencies) & set(ports):
                    agencies = [rng.choice(ports), *agencies[1:]]
                elif not agencies and others:
                    agencies = [rng.choice(others)]
            caveats = self.caveats()
            if kind in ("seizure", "arrest") and self.is_cbp(event_lead) and rng.random() < _EU_PNR_EVENT_P:
                # a traveller stopped on PNR targeting: CBP reported it, and the item says so (rule 6)
                caveats, origin = sorted((*caveats, self.net.caveat_id["eu_pnr"])), event_lead
            self.add("case_event", dict(
                id=event_id, case_id=c.case_id[i], kind=kind, occurred_on=date.fromordinal(day),
                lead_agency_id=event_lead, description=rng.choice(EVENT_TEXTS[kind]).format_map(fill),
                outcome=outcome, originating_agency_id=origin), root,
                {"agencies": ", ".join(sorted(str(a) for a in agencies)), "caveats": ", ".join(map(str, caveats))})
            for agency_id in agencies:
                self.link("case_event_agency", {"event_id": event_id, "agency_id": agency_id})
            for caveat in caveats:
                self.link("case_event_caveat", {"event_id": event_id, "caveat_id": caveat})
            if kind == "controlled_delivery":
                # rule 2: support given to its lead by each other agency involved
                text = SOURCED_SUPPORT_TEXTS["controlled_delivery"].format(number=c.case_number[i])
                for giver in sorted(agencies):
                    self.obligation(i, tf_i, giver, event_lead, "controlled_delivery", day, text, [],
                                    event_id=event_id)

"""The members of the task forces: who serves where, their cross-designations and training."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from itertools import accumulate

from taskforce.services.demo.agencies import LEVEL_OF_PROFILE_STATE_LOCAL, RANKS
from taskforce.services.demo.build import Build, Picker
from taskforce.services.demo.names import NAME_GROUPS, person_name, to_ascii
from taskforce.services.demo.network import Network
from taskforce.services.demo.task_forces import CANADIAN_AREA_CODES, REGIONS
from taskforce.store import schema as S

TRAINING = {
    "general": (("Port of entry interdiction", "CBP Academy"),
                ("Bulk currency smuggling", "FLETC"),
                ("Fraudulent documents", "FLETC"),
                ("Anti-corruption", "ILEA San Salvador"),
                ("Human smuggling and trafficking indicators", "ILEA San Salvador"),
                ("Interviewing and interrogation", "FLETC"),
                ("Trade-based money laundering", "ILEA Budapest"),
                ("Firearms trafficking", "ATF National Academy"),
                ("Criminal intelligence analysis", "Northwest HIDTA Training Program"),
                ("Counter-proliferation investigations", "ICE HSI"),
                ("Undercover operations", "FLETC")),
    "maritime": (("Maritime law enforcement boarding officer", "USCG Maritime Law Enforcement Academy"),
                 ("Small boat operations", "CBP Air and Marine Operations")),
    "fugitive": (("Fugitive investigations", "U.S. Marshals Service Training Academy"),
                 ("High-risk warrant service", "U.S. Marshals Service Training Academy")),
    "title19": ("Title 19 cross-designation training", "ICE HSI"),
    "title21": ("DEA task force officer orientation", "DEA Training Academy"),
    "287g": ("287(g) basic immigration enforcement training", "ICE Academy, FLETC Charleston"),
    "shiprider": ("ShipRider cross-border maritime law enforcement course",
                  "RCMP Pacific Region Training Centre"),
    "sdusm": ("Special deputation orientation", "U.S. Marshals Service"),
}

VALIDITY_DAYS = {"title19": 730, "title21": 1095, "287g": 1095, "sdusm": 365, "shiprider": 1095}

# when a designation expires, relative to today: (share, lowest day offset, highest day offset)
EXPIRY_BUCKETS = ((0.14, -700, -1), (0.05, 0, 30), (0.05, 31, 60), (0.05, 61, 90), (0.71, 91, 900))


def member_count(cases: int) -> int:
    return max(30, min(5000, cases // 20))


def _weighted(rng: random.Random, items: list, weights: list[float]):  # noqa: ANN202
    return rng.choices(items, cum_weights=list(accumulate(weights)))[0]


@dataclass
class Member:
    id: int
    name: str  # "Given Family", as notes name their author
    agency: str  # catalogue key
    role: str  # assignment role on the primary task force
    start: int  # ordinal of the earliest assignment start


class Staff:
    """Written after the task forces they serve on; the cases then draw their members from
    ``tf_members``."""

    def __init__(self, b: Build, net: Network) -> None:
        self.b, self.net = b, net
        self.us_member_picker = Picker((g, g[4]) for g in NAME_GROUPS)
        self.ca_member_picker = Picker((g, g[5]) for g in NAME_GROUPS)
        self.emails: dict[str, int] = {}  # how many have each address so far: namesakes get a number
        self.n_members = 0

    def write(self) -> None:
        b, net = self.b, self.net
        rng, today_ord = b.rng, b.today_ord
        total = member_count(b.n_cases)
        specs = net.specs
        weights = [s.weight for s in specs]
        # at least four (up to six) members per task force, the rest by its share of cases
        per_tf = [max(4, min(6, total // len(specs)))] * len(specs)
        spare = max(0, total - sum(per_tf))
        wsum = sum(weights)
        for i, w in enumerate(weights):
            per_tf[i] += int(spare * w / wsum)
        per_tf[0] += total - sum(per_tf)
        member_rows, assign_rows, assign_roots = [], [], []
        first_case_day = date(b.today.year - 7, 1, 1).toordinal()
        members: list[tuple[Member, int, list[int]]] = []  # member, primary tf index, all tf indexes
        ids = iter(b.ids("member", sum(per_tf)))
        for tf_i, (spec, count) in enumerate(zip(specs, per_tf, strict=True)):
            staffed = [p for p in (spec.lead, *spec.participants) if net.agency_row[p][9]]
            picker = Picker((p, 4.0 if p == spec.lead else 1.0) for p in staffed)
            tf_from = net.tf_rows[tf_i]["active_from"].toordinal()
            # the third member shows what is special about the task force: a 287(g) deputy,
            # a ShipRider from the other country
            special = [p for p in staffed if p in net.agreement_287g
                       or (spec.kind == "shiprider" and net.agency_row[p][5] == "CA"
                           and p.startswith("rcmp"))]
            for k in range(count):
                # the first members: the lead agency's supervisor and an agent, then a mix
                if k < 2 and net.agency_row[spec.lead][9]:
                    agency = spec.lead
                elif k == 2 and special:
                    agency = rng.choice(special)
                else:
                    agency = picker(rng)
                row = net.agency_row[agency]
                ranks = RANKS[row[9]]
                if k == 0:
                    rank, role = next(((r, ro) for r, ro, _w in ranks if ro == "supervisor"), ranks[0][:2])
                elif k == 1:
                    rank, role = next(((r, ro) for r, ro, _w in ranks if ro in ("special_agent", "officer")),
                                      ranks[0][:2])
                else:
                    rank, role, _w = _weighted(rng, ranks, [r[2] for r in ranks])
                if row[4] in ("foreign", "international") and spec.kind in ("jttf", "best", "working_group",
                                                                              "fugitive", "other"):
                    role = "attache"
                group = (self.ca_member_picker if row[5] == "CA" else self.us_member_picker)(rng)
                if row[5] == "MX":
                    group = NAME_GROUPS[1]
                given, family = person_name(rng, group)
                member_id = next(ids)
                codes = tuple(c for c in REGIONS[spec.region].area_codes
                              if (c in CANADIAN_AREA_CODES) == (row[5] == "CA")) or ("202",)
                member_rows.append(dict(id=member_id, family_name=family, given_names=given, rank_title=rank,
                                        home_agency_id=net.agency_id[agency],
                                        email=self._email(given, family), phone=self._phone(codes)))
                earliest = max(tf_from, today_ord - 9 * 365)
                # the first three were there from the start, so the oldest cases have agents too
                start = rng.randint(earliest, max(earliest, first_case_day) if k < 3 else today_ord - 45)
                m = Member(member_id, f"{given} {family}", agency, role, start)
                tfs = [tf_i]
                end = None
                if k >= 3 and rng.random() < 0.08:
                    # left the task force; the record stays for the cases they worked
                    end = rng.randint(start + 180, today_ord - 1) if start + 180 < today_ord - 1 else None
                assign_rows.append(dict(member_id=member_id, task_force_id=net.tf_ids[tf_i], role=role,
                                        start=date.fromordinal(start),
                                        end=date.fromordinal(end) if end else None))
                assign_roots.append(("member", member_id))
                # some also serve on a second task force in the same region (e.g. JTTF and fugitive)
                if rng.random() < 0.1:
                    others = [j for j, s in enumerate(specs) if j != tf_i and s.region == spec.region]
                    if others:
                        j = rng.choice(others)
                        second_start = rng.randint(start, today_ord - 30)
                        assign_rows.append(dict(member_id=member_id, task_force_id=net.tf_ids[j],
                                                role=role, start=date.fromordinal(second_start), end=None))
                        assign_roots.append(("member", member_id))
                        tfs.append(j)
                members.append((m, tf_i, tfs))
        des_rows, des_roots, train_rows, train_roots, earlier = self._designations_and_training(members)
        for row in assign_rows:  # assigned to the task force before being designated for it
            start = earlier.get(row["member_id"])
            if start is not None and row["start"] > start:
                row["start"] = start
        b.tx.insert_many(S.member, member_rows)
        b.tx.insert_many(S.assignment, assign_rows, roots=assign_roots)
        b.tx.insert_many(S.designation, des_rows, roots=des_roots)
        b.tx.insert_many(S.training, train_rows, roots=train_roots)
        self.n_members = len(member_rows)
        # who served on each task force and when (start, end), for the members of its cases
        member_of = {m.id: m for m, _primary, _tfs in members}
        tf_index = {tf_id: i for i, tf_id in enumerate(net.tf_ids)}
        self.tf_members: list[list[tuple[int, int | None, Member]]] = [[] for _ in specs]
        for row in assign_rows:
            self.tf_members[tf_index[row["task_force_id"]]].append(
                (row["start"].toordinal(), row["end"].toordinal() if row["end"] else None,
                 member_of[row["member_id"]]))
        for pool in self.tf_members:
            pool.sort(key=lambda e: (e[0], e[2].id))
        self.tf_member_starts = [[e[0] for e in pool] for pool in self.tf_members]

    def _designations_and_training(self, members: list[tuple[Member, int, list[int]]]) -> tuple:
        """Designation and training rows, and the members whose assignment must start earlier."""
        net = self.net
        rng, today_ord = self.b.rng, self.b.today_ord
        wanted: list[tuple[Member, str, str, int | None]] = []  # member, authority, granting key, agreement
        for m, _primary, tfs in members:
            row = net.agency_row[m.agency]
            level, profile = row[4], row[9]
            granted: set[str] = set()
            for tf_i in tfs:
                spec = net.specs[tf_i]
                region = REGIONS[spec.region]

                def add(authority: str, grantor: str, agreement: int | None = None) -> None:
                    if authority not in granted:
                        granted.add(authority)
                        wanted.append((m, authority, grantor, agreement))

                if level in LEVEL_OF_PROFILE_STATE_LOCAL:
                    if spec.kind in ("best", "ibet", "shiprider", "working_group") and rng.random() < 0.8:
                        add("title19", region.hsi)
                    if spec.kind in ("best", "other") and rng.random() < 0.45:
                        add("title21", region.dea)
                    if spec.kind == "fugitive" and rng.random() < 0.9:
                        add("sdusm", spec.lead)
                    if spec.kind == "jttf" and rng.random() < 0.75:
                        add("sdusm", region.usms)
                    if m.agency in net.agreement_287g and rng.random() < 0.75:
                        add("287g", region.ero, net.agreement_287g[m.agency])
                elif level == "federal":
                    if profile == "hsi" and rng.random() < 0.4:
                        add("title21", region.dea)
                    elif profile in ("dea", "fbi", "atf", "irs", "usms") and spec.kind in ("best", "ibet") \
                            and rng.random() < 0.6:
                        add("title19", region.hsi)
                    elif profile == "uscg" and spec.kind == "shiprider":
                        add("shiprider", region.rcmp, net.shiprider_id)
                elif profile == "rcmp" and spec.kind == "shiprider":
                    add("shiprider", spec.lead, net.shiprider_id)
        # spread expiries over the buckets, guaranteeing each bucket once when there is room
        n = len(wanted)
        buckets = []
        for i, (share, _lo, _hi) in enumerate(EXPIRY_BUCKETS):
            buckets += [i] * max(1 if n >= len(EXPIRY_BUCKETS) else 0, round(share * n))
        while len(buckets) < n:
            buckets.append(len(EXPIRY_BUCKETS) - 1)
        buckets = buckets[:n]
        rng.shuffle(buckets)
        des_rows: list[dict] = []
        des_roots: list[tuple[str, int]] = []
        training: list[tuple] = []
        starts_changed: dict[int, int] = {}
        for (m, authority, grantor, agreement), bucket in zip(wanted, buckets, strict=True):
            _share, lo, hi = EXPIRY_BUCKETS[bucket]
            if lo > 0:  # still in force: granted at least a week ago, for its validity period
                hi = max(lo, min(hi, VALIDITY_DAYS[authority] - 7))
            expires = today_ord + rng.randint(lo, hi)
            if agreement in net.agreement_287g_dates:
                ag_eff, ag_exp = net.agreement_287g_dates[agreement]
                expires = min(expires, ag_exp.toordinal())  # never beyond the agreement it rests on
            effective = expires - VALIDITY_DAYS[authority]
            if agreement in net.agreement_287g_dates:
                effective = max(effective, net.agreement_287g_dates[agreement][0].toordinal()
                                + rng.randint(10, 90))
                effective = min(effective, expires - 30, today_ord - 7)
            des_rows.append(dict(member_id=m.id, authority=authority,
                                 granting_agency_id=net.agency_id[grantor], agreement_id=agreement,
                                 effective=date.fromordinal(effective), expires=date.fromordinal(expires)))
            des_roots.append(("member", m.id))
            course = TRAINING.get(authority)
            if course and authority != "sdusm" or (course and rng.random() < 0.5):
                training.append((m, course, effective - rng.randint(10, 120)))
            # a lapsed designation is often, not always, renewed: the roster shows who slipped
            renewed = expires + rng.randint(0, 40)
            if expires < today_ord and renewed < today_ord and authority != "287g" and rng.random() < 0.4:
                des_rows.append(dict(member_id=m.id, authority=authority,
                                     granting_agency_id=net.agency_id[grantor], agreement_id=agreement,
                                     effective=date.fromordinal(renewed),
                                     expires=date.fromordinal(renewed + VALIDITY_DAYS[authority])))
                des_roots.append(("member", m.id))
                if authority == "title19":
                    training.append((m, ("Title 19 recertification training", "ICE HSI"),
                                     renewed - rng.randint(5, 60)))
            if effective < m.start:
                starts_changed[m.id] = min(starts_changed.get(m.id, m.start), effective - rng.randint(0, 90))
        for m, _primary, _tfs in members:
            if m.id in starts_changed:
                m.start = starts_changed[m.id]
        # general courses for everybody, maritime and fugitive courses where they serve
        for m, primary, _tfs in members:
            kind = net.specs[primary].kind
            pool = list(TRAINING["general"])
            if kind == "shiprider" or net.agency_row[m.agency][9] in ("uscg", "amo", "rcmp"):
                pool += TRAINING["maritime"] * 2
            if kind == "fugitive":
                pool += TRAINING["fugitive"] * 2
            for course in rng.sample(pool, k=min(len(pool), rng.choice((1, 1, 2, 2, 3, 4)))):
                training.append((m, course, rng.randint(m.start - 2 * 365, today_ord - 7)))
        train_rows, train_roots = [], []
        for m, (course, provider), done in training:
            train_rows.append(dict(member_id=m.id, course=course, provider=provider,
                                   completed=date.fromordinal(min(done, today_ord - 1))))
            train_roots.append(("member", m.id))
        earlier = {member_id: date.fromordinal(start) for member_id, start in starts_changed.items()}
        return des_rows, des_roots, train_rows, train_roots, earlier

    def _email(self, given: str, family: str) -> str:
        local = ".".join(to_ascii(p).lower().replace("'", "").replace(" ", "-") for p in (given, family))
        n = self.emails.get(local, 0) + 1
        self.emails[local] = n
        return f"{local}{n if n > 1 else ''}@example.gov"

    def _phone(self, area_codes: tuple[str, ...]) -> str:
        rng = self.b.rng
        return f"({rng.choice(area_codes)}) 555-01{rng.randint(0, 99):02d}"

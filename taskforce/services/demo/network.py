"""The agencies of the catalogue, the agreements between them and the task forces they form."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from taskforce.i18n import tr
from taskforce.services.demo.agencies import AGENCIES, INVESTIGATIVE, LEVEL_OF_PROFILE_STATE_LOCAL, ORIS
from taskforce.services.demo.build import Build, DemoRefused
from taskforce.services.demo.task_forces import AGREEMENTS_287G, TASK_FORCES, task_force_count
from taskforce.store import schema as S


class Network:
    """Written first: every later phase needs the agencies by key, the agreements designations
    rest on, and the task forces."""

    def __init__(self, b: Build) -> None:
        self.b = b
        self.agency_id: dict[str, int] = {}  # by catalogue key, and by ref_key for the reference agencies
        self.agency_row: dict[str, tuple] = {}  # catalogue entries by key
        self.caveat_id: dict[str, int] = {}
        self.n_agencies = self.n_task_forces = 0

    def write(self) -> None:
        self._reference()
        self._agencies()
        self._agreements()
        self._task_forces()

    def _reference(self) -> None:
        b = self.b
        refs = dict(b.conn.execute(select(S.agency.c.ref_key, S.agency.c.id)
                                   .where(S.agency.c.ref_key.is_not(None))).all())
        needed = {a[1] for a in AGENCIES if a[1] and a[1] not in {e[0] for e in AGENCIES}}
        missing = sorted(needed - set(refs))
        if missing:
            raise DemoRefused(tr(f"The reference agencies of a new database are incomplete "
                                 f"({', '.join(missing)} missing); create a new database for the demo."))
        self.agency_id.update(refs)
        self.caveat_id = dict(b.conn.execute(select(S.caveat.c.ref_key, S.caveat.c.id)
                                             .where(S.caveat.c.ref_key.is_not(None))).all())
        for key in ("les", "eu_pnr"):
            if key not in self.caveat_id:
                raise DemoRefused(tr(f"The reference caveat '{key}' is missing; "
                                     f"create a new database for the demo."))

    def _agencies(self) -> None:
        b = self.b
        a = S.agency.c
        imported = dict(b.conn.execute(select(a.ori, a.id).where(a.ori.in_(list(ORIS.values())))).all())
        rows = []
        for entry in AGENCIES:
            key, parent, name, abbr, level, country, state, county, agency_type, _profile = entry
            self.agency_row[key] = entry
            ori = ORIS.get(key)
            if ori in imported:  # already there from an agency list import
                self.agency_id[key] = imported[ori]
                continue
            new_id = self.agency_id[key] = b.ids("agency", 1)[0]
            rows.append(dict(id=new_id, name=name, abbreviation=abbr, level=level,
                             parent_id=self.agency_id[parent] if parent else None, country=country,
                             state=state, county=county, ori=ori, agency_type=agency_type,
                             active=True, ref_key=None))
        b.tx.insert_many(S.agency, rows)
        self.n_agencies = len(rows)

    def _agreement(self, kind: str, title: str, parties: list[str], signed: date,
                   effective: date, expires: date | None, scope: str, ref: str) -> int:
        new_id = self.b.ids("agreement", 1)[0]
        party_ids = sorted({self.agency_id[p] for p in parties})
        self._agreement_rows.append(dict(id=new_id, kind=kind, title=title, scope=scope, signed=signed,
                                         effective=effective, expires=expires, document_ref=ref))
        self._agreement_extras.append({"parties": ", ".join(str(p) for p in party_ids)})
        self._party_rows.extend({"agreement_id": new_id, "agency_id": p} for p in party_ids)
        return new_id

    def _agreements(self) -> None:
        rng, today = self.b.rng, self.b.today
        self._agreement_rows: list[dict] = []
        self._agreement_extras: list[dict] = []
        self._party_rows: list[dict] = []
        self.cmaa_id = self._agreement(
            "cmaa", "Canada–United States Customs Mutual Assistance Agreement", ["cbp", "cbsa"],
            date(1984, 6, 20), date(1985, 1, 1), None,
            "Mutual assistance between the customs administrations: information exchange, "
            "investigations, controlled deliveries.", "CMAA US-CA")
        self.shiprider_id = self._agreement(
            "other", "Framework Agreement on Integrated Cross-Border Maritime Law Enforcement "
            "Operations (ShipRider)", ["uscg", "rcmp"], date(2009, 5, 26), date(2012, 10, 1), None,
            "Designated officers of each country enforce the law of the other in shared waters.",
            "ICMLEO Framework")
        # 287(g) agreements between ICE and a few sheriffs; the oldest have lapsed
        self.agreement_287g: dict[str, int] = {}
        self.agreement_287g_dates: dict[int, tuple[date, date]] = {}
        for key, year, term in AGREEMENTS_287G:
            shift = today.year - 2026  # keep the agreements' age constant whatever today is
            signed = date(year + shift, rng.randint(1, 12), rng.randint(1, 28))
            effective = signed + timedelta(days=rng.randint(7, 45))
            expires = date(effective.year + term, effective.month, min(effective.day, 28)) - timedelta(days=1)
            name = self.agency_row[key][2]
            agr = self._agreement(
                "287g", f"287(g) Memorandum of Agreement: ICE and {name}", ["ice", key], signed, effective,
                expires, "Delegation of limited immigration officer functions to designated officers "
                "(task force model) under 8 U.S.C. 1357(g).",
                f"287g-{self.agency_row[key][3].replace(' ', '-')}-{signed.year}")
            self.agreement_287g[key] = agr
            self.agreement_287g_dates[agr] = (effective, expires)
        self._flush_agreements()

    def _flush_agreements(self) -> None:
        if self._agreement_rows:
            self.b.tx.insert_many(S.agreement, self._agreement_rows, extras=self._agreement_extras)
            self.b.conn.execute(S.agreement_party.insert(), self._party_rows)
        self._agreement_rows, self._agreement_extras, self._party_rows = [], [], []

    def _task_forces(self) -> None:
        b = self.b
        rng, today = b.rng, b.today
        specs = TASK_FORCES[:task_force_count(b.n_cases)]
        self.specs = specs
        ids = b.ids("task_force", len(specs))
        tf_rows, part_rows, part_roots = [], [], []
        self.tf_ids = list(ids)
        for tf_id, spec in zip(ids, specs, strict=True):
            shift = today.year - 2026
            active_from = date(spec.established + shift, rng.randint(1, 12), rng.randint(1, 28))
            # rule 5: its ICE HSI agency investigates; without one, a federal investigative lead
            # (a JTTF's FBI field office, the fugitive task force's USMS district) names itself
            hsi = [k for k in (spec.lead, *spec.participants) if self.agency_row[k][9] == "hsi"]
            investigative = hsi[0] if hsi else spec.lead if self.agency_row[spec.lead][9] in INVESTIGATIVE else None
            tf_rows.append(dict(id=tf_id, name=spec.name, kind=spec.kind,
                                lead_agency_id=self.agency_id[spec.lead], area=spec.area,
                                active_from=active_from, active_to=None,
                                feedback_interval_days=spec.feedback_days,
                                investigative_lead_agency_id=self.agency_id.get(investigative)))
            # the task force's MOU, renewed on a fiscal-year boundary; one in five has lapsed
            lapsed = rng.random() < 0.2
            if lapsed:
                fy_start = today.year - rng.randint(3, 5)
                term = rng.randint(1, 2)
            else:
                fy_start = today.year - rng.randint(1, 3)
                term = rng.randint(3, 5)
            effective = date(fy_start, 10, 1)
            expires = date(fy_start + term, 9, 30)
            if not lapsed and expires < today:
                expires = date(today.year + 1, 9, 30)
            signed = effective - timedelta(days=rng.randint(10, 80))
            domestic = [p for p in spec.participants if self.agency_row[p][5] == "US"]
            mou = self._agreement(
                "mou", f"{spec.name} Memorandum of Understanding", [spec.lead, *domestic], signed, effective,
                expires, f"Participation, personnel, funding of overtime and sharing of information "
                f"in {spec.name}; area: {spec.area}.", f"MOU-{spec.prefix}-FY{fy_start + 1}")
            part_rows.append(dict(id=b.ids("task_force_agency", 1)[0], task_force_id=tf_id,
                                  agency_id=self.agency_id[spec.lead], agreement_id=mou))
            part_roots.append(("task_force", tf_id))
            for p in spec.participants:
                row = self.agency_row[p]
                if row[5] == "US":
                    agreement = mou
                    if row[4] in LEVEL_OF_PROFILE_STATE_LOCAL and rng.random() < 0.15:
                        # a participant under its own MOA, some of them lapsed
                        ag_eff = (today - timedelta(days=rng.randint(200, 6 * 365))).replace(day=1)
                        ag_exp = date(ag_eff.year + rng.randint(2, 5), ag_eff.month, 1) - timedelta(days=1)
                        agreement = self._agreement(
                            "moa", f"MOA: {self.agency_row[spec.lead][2]} and {row[2]} ({spec.name})",
                            [spec.lead, p], ag_eff - timedelta(days=rng.randint(5, 40)), ag_eff, ag_exp,
                            f"Assignment of {row[3]} personnel to {spec.name}.",
                            f"MOA-{spec.prefix}-{ag_eff.year}-{rng.randint(1, 20):02d}")
                elif p.startswith("cbsa"):
                    agreement = self.cmaa_id
                elif p.startswith("rcmp") and spec.kind == "shiprider":
                    agreement = self.shiprider_id
                else:
                    # foreign and international partners under a letter of arrangement
                    ag_eff = (today - timedelta(days=rng.randint(60, 6 * 365))).replace(day=1)
                    agreement = self._agreement(
                        "mou", f"Letter of arrangement: {self.agency_row[spec.lead][2]} and {row[2]}",
                        [spec.lead, p], ag_eff - timedelta(days=rng.randint(5, 60)), ag_eff,
                        date(ag_eff.year + 5, ag_eff.month, 1) - timedelta(days=1),
                        f"Liaison with {spec.name} and exchange of information.",
                        f"LOA-{spec.prefix}-{ag_eff.year}")
                part_rows.append(dict(id=b.ids("task_force_agency", 1)[0], task_force_id=tf_id,
                                      agency_id=self.agency_id[p], agreement_id=agreement))
                part_roots.append(("task_force", tf_id))
        self._flush_agreements()
        b.tx.insert_many(S.task_force, tf_rows)
        b.tx.insert_many(S.task_force_agency, part_rows, roots=part_roots)
        self.tf_rows = tf_rows
        self.n_task_forces = len(specs)

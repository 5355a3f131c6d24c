"""What the coordination records of the demo say: descriptions, results, reasons and topics.

Placeholders ({port}, {city}, {water}, {foreign}) are filled from the task force's region
(``Fill``), {drug}, {qty} and {amount} from the words below, {load} from the case's type
(``LOADS``); every name of a person is drawn elsewhere (fictitious).
"""

from __future__ import annotations

import random

from taskforce.services.demo.case_types import AMOUNTS, QUANTITIES
from taskforce.services.demo.task_forces import Region

DRUG_WORDS = ("fentanyl", "methamphetamine", "cocaine", "heroin")
# what a controlled delivery carries, by case type (only these types have them)
LOADS = {"narcotics": "{qty} of {drug}", "bulk_cash": "{amount} in bulk currency",
         "weapons_export": "a crate of firearm parts"}


class Fill(dict):
    """Placeholders drawn once per text from the region and the case, only when a text uses them."""

    def __init__(self, rng: random.Random, region: Region, subject: str = "the main subject",
                 case_type: str = "narcotics") -> None:
        super().__init__(subject=subject)
        self.rng, self.region, self.case_type = rng, region, case_type

    def __missing__(self, key: str) -> str:
        lower = key.lower()
        if lower not in self:
            if lower == "load":  # a controlled delivery's load, as the case's type has it
                self[lower] = LOADS.get(self.case_type, "a shipment").format_map(self)
            elif lower == "commodity":
                self[lower] = self.rng.choice(SEIZURES[self.case_type])[0]
            else:
                options = {"port": self.region.ports, "city": self.region.cities, "water": self.region.waters,
                           "foreign": self.region.foreign, "drug": DRUG_WORDS, "qty": QUANTITIES,
                           "amount": AMOUNTS}[lower]
                self[lower] = options[int(self.rng.random() * len(options))]
        value = self[lower]
        return value[0].upper() + value[1:] if key[0].isupper() else value


# --- support given (001 Feedback) ------------------------------------------------------------

# what was given, by kind: description templates. An accepted referral and a controlled
# delivery open their own support, worded as the services word it (``SOURCED_SUPPORT_TEXTS``)
SUPPORT_TEXTS: dict[str, tuple[str, ...]] = {
    "information": (
        "Crossing history and lookout records for the subjects of the case.",
        "Intelligence report on couriers using {port}; two vehicles and their registered owners.",
        "Phone extraction results from a secondary inspection at {port}.",
        "Tip from a patrol in {city}: a possible stash location tied to the case.",
        "Manifest and bill-of-lading records for shipments through {port}.",
        "Travel records of the main subject between {foreign} and {city}.",
    ),
    "secondary_examination": (
        "Secondary examination of a vehicle of interest at {port} at the case agent's request.",
        "Secondary examination and X-ray of a commercial shipment at {port}.",
        "Enforcement examination of a traveller and luggage at {port}; documents photographed.",
    ),
    "tactical_support": (
        "Perimeter and tactical support for a search warrant in {city}.",
        "Marked units for a felony stop near {port}.",
        "Tactical team for the arrest of the main subject in {city}.",
    ),
    "facilities_equipment": (
        "Interview room and evidence storage at {port}.",
        "Vessel and crew for surveillance on {water}.",
        "Licence-plate reader data and a surveillance vehicle in {city}.",
        "Aircraft overflight of a staging area near {port}.",
    ),
    "other": (
        "Translation of seized ledgers and messages.",
        "Records checks with the provincial registry through the liaison officer in {foreign}.",
    ),
}

# rule 2: the support an accepted referral or a controlled delivery opens, in the words of
# services/referrals.py and services/case_events.py
SOURCED_SUPPORT_TEXTS = {"referral": "Referral of case {number}, accepted.",
                         "controlled_delivery": "Controlled delivery on case {number}."}

NO_ACTION_REASONS = (
    "The information did not corroborate anything in the open investigation.",
    "The subject was already the target of another agency's case; deconflicted and passed on.",
    "Declined by the U.S. Attorney's Office as below prosecution thresholds.",
    "The vehicle was not encountered during the operational window.",
    "Insufficient detail to act on; the source could not be contacted again.",
)

OTHER_RESULTS = (
    "Search warrant executed at a residence in {city}.",
    "Subject placed on a lookout; encountered and interviewed at {port}.",
    "Two phones seized and sent for forensic extraction.",
    "Financial records subpoenaed on the strength of the information.",
    "Vehicle forfeited.",
)

# seizures by case type: (commodity, unit, lowest quantity, highest quantity, value per unit)
SEIZURES: dict[str, tuple[tuple[str, str, float, float, int], ...]] = {
    "narcotics": (("fentanyl", "kg", 0.5, 12, 30_000), ("methamphetamine", "kg", 2, 60, 9_000),
                  ("cocaine", "kg", 1, 40, 30_000), ("counterfeit oxycodone pills", "pills", 2_000, 40_000, 20),
                  ("heroin", "kg", 0.5, 8, 60_000), ("MDMA", "kg", 1, 15, 12_000),
                  ("high-potency cannabis", "lb", 20, 400, 1_500), ("U.S. currency", "USD", 8_000, 250_000, 1)),
    "human_smuggling": (("U.S. currency", "USD", 2_000, 60_000, 1), ("vehicles", "units", 1, 2, 22_000),
                        ("vessels", "units", 1, 1, 45_000), ("mobile phones", "units", 2, 9, 300)),
    "bulk_cash": (("U.S. currency", "USD", 40_000, 900_000, 1), ("Canadian currency", "CAD", 20_000, 400_000, 1),
                  ("vehicles", "units", 1, 1, 30_000)),
    "weapons_export": (("firearms", "units", 2, 40, 900), ("ammunition", "rounds", 500, 20_000, 1),
                       ("rifle scopes", "units", 5, 60, 600), ("night-vision devices", "units", 2, 12, 4_000)),
    "trade_fraud": (("aluminum extrusions", "kg", 5_000, 80_000, 3), ("steel pipe", "kg", 10_000, 120_000, 1),
                    ("honey", "kg", 2_000, 30_000, 4)),
    "counterfeit": (("counterfeit luxury handbags", "units", 50, 3_000, 400),
                    ("counterfeit pharmaceuticals", "units", 500, 20_000, 15),
                    ("counterfeit auto parts", "units", 100, 4_000, 80)),
    "money_laundering": (("U.S. currency", "USD", 20_000, 600_000, 1), ("cryptocurrency", "USD", 10_000, 400_000, 1),
                         ("luxury vehicles", "units", 1, 2, 85_000)),
    "document_fraud": (("fraudulent passports", "units", 2, 40, 0), ("counterfeit permanent resident cards",
                                                                     "units", 5, 120, 0),
                       ("document printer and laminator", "units", 1, 2, 3_000)),
    "fugitive": (("firearms", "units", 1, 3, 700), ("U.S. currency", "USD", 500, 15_000, 1)),
    "terrorism_financing": (("U.S. currency", "USD", 5_000, 150_000, 1), ("firearms", "units", 1, 6, 900)),
}

# --- debriefs (001 Presence of CBP Officers) ---------------------------------------------------

# per region: the U.S. Attorney's Office (catalogue key) and places where debriefs are held
DEBRIEF_PLACES: dict[str, tuple[str, tuple[str, ...]]] = {
    "wa": ("usao_wdwa", ("U.S. Attorney's Office, Seattle", "Federal Detention Center SeaTac",
                         "U.S. Courthouse, Bellingham", "ICE HSI Seattle office")),
    "sp": ("usao_edwa", ("U.S. Attorney's Office, Spokane", "Spokane County Jail",
                         "U.S. Courthouse, Great Falls")),
    "mi": ("usao_edmi", ("U.S. Attorney's Office, Detroit", "Federal Correctional Institution Milan",
                         "Theodore Levin U.S. Courthouse, Detroit", "U.S. Courthouse, Port Huron")),
    "ny": ("usao_wdny", ("U.S. Attorney's Office, Buffalo", "Buffalo Federal Detention Facility",
                         "Robert H. Jackson U.S. Courthouse, Buffalo")),
    "ch": ("usao_ndny", ("U.S. Attorney's Office, Plattsburgh", "Clinton County Jail",
                         "U.S. Courthouse, Albany")),
}

BRIEFING_SUMMARIES = (
    "Routes through {port}, the recruiting of drivers and the phone numbers the defendant named.",
    "Concealment methods seen at {port} and two associates still crossing.",
    "The defendant's account of the organization's contacts in {foreign}; no port employee named.",
    "Timing of loads through {port} and the vehicles used; lookouts requested.",
)

WAIVER_REASONS = (
    "The debrief bore on no port operation; the Supervisory CBP Officer agreed no briefing was needed.",
    "Briefed on the same facts at the working-group meeting; a separate briefing was waived.",
    "The defendant declined to speak after the first question; nothing to brief.",
)

# --- referrals (001 CBP Officer Enforcement (E)) ---------------------------------------------

# what the referring agency saw, by case type (a CBPO(E) at a port, a partner's investigator)
REFERRAL_BASES: dict[str, tuple[str, ...]] = {
    "narcotics": ("Seizure of {qty} of {drug} at {port}; the driver named a consignee in {city}.",
                  "Repeat {drug} seizures at {port} from drivers hired by one trucking company."),
    "human_smuggling": ("Title 8 prosecution with foreign co-conspirators: potential for a complex investigation.",
                        "Migrants intercepted near {port} name a smuggler working out of {foreign}."),
    "bulk_cash": ("Unreported currency found at {port}; the traveller carried ledgers naming others.",
                  "Repeated currency reporting at {port} by travellers tied to one money service business."),
    "weapons_export": ("Firearm parts found in an outbound shipment at {port}; the exporter ships weekly.",),
    "trade_fraud": ("Entries at {port} show goods transshipped to evade duties; the importer is in {city}.",),
    "counterfeit": ("Counterfeit goods seized at {port}; the consignee has imported for years.",),
    "money_laundering": ("Structured deposits in {city} tied to travellers crossing at {port}.",),
    "document_fraud": ("Fraudulent documents presented at {port} by a traveller tied to a vendor in {city}.",),
    "fugitive": ("A subject with an outstanding warrant was encountered at {port} and released before "
                 "the warrant was confirmed.",
                 "A parolee absconded; last seen in {city}."),
    "terrorism_financing": ("Interview at {port} points to funds sent from {city} to a designated group.",),
}

# why the lead asks another agency to take the case, by the receiver's profile
LEAD_REFERRAL_BASES: dict[str, str] = {
    "atf": "Firearms recovered in the case point to a trafficking source; referred for a firearms investigation.",
    "dea": "The subjects supply a distribution cell in {city}; referred for a Title 21 investigation.",
    "irs": "The proceeds run through tax-reporting businesses; referred for a financial investigation.",
    "fbi": "Links to a group under investigation for terrorism; referred to the JTTF.",
    "hsi": "Cross-border movement of goods and people through {port}; referred for a customs investigation.",
    "usms": "The main subject is a fugitive on a federal warrant; referred for apprehension.",
    "ero": "The main subject has a final order of removal; referred for enforcement.",
}
LEAD_REFERRAL_BASIS = "The case goes beyond the lead agency's area; referred to the agency with jurisdiction."

ACCEPT_NOTES = ("", "", "Accepted; a case agent is assigned.", "Accepted; joint work with the referring port.")

DECLINE_REASONS = (
    "Below the office's prosecution thresholds; the lead agency keeps the case.",
    "No federal nexus beyond the initial seizure.",
    "Resources committed to a priority operation; declined without prejudice.",
    "Already under investigation by another group; deconflicted.",
)

# --- case events (rule 5) --------------------------------------------------------------------

EVENT_TEXTS: dict[str, tuple[str, ...]] = {
    "search_warrant": ("Search warrant executed at a residence in {city}.",
                       "Search warrant executed at a storage unit in {city}.",
                       "Search warrant executed on a vehicle held at {port}."),
    "arrest_warrant": ("Arrest warrant executed for {subject} in {city}.",
                       "Arrest warrant executed for {subject} at {port}."),
    "arrest": ("{Subject} arrested in {city}.", "{Subject} arrested at {port} on arrival.",
               "Two associates of {subject} arrested near {port}."),
    "seizure": ("Seizure of {commodity} at {port}.", "Seizure of {commodity} in {city}.",
                "Seizure of a vehicle used by {subject}."),
    "indictment": ("Grand jury indictment of {subject}.", "Indictment returned against {subject} and two others."),
    "conviction": ("{Subject} convicted on a plea.", "{Subject} convicted at trial."),
    "controlled_delivery": ("Controlled delivery of {load} from {port} to {city}.",
                            "Controlled delivery of a shipment holding {load} from {foreign} to an address in {city}."),
    "other": ("Deconfliction with a partner agency: no overlap.",
              "Case coordination meeting with the prosecutor."),
}

CONTROLLED_DELIVERY_OUTCOMES = (
    "Delivered to the consignee; {n} arrests, the load seized.",
    "Delivered; the consignee fled, the load seized, a warrant sought.",
    "Not delivered: surveillance compromised, the load seized at the staging point.",
    "Delivered; {n} arrests and a search warrant executed at the stash house.",
)

# --- assistance requests (000) ---------------------------------------------------------------

LANGUAGES = ("Spanish", "Punjabi", "Vietnamese", "Mandarin", "Arabic", "Tigrinya", "Russian", "Haitian Creole")

ASSISTANCE_TEXTS: dict[str, tuple[str, ...]] = {
    "translation": ("A {language} interpreter for a custodial interview in {city}.",
                    "Translation of {language} documents found in a vehicle near {port}."),
    "officer_safety": ("Backup for a felony traffic stop near {port}.",
                       "Officers to stand by during a high-risk interview in {city}."),
    "warrant_execution": ("Officers to help execute an arrest warrant in {city}.",),
    "tactical_support": ("Perimeter support for a search warrant at a residence in {city}.",),
    "facilities": ("Use of the secondary inspection area and X-ray at {port} for a vehicle search.",
                   "A holding room at {port} for a prisoner transfer."),
    "other": ("A canine sweep of a seized vehicle in {city}.",),
}

ASSISTANCE_OUTCOME_NOTES = {
    "assisted": "Provided as requested.",
    "partly_assisted": "Provided in part: no officers were free for the full period.",
    "withdrawn": "Withdrawn by the requester before it could be scheduled.",
}

ASSISTANCE_DECLINE_REASONS = ("No officers available on the date asked; suggested a later date.",
                              "Outside the port's area and authority; referred to the state police.")

# --- cooperation by state and local members (002 III.A) --------------------------------------

COOPERATION_TEXTS: dict[str, tuple[str, ...]] = {
    "joint_task_force": ("Worked the task force's operation in {city} alongside HSI agents.",),
    "warrant_tactical": ("Tactical officer at the execution of a federal search warrant in {city}.",),
    "warrant_perimeter": ("Perimeter security at the execution of a federal arrest warrant in {city}.",),
    "equipment_facilities": ("Provided the county's interview room and a patrol vehicle to ERO officers.",),
    "evidence_or_stop": ("Stopped a vehicle on state grounds near {port} at DHS's request.",),
    "detainee_access": ("Gave ERO officers access to identify detained persons at the county jail.",),
    "case_referral": ("Referred a possible document-fraud violation found during a state investigation.",),
    "information_sharing": ("Shared records of a traffic stop near {port} with HSI.",),
    "delegated_immigration_authority": (
        "Processed an arrestee under the 287(g) task force model: records checks and interview.",
        "Served an immigration detainer under delegated authority (287(g)).",),
    "other": ("Drove seized evidence to the federal laboratory in {city}; the type fits no listed "
              "example, so it goes to legal review.",
              "Taught a class on local smuggling routes at a federal academy; for legal review.",),
}

# --- the working group (001) -----------------------------------------------------------------

ACTION_ITEMS = (
    "Local feedback action plan",
    "Update the CBPO(E) referral contact list",
    "Report debrief participation and briefings owed",
    "Review controlled-delivery notification procedures",
    "Schedule Title 19 recertification training",
    "Confirm the evaluation criteria of the Title 21 pilot",
    "Circulate port intelligence summaries to HSI groups",
    "Revise the MOU participant list after staffing changes",
    "Deconflict enforcement operations planned at the ports",
    "Agree the release procedure for EU PNR-derived information",
)

MINUTES = (
    "Quarterly meeting. Reviewed feedback timeliness by agency pair, open referrals and the "
    "debriefs held without a CBP officer.",
    "Quarterly meeting. Discussed controlled deliveries through the ports and the Title 21 pilot.",
    "Quarterly meeting. Went through overdue action items and training due for recertification.",
)

# titles under which offices attend, with the catalogue key of the office
OFFICE_ATTENDEES = (("Director of Field Operations", "ofo"), ("Special Agent in Charge", "hsi"),
                    ("Port Director", "poe"))

# --- details (001 Title 21) -------------------------------------------------------------------

DETAIL_PROGRAM = "Title 21 pilot: CBP officers with ICE HSI agents (90-day evaluation)"

EVALUATIONS = (
    "Integrated well with the Title 21 group; recommend extending the pilot to the port's enforcement team.",
    "Useful for interdictions at the port; workload at the port limited the time given.",
    "Met the operational criteria; two joint cases opened during the period.",
)

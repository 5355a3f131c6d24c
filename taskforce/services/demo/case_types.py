"""What each kind of case says: statutes, titles, synopses, notes, closing reasons, and the
words their placeholders draw from."""

from __future__ import annotations

from dataclasses import dataclass

# What placeholders such as {drug} and {qty} draw from, in every region ({port}, {city} and
# the like come from the task force's Region)
DRUGS = ("fentanyl", "methamphetamine", "cocaine", "counterfeit oxycodone pills", "MDMA", "ketamine",
         "heroin", "high-potency cannabis", "fentanyl precursor chemicals")
CONVEYANCES = ("a tractor-trailer", "a recreational vehicle", "a pickup truck", "a commercial bus",
               "a rental car", "checked luggage", "a pleasure craft", "a refrigerated trailer",
               "a motorcycle")
GOODS = ("aluminum extrusions", "steel pipe", "honey", "plywood", "solar panels", "frozen shrimp",
         "quartz countertops", "tires", "steel nails", "wooden cabinets", "mattresses")
COUNTERFEITS = ("counterfeit luxury handbags", "counterfeit pharmaceuticals", "counterfeit airbags",
                "counterfeit electronics", "counterfeit auto parts", "counterfeit cosmetics",
                "counterfeit vape cartridges")
EXPORT_COUNTRIES = ("Mexico", "Russia", "Guatemala", "Honduras", "the Philippines", "Haiti", "Venezuela")
ORIGIN_COUNTRIES = ("Vietnam", "Malaysia", "Thailand", "Taiwan", "India", "Indonesia", "Cambodia")
WEAPONS = ("semi-automatic rifles", "rifle scopes", "night-vision devices", "firearm parts kits",
           "ammunition", "pistols", "thermal imaging sights")
OFFENSES = ("armed robbery", "homicide", "aggravated assault", "drug trafficking", "a probation violation",
            "failure to appear", "carjacking", "a parole violation", "unlawful reentry after removal")
QUANTITIES = ("2 kilograms", "4.5 kilograms", "11 kilograms", "36 pounds", "60 pounds", "18,000 pills",
              "9 kilograms", "140 pounds", "23 kilograms")
AMOUNTS = ("$48,000", "$112,500", "$236,000", "$74,900", "$390,000", "$1.2 million", "$615,000", "$88,250")


@dataclass(frozen=True)
class CaseType:
    label: str
    statutes: tuple[tuple[str, float], ...]  # (title, probability); the first is always present
    titles: tuple[str, ...]
    synopsis: tuple[str, ...]  # opening sentences
    more: tuple[str, ...]  # follow-up sentences
    closed: tuple[str, ...]
    org_share: float  # share of subjects that are organizations
    pnr: float  # share of cases with EU PNR-derived information


CASE_TYPES: dict[str, CaseType] = {
    "narcotics": CaseType(
        "Narcotics smuggling", (("21", 1.0), ("18", 0.35), ("19", 0.4)),
        ("{Drug} concealed in commercial trucks via {port}",
         "{Drug} smuggling by vessel across {water}",
         "{Drug} distribution network in {city}",
         "Backpack loads of {drug} between ports near {port}",
         "{Drug} shipped by parcel from {foreign} to {city}",
         "{Drug} in passenger vehicles at {port}",
         "Cross-border {drug} pipeline from {foreign} to {city}",
         "Float plane drops of {drug} near {water}"),
        ("A secondary examination at {port} found {qty} of {drug} concealed in {conveyance}.",
         "{origin} referred information that couriers are moving {drug} from {foreign} into {city}.",
         "A traffic stop near {city} led to {qty} of {drug} and two phones linked to a cross-border group.",
         "An informant reported {drug} loads crossing {water} by small boat at night."),
        ("Toll records tie the driver to a distribution cell in {city}.",
         "A controlled delivery to {city} is being planned with {partner}.",
         "Proceeds appear to return north as bulk currency.",
         "The group recruits drivers with clean crossing histories.",
         "Laboratory results confirmed the seized substance."),
        ("Defendants convicted and sentenced; forfeiture complete.",
         "Declined for federal prosecution; referred to state prosecutors.",
         "Principal target convicted on a plea; remaining leads exhausted.",
         "Investigation merged into a larger OCDETF case.",
         "Insufficient evidence to proceed after the controlled delivery failed."),
        0.08, 0.02),
    "human_smuggling": CaseType(
        "Human smuggling", (("8", 1.0), ("18", 0.4)),
        ("Alien smuggling by vessel in {water}",
         "Smuggling of migrants on foot near {port}",
         "Stash house operation in {city}",
         "Human smuggling organization moving migrants from {foreign} to {city}",
         "Rideshare drivers recruited for smuggling loads near {port}",
         "Migrants guided across {water} by jet ski"),
        ("USBP agents apprehended a group of migrants near {port}; "
         "the guide carried a phone with {foreign} contacts.",
         "{origin} reported repeated crossings near {port} coordinated through a messaging app.",
         "A vessel with eight undocumented passengers was intercepted in {water}.",
         "Passenger data flagged travellers with matching itineraries arriving at {airport}."),
        ("Payments of about {amount} moved through money service businesses.",
         "The organization books hotel rooms in {city} as staging sites.",
         "{partner} identified the recruiters on the Canadian side.",
         "Several migrants have agreed to serve as material witnesses."),
        ("Organizers convicted; material witnesses released.",
         "Principal smuggler removed after serving the sentence.",
         "Declined for prosecution; administrative removal proceedings instead.",
         "Case transferred to the originating district."),
        0.06, 0.15),
    "bulk_cash": CaseType(
        "Bulk cash smuggling", (("31", 1.0), ("18", 0.5)),
        ("Bulk cash smuggling at {port}",
         "Currency concealed in {conveyance} at {port}",
         "Bulk currency couriers between {city} and {foreign}",
         "Unreported currency on flights through {airport}",
         "Drug proceeds carried across {water} by boat"),
        ("Officers found {amount} in undeclared currency in {conveyance} at {port}.",
         "{origin} reported couriers carrying about {amount} a month toward {foreign}.",
         "An outbound examination at {airport} found {amount} in vacuum-sealed bundles."),
        ("The currency tested positive for traces of narcotics.",
         "The couriers report to a money broker in {foreign}.",
         "Financial records requested from {partner}.",
         "Seized currency is pending administrative forfeiture."),
        ("Currency forfeited; courier convicted of bulk cash smuggling.",
         "Administrative forfeiture complete; no prosecution.",
         "Declined for prosecution; currency returned after review.",
         "Merged into a money-laundering investigation."),
        0.10, 0.12),
    "weapons_export": CaseType(
        "Weapons export violation", (("18", 1.0), ("19", 0.5), ("other", 0.3)),
        ("Firearms export to {country} via {port}",
         "Straw purchases of {weapon} for export from {city}",
         "Export of {weapon} to {country} without a license",
         "{Weapon} concealed in household goods shipped through {seaport}"),
        ("A licensed dealer in {city} reported repeated purchases of {weapon} by the same buyers.",
         "An outbound examination at {port} found {weapon} in {conveyance}.",
         "{origin} traced recovered firearms back to purchases in {city}."),
        ("The buyers are paid in cash by an exporter in {foreign}.",
         "Freight forwarder records point to shipments bound for {country}.",
         "Trace requests submitted through {partner}."),
        ("Exporter convicted; firearms forfeited.",
         "Straw purchasers pleaded guilty; export network dismantled.",
         "Declined for prosecution after licensing review.",
         "Referred to the Department of Commerce for administrative action."),
        0.20, 0.05),
    "trade_fraud": CaseType(
        "Trade fraud", (("19", 1.0), ("18", 0.5)),
        ("Transshipped {goods} declared as {origin_country} origin",
         "Undervalued {goods} imports through {seaport}",
         "Antidumping duty evasion on {goods}",
         "Misclassified {goods} entered at {port}"),
        ("Entry reviews show {goods} declared at a fraction of market value.",
         "{origin} flagged an importer whose {goods} entries jumped after new duties took effect.",
         "Documents suggest {goods} were relabeled in {origin_country} to evade duties."),
        ("Lost revenue is estimated at {amount}.",
         "The importer of record is a shell with an address in {city}.",
         "A request under the customs mutual assistance agreement went to {partner}."),
        ("Importer paid duties and penalties under a settlement.",
         "Principals convicted of entry by false statement.",
         "Civil penalty case referred to CBP Fines, Penalties and Forfeitures.",
         "Insufficient evidence of intent; administrative action only."),
        0.45, 0.0),
    "counterfeit": CaseType(
        "Intellectual property theft", (("18", 1.0), ("19", 0.7)),
        ("{Counterfeit} imported through {seaport}",
         "{Counterfeit} sold online from {city}",
         "{Counterfeit} smuggled in {conveyance} via {port}"),
        ("A shipment of {counterfeit} was detained at {seaport} "
         "after rights holders confirmed the marks were fake.",
         "{origin} reported a warehouse in {city} distributing {counterfeit}."),
        ("The shipments are consolidated by a forwarder in {foreign}.",
         "Test purchases were made through two online storefronts.",
         "Rights holders estimate retail value at {amount}."),
        ("Goods destroyed; importer convicted of trafficking in counterfeit goods.",
         "Seizure and forfeiture complete; no prosecution.",
         "Civil settlement reached with rights holders."),
        0.40, 0.0),
    "money_laundering": CaseType(
        "Money laundering", (("18", 1.0), ("31", 0.8)),
        ("Trade-based money laundering through {goods} exports",
         "Funnel accounts receiving drug proceeds in {city}",
         "Money laundering through used-car exports from {city}",
         "Unlicensed money transmitter in {city}"),
        ("Bank records show cash deposits in {city} withdrawn within days in {foreign}.",
         "{origin} identified structured deposits totalling {amount}.",
         "Suspicious activity reports link several businesses in {city} to one money broker."),
        ("The proceeds appear to come from narcotics sales in {city}.",
         "Asset tracing requested from {partner}.",
         "The businesses share officers and a registered agent."),
        ("Defendants convicted; money judgment entered.",
         "Accounts forfeited; principal fled and is a fugitive.",
         "Declined for prosecution; civil forfeiture only."),
        0.35, 0.03),
    "document_fraud": CaseType(
        "Document and benefit fraud", (("18", 1.0), ("8", 0.6)),
        ("Fraudulent documents presented at {port}",
         "Counterfeit identity documents manufactured in {city}",
         "Impostor passports used at {airport}",
         "Marriage fraud ring in {city}",
         "Fraudulent work permits sold in {city}"),
        ("A traveller at {port} presented a genuine passport belonging to someone else.",
         "{origin} identified a print shop in {city} producing counterfeit permanent resident cards.",
         "Travel records flagged several passengers arriving at {airport} with sequential fraudulent visas."),
        ("The documents sell for about {amount} per set.",
         "Document examiners confirmed the security features were simulated.",
         "Benefit applications with the same preparer are under review."),
        ("Vendor convicted; equipment forfeited.",
         "Impostor removed; document returned to the issuing authority.",
         "Referred to USCIS for administrative action."),
        0.10, 0.15),
    "fugitive": CaseType(
        "Fugitive apprehension", (("18", 1.0),),
        ("Fugitive wanted for {offense} believed to be in {city}",
         "Absconder with a final removal order in {city}",
         "Fugitive sought on a warrant for {offense} near {port}",
         "Parole absconder believed to have fled to {foreign}"),
        ("A warrant for {offense} is outstanding; the fugitive was last seen in {city}.",
         "{origin} asked the task force to locate a fugitive wanted for {offense}.",
         "The subject failed to report and is believed to be moving between {city} and {foreign}."),
        ("Associates in {city} are being interviewed.",
         "A provisional arrest request may be needed through {partner}.",
         "Phone records place the fugitive near {port}."),
        ("Fugitive arrested and booked.",
         "Fugitive arrested in Canada and extradited.",
         "Fugitive surrendered through counsel.",
         "Warrant withdrawn by the issuing court.",
         "Subject removed from the United States."),
        0.0, 0.0),
    "terrorism_financing": CaseType(
        "Terrorism financing", (("18", 1.0), ("31", 0.6)),
        ("Material support fundraising network in {city}",
         "Charity front suspected of terrorist financing in {city}",
         "Cryptocurrency transfers to designated entities",
         "Unlicensed money transmitter linked to a designated organization"),
        ("{origin} reported donations collected in {city} and sent abroad through intermediaries.",
         "Transaction analysis found cryptocurrency transfers totalling {amount}.",
         "Travel records flagged a subject with repeated trips through {airport}."),
        ("Financial records are being exchanged with {partner}.",
         "The organization's filings list officers with no known address.",
         "Open-source review of the fundraising appeals is complete."),
        ("Subjects convicted of providing material support.",
         "Assets blocked; no criminal charges.",
         "Insufficient evidence; closed with no action."),
        0.30, 0.25),
}

KIND_CASE_TYPES: dict[str, dict[str, int]] = {
    "best": {"narcotics": 30, "human_smuggling": 15, "bulk_cash": 12, "weapons_export": 8,
             "trade_fraud": 8, "counterfeit": 6, "money_laundering": 10, "document_fraud": 8},
    "ibet": {"narcotics": 32, "human_smuggling": 32, "weapons_export": 12, "bulk_cash": 14,
             "document_fraud": 6},
    "shiprider": {"narcotics": 48, "human_smuggling": 36, "bulk_cash": 10, "weapons_export": 6},
    "jttf": {"terrorism_financing": 45, "weapons_export": 20, "document_fraud": 20, "money_laundering": 15},
    "fugitive": {"fugitive": 1},
    "working_group": {"narcotics": 25, "document_fraud": 25, "trade_fraud": 20, "human_smuggling": 15,
                      "counterfeit": 15},
    "other": {"narcotics": 60, "money_laundering": 25, "bulk_cash": 15},
}

NOTES = (
    "Database checks on {subject} returned two prior crossings through {port}.",
    "Surveillance of {subject} at a storage unit in {city}; no movement observed.",
    "Met with the AUSA to review charging options; subpoenas to follow.",
    "Deconflicted with {partner}: no overlapping operation.",
    "Phone toll analysis for {subject} completed and filed.",
    "Interviewed {subject} with counsel present; debrief notes to the file.",
    "Feedback sent to {origin} on the results of the referral.",
    "Records request sent to {partner}; response expected within 30 days.",
    "Operational plan circulated for the search warrant in {city}.",
    "Financial records for {subject} received and summarized.",
    "Briefed the supervisory CBP officer at {port} on the case status.",
    "Evidence transferred to the laboratory; chain of custody documented.",
)

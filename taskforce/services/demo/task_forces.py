"""The task forces of the demo and the border regions they work in."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    ports: tuple[str, ...]
    waters: tuple[str, ...]
    cities: tuple[str, ...]
    foreign: tuple[str, ...]
    airports: tuple[str, ...]
    seaports: tuple[str, ...]
    area_codes: tuple[str, ...]
    plates: tuple[str, ...]  # jurisdictions of licence plates seen in the region
    hsi: str  # catalogue keys of the region's granting agencies
    dea: str
    usms: str
    ero: str
    rcmp: str


REGIONS: dict[str, Region] = {
    "wa": Region(
        ports=("Blaine", "Sumas", "Lynden", "Point Roberts", "the Pacific Highway crossing"),
        waters=("the San Juan Islands", "Haro Strait", "Boundary Bay", "the Strait of Juan de Fuca",
                "Puget Sound"),
        cities=("Seattle", "Bellingham", "Everett", "Tacoma", "Mount Vernon", "Lynnwood", "Ferndale"),
        foreign=("Vancouver", "Surrey", "Abbotsford", "Richmond"),
        airports=("Seattle-Tacoma International Airport", "Bellingham International Airport"),
        seaports=("the Port of Seattle", "the Port of Tacoma"),
        area_codes=("206", "253", "360", "425", "604", "778"),
        plates=("WA", "WA", "WA", "BC", "BC", "OR"),
        hsi="hsi_sea", dea="dea_sea", usms="usms_wdwa", ero="ero_sea", rcmp="rcmp_e"),
    "sp": Region(
        ports=("Sweetgrass", "Oroville", "Danville", "Roosville", "Piegan"),
        waters=("Lake Koocanusa", "Osoyoos Lake", "the Columbia River"),
        cities=("Spokane", "Great Falls", "Shelby", "Wenatchee", "Kalispell", "Omak"),
        foreign=("Calgary", "Lethbridge", "Kelowna", "Osoyoos"),
        airports=("Spokane International Airport", "Great Falls International Airport"),
        seaports=("Sweetgrass", "Oroville"),
        area_codes=("509", "406", "403", "250"),
        plates=("WA", "MT", "MT", "AB", "BC", "ID"),
        hsi="hsi_spokane", dea="dea_sea", usms="usms_edwa", ero="ero_sea", rcmp="rcmp_k"),
    "mi": Region(
        ports=("the Ambassador Bridge", "the Detroit–Windsor Tunnel", "the Blue Water Bridge",
               "Sault Ste. Marie", "the Gordie Howe International Bridge"),
        waters=("the Detroit River", "the St. Clair River", "Lake St. Clair", "Lake Erie",
                "the St. Marys River"),
        cities=("Detroit", "Dearborn", "Port Huron", "Warren", "Monroe", "Taylor", "Southfield"),
        foreign=("Windsor", "Sarnia", "Toronto", "Leamington"),
        airports=("Detroit Metropolitan Airport",),
        seaports=("the Port of Detroit", "the Port of Monroe"),
        area_codes=("313", "586", "734", "810", "519"),
        plates=("MI", "MI", "MI", "ON", "ON", "OH"),
        hsi="hsi_det", dea="dea_det", usms="usms_edmi", ero="ero_det", rcmp="rcmp_o"),
    "ny": Region(
        ports=("the Peace Bridge", "the Lewiston–Queenston Bridge", "the Rainbow Bridge",
               "the Whirlpool Bridge"),
        waters=("the Niagara River", "Lake Ontario", "Lake Erie"),
        cities=("Buffalo", "Niagara Falls", "Rochester", "Lockport", "Tonawanda", "Cheektowaga"),
        foreign=("Fort Erie", "St. Catharines", "Hamilton", "Toronto"),
        airports=("Buffalo Niagara International Airport",),
        seaports=("the Port of Buffalo",),
        area_codes=("716", "585", "905", "289"),
        plates=("NY", "NY", "NY", "ON", "ON", "PA"),
        hsi="hsi_buf", dea="dea_buf", usms="usms_wdny", ero="ero_buf", rcmp="rcmp_o"),
    "ch": Region(
        ports=("Champlain", "Massena", "Highgate Springs", "Derby Line", "Ogdensburg"),
        waters=("Lake Champlain", "the St. Lawrence River", "Lake Memphremagog"),
        cities=("Plattsburgh", "Massena", "Burlington", "St. Albans", "Malone", "Potsdam"),
        foreign=("Montréal", "Cornwall", "Sherbrooke", "Saint-Jean-sur-Richelieu"),
        airports=("Plattsburgh International Airport", "Burlington International Airport"),
        seaports=("Ogdensburg",),
        area_codes=("518", "315", "802", "514", "450"),
        plates=("NY", "VT", "NY", "QC", "QC", "ON"),
        hsi="hsi_massena", dea="dea_buf", usms="usms_wdny", ero="ero_buf", rcmp="rcmp_c"),
}

CANADIAN_AREA_CODES = frozenset(("604", "778", "250", "403", "519", "905", "289", "514", "450"))


@dataclass(frozen=True)
class TaskForceSpec:
    name: str
    kind: str
    prefix: str
    region: str
    lead: str
    participants: tuple[str, ...]
    area: str
    weight: float
    established: int
    feedback_days: int = 30


# In this order: the first seven cover every kind; more come with more cases.
TASK_FORCES: list[TaskForceSpec] = [
    TaskForceSpec("BEST Seattle", "best", "BEST-SEA", "wa", "hsi_sea",
                  ("poe_blaine", "poe_seattle", "usbp_blaine", "dea_sea", "uscg_puget", "wsp", "whatcom_so",
                   "king_so", "seattle_pd", "port_seattle_pd", "lummi_pd", "cbsa_pac", "rcmp_fsoc_pac",
                   "irs_ci_sea"),
                  "Western Washington: Puget Sound, Blaine, Sumas, Lynden", 1.6, 2008),
    TaskForceSpec("BEST Detroit", "best", "BEST-DET", "mi", "hsi_det",
                  ("poe_detroit", "poe_port_huron", "usbp_detroit", "dea_det", "atf_det", "msp", "wayne_so",
                   "detroit_pd", "st_clair_so", "monroe_so", "cbsa_so", "rcmp_windsor", "irs_ci_det"),
                  "Southeast Michigan: Detroit, Port Huron, the Detroit and St. Clair rivers", 1.4, 2007),
    TaskForceSpec("IBET Pacific Region", "ibet", "IBET-PAC", "wa", "usbp_blaine",
                  ("poe_blaine", "poe_sumas", "hsi_blaine", "uscg_puget", "amo_bellingham", "rcmp_e",
                   "rcmp_langley", "rcmp_white_rock", "cbsa_pac_hwy", "cbsa_douglas", "whatcom_so",
                   "nooksack_pd"),
                  "Washington – British Columbia border, Boundary Bay to the Cascades", 1.1, 2005),
    TaskForceSpec("ShipRider Great Lakes", "shiprider", "SR-GLK", "mi", "uscg_detroit",
                  ("rcmp_o", "rcmp_windsor", "amo_great_lakes", "hsi_det", "msp", "st_clair_so", "windsor_ps",
                   "opp"),
                  "Detroit River, Lake St. Clair, St. Clair River, western Lake Erie", 0.6, 2012),
    TaskForceSpec("JTTF Seattle", "jttf", "JTTF-SEA", "wa", "fbi_sea",
                  ("hsi_sea", "ofo_sea", "usms_wdwa", "atf_sea", "uscis_sea", "wsp", "seattle_pd", "king_so",
                   "port_seattle_pd", "rcmp_e", "interpol"),
                  "Western Washington", 0.7, 2002),
    TaskForceSpec("Fugitive Operations Task Force Western Washington", "fugitive", "FUG-WWA", "wa",
                  "usms_wdwa",
                  ("ero_sea", "wsp", "wa_doc", "king_so", "snohomish_so", "skagit_so", "seattle_pd",
                   "everett_pd", "bellingham_pd", "tulalip_pd"),
                  "Western Washington", 1.2, 2004),
    TaskForceSpec("CBP–ICE Joint Working Group Blaine", "working_group", "WG-BLA", "wa", "ofo_sea",
                  ("poe_blaine", "poe_sumas", "poe_lynden", "hsi_blaine", "hsi_sea", "usbp_blaine",
                   "uscis_sea"),
                  "Ports of Blaine, Sumas and Lynden", 0.5, 2016, 21),
    TaskForceSpec("BEST Buffalo", "best", "BEST-BUF", "ny", "hsi_buf",
                  ("poe_buffalo", "usbp_buffalo", "dea_buf", "uscg_buffalo", "nysp", "erie_so", "niagara_so",
                   "buffalo_pd", "niagara_falls_pd", "seneca_marshals", "cbsa_fort_erie", "rcmp_niagara",
                   "niagara_rps"),
                  "Western New York: Buffalo, Niagara Falls, the Niagara frontier", 1.2, 2007),
    TaskForceSpec("ShipRider Puget Sound", "shiprider", "SR-PUG", "wa", "uscg_puget",
                  ("rcmp_e", "rcmp_white_rock", "amo_bellingham", "hsi_blaine", "wdfw", "san_juan_so",
                   "whatcom_so", "delta_pd", "vancouver_pd"),
                  "Haro Strait, Boundary Bay, the San Juan and Gulf Islands", 0.6, 2013),
    TaskForceSpec("IBET Detroit–Windsor", "ibet", "IBET-DET", "mi", "usbp_detroit",
                  ("poe_detroit", "hsi_det", "uscg_detroit", "rcmp_windsor", "cbsa_ambassador", "opp",
                   "windsor_ps", "detroit_pd", "wayne_so"),
                  "Detroit – Windsor corridor", 0.9, 2006),
    TaskForceSpec("JTTF Detroit", "jttf", "JTTF-DET", "mi", "fbi_det",
                  ("hsi_det", "ofo_det", "usms_edmi", "atf_det", "msp", "detroit_pd", "wayne_so", "macomb_so",
                   "rcmp_o"),
                  "Eastern Michigan", 0.7, 2002),
    TaskForceSpec("BEST Blaine", "best", "BEST-BLA", "wa", "hsi_blaine",
                  ("poe_blaine", "poe_lynden", "poe_sumas", "usbp_blaine", "whatcom_so", "blaine_pd",
                   "bellingham_pd", "lummi_pd", "nooksack_pd", "cbsa_pac_hwy", "rcmp_white_rock"),
                  "Whatcom County and the Lower Mainland border", 1.0, 2011),
    TaskForceSpec("Fugitive Operations Task Force Eastern Michigan", "fugitive", "FUG-EMI", "mi", "usms_edmi",
                  ("ero_det", "msp", "mi_doc", "wayne_so", "macomb_so", "monroe_so", "detroit_pd",
                   "port_huron_pd"),
                  "Eastern District of Michigan", 1.0, 2005),
    TaskForceSpec("IBET Champlain", "ibet", "IBET-CHA", "ch", "usbp_swanton",
                  ("poe_champlain", "poe_massena", "hsi_massena", "vsp", "nysp", "clinton_so",
                   "franklin_vt_so", "st_regis_pd", "rcmp_c", "rcmp_cornwall", "cbsa_lacolle", "sq"),
                  "New York – Vermont – Quebec border, Lake Champlain, the St. Lawrence", 0.8, 2005),
    TaskForceSpec("CBP–ICE Joint Working Group Detroit", "working_group", "WG-DET", "mi", "ofo_det",
                  ("poe_detroit", "poe_port_huron", "poe_sault", "hsi_det", "usbp_detroit"),
                  "Ports of Detroit, Port Huron and Sault Ste. Marie", 0.5, 2017, 21),
    TaskForceSpec("JTTF Buffalo", "jttf", "JTTF-BUF", "ny", "fbi_buf",
                  ("hsi_buf", "ofo_buf", "usms_wdny", "nysp", "erie_so", "buffalo_pd", "niagara_falls_pd",
                   "rcmp_niagara"),
                  "Western New York", 0.6, 2002),
    TaskForceSpec("ShipRider Niagara", "shiprider", "SR-NIA", "ny", "uscg_buffalo",
                  ("rcmp_niagara", "rcmp_o", "amo_great_lakes", "hsi_buf", "nysp", "niagara_so", "erie_so",
                   "niagara_rps"),
                  "Niagara River, eastern Lake Erie, western Lake Ontario", 0.5, 2013),
    TaskForceSpec("BEST Spokane", "best", "BEST-SPO", "sp", "hsi_spokane",
                  ("poe_oroville", "poe_sweetgrass", "usbp_spokane", "usbp_havre", "dea_sea", "wsp", "mhp",
                   "spokane_so", "spokane_pd", "okanogan_so", "toole_so", "colville_pd", "blackfeet_les",
                   "cbsa_coutts", "rcmp_milk_river"),
                  "Eastern Washington and Montana: Oroville to Sweetgrass", 0.9, 2010),
    TaskForceSpec("Fugitive Operations Task Force Western New York", "fugitive", "FUG-WNY", "ny", "usms_wdny",
                  ("ero_buf", "nysp", "ny_doccs", "erie_so", "niagara_so", "buffalo_pd", "niagara_falls_pd"),
                  "Western District of New York", 0.8, 2005),
    TaskForceSpec("Northwest HIDTA Border Interdiction Initiative", "other", "HIDTA-NWB", "wa", "wsp",
                  ("dea_sea", "hsi_sea", "usbp_blaine", "whatcom_so", "skagit_so", "snohomish_so",
                   "bellingham_pd", "everett_pd", "swinomish_pd", "tulalip_pd"),
                  "Interstate 5 corridor, Blaine to Seattle", 0.8, 2009),
]

# 287(g) agreements (agency key, signed year, term years): only where a state allows them.
AGREEMENTS_287G = [("st_clair_so", 2023, 4), ("monroe_so", 2021, 5), ("niagara_so", 2022, 5),
                   ("clinton_so", 2017, 3), ("toole_so", 2022, 5), ("macomb_so", 2024, 4)]


def task_force_count(cases: int) -> int:
    """About 7 task forces for 500 cases, 14 for 10,000, 20 for 100,000 and more."""
    return max(7, min(len(TASK_FORCES), round(7 + 5.6 * (math.log10(max(cases, 1)) - 2.7))))

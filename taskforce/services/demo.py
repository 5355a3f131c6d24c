"""The demo data set: a realistic, consistent and entirely fictitious task-force database.

``generate_demo`` fills a new, empty database (it refuses one holding records of its own)
with agencies at every level nested under the reference agencies, written agreements, task
forces of every kind with their participants, members with assignments, cross-designations
(some expired, some expiring within 30/60/90 days) and training, and cases with statutes,
caveats, members, subjects (some on several cases, for deconfliction) and notes.

Agencies are real institutions (their names are public); every person is fictitious: names
are random combinations of common given and family names, phone numbers are in the 555-01xx
range reserved for fiction, e-mail addresses are at example.gov.

The same seed gives the same data set. Everything is written in one audited transaction
(all or nothing) with bulk inserts, so 100,000 cases take well under a minute.
"""

from __future__ import annotations

import math
import random
import time
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from sqlalchemy import Connection, func, select

from taskforce.domain.errors import TaskforceError
from taskforce.i18n import tr
from taskforce.services import stats
from taskforce.services.context import Context
from taskforce.services.tx import Tx, write
from taskforce.store import schema as S

MIN_CASES = 1
MAX_CASES = 1_000_000
BATCH_CASES = 2_000
BULK_CACHE_KIB = 256 * 1024


class DemoRefused(TaskforceError):
    """The demo data set cannot go into this database (or the request is out of range)."""


@dataclass(frozen=True)
class DemoReport:
    cases: int
    subjects: int
    members: int
    agencies: int  # agencies the demo created (the reference agencies come with every database)
    task_forces: int
    seconds: float


# =============================================================================================
# Catalogue: agencies (real institutions), regions, task forces
# =============================================================================================

# key, parent (a catalogue key or a reference ref_key), name, abbreviation, level, country,
# state/province, county, agency type, staff profile (ranks; None: no members come from it)
AGENCIES: list[tuple] = [
    # --- DHS field offices -------------------------------------------------------------------
    ("ofo_sea", "cbp_ofo", "CBP OFO Seattle Field Office", "OFO SEA", "federal", "US", "WA", "", "Field office", "ofo"),
    ("poe_blaine", "ofo_sea", "Port of Blaine", "POE Blaine", "federal", "US", "WA", "Whatcom County", "Port of entry", "ofo"),
    ("poe_sumas", "ofo_sea", "Port of Sumas", "POE Sumas", "federal", "US", "WA", "Whatcom County", "Port of entry", "ofo"),
    ("poe_lynden", "ofo_sea", "Port of Lynden", "POE Lynden", "federal", "US", "WA", "Whatcom County", "Port of entry", "ofo"),
    ("poe_seattle", "ofo_sea", "Area Port of Seattle", "POE Seattle", "federal", "US", "WA", "King County", "Port of entry", "ofo"),
    ("poe_oroville", "ofo_sea", "Port of Oroville", "POE Oroville", "federal", "US", "WA", "Okanogan County", "Port of entry", "ofo"),
    ("poe_sweetgrass", "ofo_sea", "Port of Sweetgrass", "POE Sweetgrass", "federal", "US", "MT", "Toole County", "Port of entry", "ofo"),
    ("ofo_det", "cbp_ofo", "CBP OFO Detroit Field Office", "OFO DET", "federal", "US", "MI", "", "Field office", "ofo"),
    ("poe_detroit", "ofo_det", "Port of Detroit", "POE Detroit", "federal", "US", "MI", "Wayne County", "Port of entry", "ofo"),
    ("poe_port_huron", "ofo_det", "Port of Port Huron", "POE Port Huron", "federal", "US", "MI", "St. Clair County", "Port of entry", "ofo"),
    ("poe_sault", "ofo_det", "Port of Sault Ste. Marie", "POE Sault", "federal", "US", "MI", "Chippewa County", "Port of entry", "ofo"),
    ("ofo_buf", "cbp_ofo", "CBP OFO Buffalo Field Office", "OFO BUF", "federal", "US", "NY", "", "Field office", "ofo"),
    ("poe_buffalo", "ofo_buf", "Port of Buffalo", "POE Buffalo", "federal", "US", "NY", "Erie County", "Port of entry", "ofo"),
    ("poe_champlain", "ofo_buf", "Port of Champlain", "POE Champlain", "federal", "US", "NY", "Clinton County", "Port of entry", "ofo"),
    ("poe_massena", "ofo_buf", "Port of Massena", "POE Massena", "federal", "US", "NY", "St. Lawrence County", "Port of entry", "ofo"),
    ("usbp_blaine", "cbp_usbp", "USBP Blaine Sector", "BLW", "federal", "US", "WA", "", "Border Patrol sector", "usbp"),
    ("usbp_spokane", "cbp_usbp", "USBP Spokane Sector", "SPW", "federal", "US", "WA", "", "Border Patrol sector", "usbp"),
    ("usbp_havre", "cbp_usbp", "USBP Havre Sector", "HVM", "federal", "US", "MT", "", "Border Patrol sector", "usbp"),
    ("usbp_detroit", "cbp_usbp", "USBP Detroit Sector", "DTM", "federal", "US", "MI", "", "Border Patrol sector", "usbp"),
    ("usbp_buffalo", "cbp_usbp", "USBP Buffalo Sector", "BUN", "federal", "US", "NY", "", "Border Patrol sector", "usbp"),
    ("usbp_swanton", "cbp_usbp", "USBP Swanton Sector", "SWB", "federal", "US", "VT", "", "Border Patrol sector", "usbp"),
    ("amo_bellingham", "cbp_amo", "CBP AMO Bellingham Air and Marine Branch", "AMO BLI", "federal", "US", "WA", "Whatcom County", "Air and marine branch", "amo"),
    ("amo_great_lakes", "cbp_amo", "CBP AMO Great Lakes Air and Marine Branch", "AMO GLK", "federal", "US", "MI", "", "Air and marine branch", "amo"),
    ("hsi_sea", "ice_hsi", "ICE HSI Seattle", "HSI SEA", "federal", "US", "WA", "King County", "Special agent in charge office", "hsi"),
    ("hsi_blaine", "hsi_sea", "ICE HSI Blaine", "HSI BLA", "federal", "US", "WA", "Whatcom County", "Resident agent office", "hsi"),
    ("hsi_spokane", "hsi_sea", "ICE HSI Spokane", "HSI SPO", "federal", "US", "WA", "Spokane County", "Resident agent office", "hsi"),
    ("hsi_det", "ice_hsi", "ICE HSI Detroit", "HSI DET", "federal", "US", "MI", "Wayne County", "Special agent in charge office", "hsi"),
    ("hsi_buf", "ice_hsi", "ICE HSI Buffalo", "HSI BUF", "federal", "US", "NY", "Erie County", "Special agent in charge office", "hsi"),
    ("hsi_massena", "hsi_buf", "ICE HSI Massena", "HSI MAS", "federal", "US", "NY", "St. Lawrence County", "Resident agent office", "hsi"),
    ("ero_sea", "ice", "ICE ERO Seattle Field Office", "ERO SEA", "federal", "US", "WA", "", "Field office", "ero"),
    ("ero_det", "ice", "ICE ERO Detroit Field Office", "ERO DET", "federal", "US", "MI", "", "Field office", "ero"),
    ("ero_buf", "ice", "ICE ERO Buffalo Field Office", "ERO BUF", "federal", "US", "NY", "", "Field office", "ero"),
    ("uscis_sea", "uscis", "USCIS Seattle Field Office", "USCIS SEA", "federal", "US", "WA", "King County", "Field office", "uscis"),
    ("uscg_d13", "uscg", "USCG District 13", "D13", "federal", "US", "WA", "", "Coast Guard district", None),
    ("uscg_puget", "uscg_d13", "USCG Sector Puget Sound", "SEC PS", "federal", "US", "WA", "King County", "Coast Guard sector", "uscg"),
    ("uscg_d9", "uscg", "USCG District 9", "D9", "federal", "US", "OH", "", "Coast Guard district", None),
    ("uscg_detroit", "uscg_d9", "USCG Sector Detroit", "SEC DET", "federal", "US", "MI", "Wayne County", "Coast Guard sector", "uscg"),
    ("uscg_buffalo", "uscg_d9", "USCG Sector Buffalo", "SEC BUF", "federal", "US", "NY", "Erie County", "Coast Guard sector", "uscg"),
    # --- DOJ, Treasury -----------------------------------------------------------------------
    ("fbi_sea", "fbi", "FBI Seattle Field Office", "FBI SE", "federal", "US", "WA", "King County", "Field office", "fbi"),
    ("fbi_det", "fbi", "FBI Detroit Field Office", "FBI DE", "federal", "US", "MI", "Wayne County", "Field office", "fbi"),
    ("fbi_buf", "fbi", "FBI Buffalo Field Office", "FBI BF", "federal", "US", "NY", "Erie County", "Field office", "fbi"),
    ("dea_sea", "dea", "DEA Seattle Field Division", "DEA SEA", "federal", "US", "WA", "King County", "Field division", "dea"),
    ("dea_det", "dea", "DEA Detroit Field Division", "DEA DET", "federal", "US", "MI", "Wayne County", "Field division", "dea"),
    ("dea_ny", "dea", "DEA New York Field Division", "DEA NY", "federal", "US", "NY", "", "Field division", None),
    ("dea_buf", "dea_ny", "DEA Buffalo Resident Office", "DEA BUF", "federal", "US", "NY", "Erie County", "Resident office", "dea"),
    ("usms_wdwa", "usms", "USMS Western District of Washington", "USMS WDWA", "federal", "US", "WA", "", "District office", "usms"),
    ("usms_edwa", "usms", "USMS Eastern District of Washington", "USMS EDWA", "federal", "US", "WA", "", "District office", "usms"),
    ("usms_edmi", "usms", "USMS Eastern District of Michigan", "USMS EDMI", "federal", "US", "MI", "", "District office", "usms"),
    ("usms_wdny", "usms", "USMS Western District of New York", "USMS WDNY", "federal", "US", "NY", "", "District office", "usms"),
    ("atf", "doj", "Bureau of Alcohol, Tobacco, Firearms and Explosives", "ATF", "federal", "US", "", "", "Component", None),
    ("atf_sea", "atf", "ATF Seattle Field Division", "ATF SEA", "federal", "US", "WA", "", "Field division", "atf"),
    ("atf_det", "atf", "ATF Detroit Field Division", "ATF DET", "federal", "US", "MI", "", "Field division", "atf"),
    ("usao_wdwa", "doj", "U.S. Attorney's Office, Western District of Washington", "USAO WDWA", "federal", "US", "WA", "", "Prosecutor", None),
    ("usao_edwa", "doj", "U.S. Attorney's Office, Eastern District of Washington", "USAO EDWA", "federal", "US", "WA", "", "Prosecutor", None),
    ("usao_edmi", "doj", "U.S. Attorney's Office, Eastern District of Michigan", "USAO EDMI", "federal", "US", "MI", "", "Prosecutor", None),
    ("usao_wdny", "doj", "U.S. Attorney's Office, Western District of New York", "USAO WDNY", "federal", "US", "NY", "", "Prosecutor", None),
    ("usao_ndny", "doj", "U.S. Attorney's Office, Northern District of New York", "USAO NDNY", "federal", "US", "NY", "", "Prosecutor", None),
    ("treasury", None, "Department of the Treasury", "Treasury", "federal", "US", "", "", "Department", None),
    ("irs_ci", "treasury", "IRS Criminal Investigation", "IRS-CI", "federal", "US", "", "", "Component", None),
    ("irs_ci_sea", "irs_ci", "IRS-CI Seattle Field Office", "IRS-CI SEA", "federal", "US", "WA", "", "Field office", "irs"),
    ("irs_ci_det", "irs_ci", "IRS-CI Detroit Field Office", "IRS-CI DET", "federal", "US", "MI", "", "Field office", "irs"),
    # --- state -------------------------------------------------------------------------------
    ("wsp", None, "Washington State Patrol", "WSP", "state", "US", "WA", "", "State police", "state"),
    ("wdfw", None, "Washington Department of Fish and Wildlife Police", "WDFW", "state", "US", "WA", "", "State agency", "wildlife"),
    ("wa_doc", None, "Washington State Department of Corrections", "WADOC", "state", "US", "WA", "", "State corrections", "doc"),
    ("msp", None, "Michigan State Police", "MSP", "state", "US", "MI", "", "State police", "state"),
    ("mi_doc", None, "Michigan Department of Corrections", "MDOC", "state", "US", "MI", "", "State corrections", "doc"),
    ("nysp", None, "New York State Police", "NYSP", "state", "US", "NY", "", "State police", "state"),
    ("ny_doccs", None, "New York State Department of Corrections and Community Supervision", "DOCCS", "state", "US", "NY", "", "State corrections", "doc"),
    ("mhp", None, "Montana Highway Patrol", "MHP", "state", "US", "MT", "", "State police", "state"),
    ("vsp", None, "Vermont State Police", "VSP", "state", "US", "VT", "", "State police", "state"),
    # --- local ---------------------------------------------------------------------------------
    ("whatcom_so", None, "Whatcom County Sheriff's Office", "WCSO", "local", "US", "WA", "Whatcom County", "Sheriff", "sheriff"),
    ("skagit_so", None, "Skagit County Sheriff's Office", "SCSO", "local", "US", "WA", "Skagit County", "Sheriff", "sheriff"),
    ("snohomish_so", None, "Snohomish County Sheriff's Office", "SNOCO", "local", "US", "WA", "Snohomish County", "Sheriff", "sheriff"),
    ("king_so", None, "King County Sheriff's Office", "KCSO", "local", "US", "WA", "King County", "Sheriff", "sheriff"),
    ("san_juan_so", None, "San Juan County Sheriff's Office", "SJCSO", "local", "US", "WA", "San Juan County", "Sheriff", "sheriff"),
    ("seattle_pd", None, "Seattle Police Department", "SPD", "local", "US", "WA", "King County", "Municipal police", "police"),
    ("bellingham_pd", None, "Bellingham Police Department", "BPD", "local", "US", "WA", "Whatcom County", "Municipal police", "police"),
    ("blaine_pd", None, "Blaine Police Department", "Blaine PD", "local", "US", "WA", "Whatcom County", "Municipal police", "police"),
    ("everett_pd", None, "Everett Police Department", "EPD", "local", "US", "WA", "Snohomish County", "Municipal police", "police"),
    ("port_seattle_pd", None, "Port of Seattle Police Department", "POSPD", "local", "US", "WA", "King County", "Port police", "police"),
    ("spokane_so", None, "Spokane County Sheriff's Office", "SCSO SPK", "local", "US", "WA", "Spokane County", "Sheriff", "sheriff"),
    ("spokane_pd", None, "Spokane Police Department", "Spokane PD", "local", "US", "WA", "Spokane County", "Municipal police", "police"),
    ("okanogan_so", None, "Okanogan County Sheriff's Office", "OCSO", "local", "US", "WA", "Okanogan County", "Sheriff", "sheriff"),
    ("toole_so", None, "Toole County Sheriff's Office", "TCSO", "local", "US", "MT", "Toole County", "Sheriff", "sheriff"),
    ("wayne_so", None, "Wayne County Sheriff's Office", "WCSO MI", "local", "US", "MI", "Wayne County", "Sheriff", "sheriff"),
    ("detroit_pd", None, "Detroit Police Department", "DPD", "local", "US", "MI", "Wayne County", "Municipal police", "police"),
    ("macomb_so", None, "Macomb County Sheriff's Office", "MCSO", "local", "US", "MI", "Macomb County", "Sheriff", "sheriff"),
    ("st_clair_so", None, "St. Clair County Sheriff's Office", "SCCSO", "local", "US", "MI", "St. Clair County", "Sheriff", "sheriff"),
    ("monroe_so", None, "Monroe County Sheriff's Office", "MCSO MI", "local", "US", "MI", "Monroe County", "Sheriff", "sheriff"),
    ("port_huron_pd", None, "Port Huron Police Department", "PHPD", "local", "US", "MI", "St. Clair County", "Municipal police", "police"),
    ("erie_so", None, "Erie County Sheriff's Office", "ECSO", "local", "US", "NY", "Erie County", "Sheriff", "sheriff"),
    ("niagara_so", None, "Niagara County Sheriff's Office", "NCSO", "local", "US", "NY", "Niagara County", "Sheriff", "sheriff"),
    ("buffalo_pd", None, "Buffalo Police Department", "BPD NY", "local", "US", "NY", "Erie County", "Municipal police", "police"),
    ("niagara_falls_pd", None, "Niagara Falls Police Department", "NFPD", "local", "US", "NY", "Niagara County", "Municipal police", "police"),
    ("clinton_so", None, "Clinton County Sheriff's Office", "CCSO", "local", "US", "NY", "Clinton County", "Sheriff", "sheriff"),
    ("st_lawrence_so", None, "St. Lawrence County Sheriff's Office", "SLCSO", "local", "US", "NY", "St. Lawrence County", "Sheriff", "sheriff"),
    ("franklin_vt_so", None, "Franklin County Sheriff's Office", "FCSO VT", "local", "US", "VT", "Franklin County", "Sheriff", "sheriff"),
    # --- tribal ------------------------------------------------------------------------------
    ("lummi_pd", None, "Lummi Nation Police Department", "Lummi PD", "tribal", "US", "WA", "Whatcom County", "Tribal police", "tribal"),
    ("tulalip_pd", None, "Tulalip Tribal Police Department", "Tulalip PD", "tribal", "US", "WA", "Snohomish County", "Tribal police", "tribal"),
    ("swinomish_pd", None, "Swinomish Tribal Police Department", "Swinomish PD", "tribal", "US", "WA", "Skagit County", "Tribal police", "tribal"),
    ("nooksack_pd", None, "Nooksack Tribal Police Department", "Nooksack PD", "tribal", "US", "WA", "Whatcom County", "Tribal police", "tribal"),
    ("colville_pd", None, "Colville Tribal Police Department", "Colville PD", "tribal", "US", "WA", "Okanogan County", "Tribal police", "tribal"),
    ("blackfeet_les", None, "Blackfeet Law Enforcement Services", "BLES", "tribal", "US", "MT", "Glacier County", "Tribal police", "tribal"),
    ("sault_tribe_pd", None, "Sault Ste. Marie Tribe of Chippewa Indians Police Department", "Sault Tribe PD", "tribal", "US", "MI", "Chippewa County", "Tribal police", "tribal"),
    ("seneca_marshals", None, "Seneca Nation Marshals", "SNM", "tribal", "US", "NY", "Cattaraugus County", "Tribal police", "tribal"),
    ("st_regis_pd", None, "Saint Regis Mohawk Tribal Police Department", "SRMTPD", "tribal", "US", "NY", "Franklin County", "Tribal police", "tribal"),
    # --- foreign -----------------------------------------------------------------------------
    ("rcmp_e", "rcmp", "RCMP E Division (British Columbia)", "RCMP E Div", "foreign", "CA", "BC", "", "Division", "rcmp"),
    ("rcmp_langley", "rcmp_e", "RCMP Langley Detachment", "RCMP Langley", "foreign", "CA", "BC", "", "Detachment", "rcmp"),
    ("rcmp_white_rock", "rcmp_e", "RCMP White Rock Detachment", "RCMP White Rock", "foreign", "CA", "BC", "", "Detachment", "rcmp"),
    ("rcmp_fsoc_pac", "rcmp_e", "RCMP Federal Serious and Organized Crime, Pacific Region", "RCMP FSOC", "foreign", "CA", "BC", "", "Unit", "rcmp"),
    ("rcmp_k", "rcmp", "RCMP K Division (Alberta)", "RCMP K Div", "foreign", "CA", "AB", "", "Division", "rcmp"),
    ("rcmp_milk_river", "rcmp_k", "RCMP Milk River Detachment", "RCMP Milk River", "foreign", "CA", "AB", "", "Detachment", "rcmp"),
    ("rcmp_o", "rcmp", "RCMP O Division (Ontario)", "RCMP O Div", "foreign", "CA", "ON", "", "Division", "rcmp"),
    ("rcmp_windsor", "rcmp_o", "RCMP Windsor Detachment", "RCMP Windsor", "foreign", "CA", "ON", "", "Detachment", "rcmp"),
    ("rcmp_niagara", "rcmp_o", "RCMP Niagara Falls Detachment", "RCMP Niagara", "foreign", "CA", "ON", "", "Detachment", "rcmp"),
    ("rcmp_cornwall", "rcmp_o", "RCMP Cornwall Detachment", "RCMP Cornwall", "foreign", "CA", "ON", "", "Detachment", "rcmp"),
    ("rcmp_c", "rcmp", "RCMP C Division (Quebec)", "RCMP C Div", "foreign", "CA", "QC", "", "Division", "rcmp"),
    ("cbsa_pac", "cbsa", "CBSA Pacific Region", "CBSA PAC", "foreign", "CA", "BC", "", "Region", "cbsa"),
    ("cbsa_douglas", "cbsa_pac", "CBSA Douglas Port of Entry", "CBSA Douglas", "foreign", "CA", "BC", "", "Port of entry", "cbsa"),
    ("cbsa_pac_hwy", "cbsa_pac", "CBSA Pacific Highway Port of Entry", "CBSA Pac Hwy", "foreign", "CA", "BC", "", "Port of entry", "cbsa"),
    ("cbsa_prairie", "cbsa", "CBSA Prairie Region", "CBSA PRA", "foreign", "CA", "AB", "", "Region", "cbsa"),
    ("cbsa_coutts", "cbsa_prairie", "CBSA Coutts Port of Entry", "CBSA Coutts", "foreign", "CA", "AB", "", "Port of entry", "cbsa"),
    ("cbsa_so", "cbsa", "CBSA Southern Ontario Region", "CBSA SOR", "foreign", "CA", "ON", "", "Region", "cbsa"),
    ("cbsa_ambassador", "cbsa_so", "CBSA Ambassador Bridge Port of Entry", "CBSA Ambassador", "foreign", "CA", "ON", "", "Port of entry", "cbsa"),
    ("cbsa_fort_erie", "cbsa_so", "CBSA Fort Erie Port of Entry", "CBSA Fort Erie", "foreign", "CA", "ON", "", "Port of entry", "cbsa"),
    ("cbsa_que", "cbsa", "CBSA Quebec Region", "CBSA QUE", "foreign", "CA", "QC", "", "Region", "cbsa"),
    ("cbsa_lacolle", "cbsa_que", "CBSA Lacolle Port of Entry", "CBSA Lacolle", "foreign", "CA", "QC", "", "Port of entry", "cbsa"),
    ("vancouver_pd", None, "Vancouver Police Department", "VPD", "foreign", "CA", "BC", "", "Municipal police", "fpolice"),
    ("delta_pd", None, "Delta Police Department", "DPD BC", "foreign", "CA", "BC", "", "Municipal police", "fpolice"),
    ("opp", None, "Ontario Provincial Police", "OPP", "foreign", "CA", "ON", "", "Provincial police", "fpolice"),
    ("windsor_ps", None, "Windsor Police Service", "WPS", "foreign", "CA", "ON", "", "Municipal police", "fpolice"),
    ("niagara_rps", None, "Niagara Regional Police Service", "NRPS", "foreign", "CA", "ON", "", "Regional police", "fpolice"),
    ("sq", None, "Sûreté du Québec", "SQ", "foreign", "CA", "QC", "", "Provincial police", "fpolice"),
    ("fgr", None, "Fiscalía General de la República", "FGR", "foreign", "MX", "", "", "Prosecutor", "mexico"),
    # --- international -----------------------------------------------------------------------
    ("interpol", None, "INTERPOL", "INTERPOL", "international", "INT", "", "", "International organization", "intl"),
    ("europol", None, "Europol", "Europol", "international", "INT", "", "", "International organization", "intl"),
    ("wco", None, "World Customs Organization", "WCO", "international", "INT", "", "", "International organization", None),
]

# The FBI Crime Data Explorer ORIs of the state, local and tribal agencies above: an agency
# list imported before the demo is reused (no duplicates), one imported after updates these.
ORIS = {
    "wsp": "WAWSP0000", "msp": "MI3300100", "mhp": "MTMHP0000", "vsp": "VTVSP0000",
    "whatcom_so": "WA0370000", "skagit_so": "WA0290000", "snohomish_so": "WA0310000", "king_so": "WA0170000",
    "san_juan_so": "WA0280000", "seattle_pd": "WASPD0000", "bellingham_pd": "WA0370100",
    "blaine_pd": "WA0370200", "everett_pd": "WA0310300", "port_seattle_pd": "WA0173200",
    "spokane_so": "WA0320000", "spokane_pd": "WA0320400", "okanogan_so": "WA0240000", "toole_so": "MT0510000",
    "wayne_so": "MI8218200", "detroit_pd": "MI8234900", "macomb_so": "MI5015000", "st_clair_so": "MI7417400",
    "monroe_so": "MI5815800", "port_huron_pd": "MI7467600", "erie_so": "NY0140000", "niagara_so": "NY0310000",
    "buffalo_pd": "NY0140100", "niagara_falls_pd": "NY0310200", "clinton_so": "NY0090000",
    "st_lawrence_so": "NY0440000", "franklin_vt_so": "VT0060000", "lummi_pd": "WADI05900",
    "tulalip_pd": "WADI06800", "swinomish_pd": "WADI06400", "nooksack_pd": "WADI01400",
    "colville_pd": "WADI05700", "blackfeet_les": "MTDI05300", "sault_tribe_pd": "MIDI05200",
}

# ranks of each staff profile: (rank, assignment role, weight)
RANKS: dict[str, list[tuple[str, str, int]]] = {
    "ofo": [("CBP Officer", "officer", 5), ("CBP Officer (Enforcement)", "officer", 3),
            ("Supervisory CBP Officer", "supervisor", 1), ("Intelligence Research Specialist", "analyst", 1)],
    "usbp": [("Border Patrol Agent", "officer", 5), ("Border Patrol Agent (Intelligence)", "officer", 2),
             ("Supervisory Border Patrol Agent", "supervisor", 1)],
    "amo": [("Marine Interdiction Agent", "officer", 4), ("Air Interdiction Agent", "officer", 1),
            ("Supervisory Marine Interdiction Agent", "supervisor", 1)],
    "hsi": [("Special Agent", "special_agent", 7), ("Group Supervisor", "supervisor", 1),
            ("Criminal Analyst", "analyst", 2)],
    "ero": [("Deportation Officer", "officer", 4), ("Supervisory Detention and Deportation Officer", "supervisor", 1)],
    "uscis": [("Immigration Officer", "officer", 2), ("FDNS Immigration Officer", "officer", 2)],
    "uscg": [("Boatswain's Mate First Class", "officer", 3), ("Maritime Enforcement Specialist", "officer", 3),
             ("Lieutenant (junior grade)", "officer", 1), ("Chief Boatswain's Mate", "supervisor", 1)],
    "fbi": [("Special Agent", "special_agent", 6), ("Supervisory Special Agent", "supervisor", 1),
            ("Intelligence Analyst", "analyst", 2)],
    "dea": [("Special Agent", "special_agent", 5), ("Group Supervisor", "supervisor", 1),
            ("Intelligence Research Specialist", "analyst", 1)],
    "usms": [("Deputy U.S. Marshal", "officer", 5), ("Supervisory Deputy U.S. Marshal", "supervisor", 1),
             ("Investigative Research Analyst", "analyst", 1)],
    "atf": [("Special Agent", "special_agent", 4), ("Intelligence Research Specialist", "analyst", 1)],
    "irs": [("Special Agent", "special_agent", 4), ("Investigative Analyst", "analyst", 1)],
    "state": [("Trooper", "tfo", 4), ("Detective", "tfo", 3), ("Sergeant", "tfo", 2), ("Criminal Intelligence Analyst", "analyst", 1)],
    "wildlife": [("Fish and Wildlife Officer", "tfo", 3), ("Sergeant", "tfo", 1)],
    "doc": [("Community Corrections Officer", "tfo", 3), ("Parole Officer", "tfo", 2)],
    "sheriff": [("Deputy", "tfo", 3), ("Detective", "tfo", 4), ("Sergeant", "tfo", 2), ("Crime Analyst", "analyst", 1)],
    "police": [("Officer", "tfo", 2), ("Detective", "tfo", 5), ("Sergeant", "tfo", 2), ("Crime Analyst", "analyst", 1)],
    "tribal": [("Officer", "tfo", 4), ("Criminal Investigator", "tfo", 2), ("Sergeant", "tfo", 1)],
    "rcmp": [("Constable", "officer", 5), ("Corporal", "officer", 3), ("Sergeant", "officer", 1),
             ("Staff Sergeant", "supervisor", 1)],
    "cbsa": [("Border Services Officer", "officer", 4), ("Intelligence Officer", "officer", 2),
             ("Criminal Investigator", "officer", 2), ("Superintendent", "supervisor", 1)],
    "fpolice": [("Constable", "officer", 4), ("Detective Constable", "officer", 2), ("Sergeant", "officer", 1)],
    "mexico": [("Federal Ministerial Police Agent", "attache", 1)],
    "intl": [("Liaison Officer", "attache", 1)],
}

LEVEL_OF_PROFILE_STATE_LOCAL = ("state", "local", "tribal")
CANADIAN_AREA_CODES = frozenset(("604", "778", "250", "403", "519", "905", "289", "514", "450"))


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
    uscg: str
    usao: str


REGIONS: dict[str, Region] = {
    "wa": Region(
        ports=("Blaine", "Sumas", "Lynden", "Point Roberts", "the Pacific Highway crossing"),
        waters=("the San Juan Islands", "Haro Strait", "Boundary Bay", "the Strait of Juan de Fuca", "Puget Sound"),
        cities=("Seattle", "Bellingham", "Everett", "Tacoma", "Mount Vernon", "Lynnwood", "Ferndale"),
        foreign=("Vancouver", "Surrey", "Abbotsford", "Richmond"),
        airports=("Seattle-Tacoma International Airport", "Bellingham International Airport"),
        seaports=("the Port of Seattle", "the Port of Tacoma"),
        area_codes=("206", "253", "360", "425", "604", "778"),
        plates=("WA", "WA", "WA", "BC", "BC", "OR"),
        hsi="hsi_sea", dea="dea_sea", usms="usms_wdwa", ero="ero_sea", rcmp="rcmp_e",
        uscg="uscg_puget", usao="usao_wdwa"),
    "sp": Region(
        ports=("Sweetgrass", "Oroville", "Danville", "Roosville", "Piegan"),
        waters=("Lake Koocanusa", "Osoyoos Lake", "the Columbia River"),
        cities=("Spokane", "Great Falls", "Shelby", "Wenatchee", "Kalispell", "Omak"),
        foreign=("Calgary", "Lethbridge", "Kelowna", "Osoyoos"),
        airports=("Spokane International Airport", "Great Falls International Airport"),
        seaports=("Sweetgrass", "Oroville"),
        area_codes=("509", "406", "403", "250"),
        plates=("WA", "MT", "MT", "AB", "BC", "ID"),
        hsi="hsi_spokane", dea="dea_sea", usms="usms_edwa", ero="ero_sea", rcmp="rcmp_k",
        uscg="uscg_puget", usao="usao_edwa"),
    "mi": Region(
        ports=("the Ambassador Bridge", "the Detroit–Windsor Tunnel", "the Blue Water Bridge",
               "Sault Ste. Marie", "the Gordie Howe International Bridge"),
        waters=("the Detroit River", "the St. Clair River", "Lake St. Clair", "Lake Erie", "the St. Marys River"),
        cities=("Detroit", "Dearborn", "Port Huron", "Warren", "Monroe", "Taylor", "Southfield"),
        foreign=("Windsor", "Sarnia", "Toronto", "Leamington"),
        airports=("Detroit Metropolitan Airport",),
        seaports=("the Port of Detroit", "the Port of Monroe"),
        area_codes=("313", "586", "734", "810", "519"),
        plates=("MI", "MI", "MI", "ON", "ON", "OH"),
        hsi="hsi_det", dea="dea_det", usms="usms_edmi", ero="ero_det", rcmp="rcmp_o",
        uscg="uscg_detroit", usao="usao_edmi"),
    "ny": Region(
        ports=("the Peace Bridge", "the Lewiston–Queenston Bridge", "the Rainbow Bridge", "the Whirlpool Bridge"),
        waters=("the Niagara River", "Lake Ontario", "Lake Erie"),
        cities=("Buffalo", "Niagara Falls", "Rochester", "Lockport", "Tonawanda", "Cheektowaga"),
        foreign=("Fort Erie", "St. Catharines", "Hamilton", "Toronto"),
        airports=("Buffalo Niagara International Airport",),
        seaports=("the Port of Buffalo",),
        area_codes=("716", "585", "905", "289"),
        plates=("NY", "NY", "NY", "ON", "ON", "PA"),
        hsi="hsi_buf", dea="dea_buf", usms="usms_wdny", ero="ero_buf", rcmp="rcmp_o",
        uscg="uscg_buffalo", usao="usao_wdny"),
    "ch": Region(
        ports=("Champlain", "Massena", "Highgate Springs", "Derby Line", "Ogdensburg"),
        waters=("Lake Champlain", "the St. Lawrence River", "Lake Memphremagog"),
        cities=("Plattsburgh", "Massena", "Burlington", "St. Albans", "Malone", "Potsdam"),
        foreign=("Montréal", "Cornwall", "Sherbrooke", "Saint-Jean-sur-Richelieu"),
        airports=("Plattsburgh International Airport", "Burlington International Airport"),
        seaports=("Ogdensburg",),
        area_codes=("518", "315", "802", "514", "450"),
        plates=("NY", "VT", "NY", "QC", "QC", "ON"),
        hsi="hsi_massena", dea="dea_buf", usms="usms_wdny", ero="ero_buf", rcmp="rcmp_c",
        uscg="uscg_buffalo", usao="usao_ndny"),
}


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
                   "king_so", "seattle_pd", "port_seattle_pd", "lummi_pd", "cbsa_pac", "rcmp_fsoc_pac", "irs_ci_sea"),
                  "Western Washington: Puget Sound, Blaine, Sumas, Lynden", 1.6, 2008),
    TaskForceSpec("BEST Detroit", "best", "BEST-DET", "mi", "hsi_det",
                  ("poe_detroit", "poe_port_huron", "usbp_detroit", "dea_det", "atf_det", "msp", "wayne_so",
                   "detroit_pd", "st_clair_so", "monroe_so", "cbsa_so", "rcmp_windsor", "irs_ci_det"),
                  "Southeast Michigan: Detroit, Port Huron, the Detroit and St. Clair rivers", 1.4, 2007),
    TaskForceSpec("IBET Pacific Region", "ibet", "IBET-PAC", "wa", "usbp_blaine",
                  ("poe_blaine", "poe_sumas", "hsi_blaine", "uscg_puget", "amo_bellingham", "rcmp_e",
                   "rcmp_langley", "rcmp_white_rock", "cbsa_pac_hwy", "cbsa_douglas", "whatcom_so", "nooksack_pd"),
                  "Washington – British Columbia border, Boundary Bay to the Cascades", 1.1, 2005),
    TaskForceSpec("ShipRider Great Lakes", "shiprider", "SR-GLK", "mi", "uscg_detroit",
                  ("rcmp_o", "rcmp_windsor", "amo_great_lakes", "hsi_det", "msp", "st_clair_so", "windsor_ps", "opp"),
                  "Detroit River, Lake St. Clair, St. Clair River, western Lake Erie", 0.6, 2012),
    TaskForceSpec("JTTF Seattle", "jttf", "JTTF-SEA", "wa", "fbi_sea",
                  ("hsi_sea", "ofo_sea", "usms_wdwa", "atf_sea", "uscis_sea", "wsp", "seattle_pd", "king_so",
                   "port_seattle_pd", "rcmp_e", "interpol"),
                  "Western Washington", 0.7, 2002),
    TaskForceSpec("Fugitive Operations Task Force Western Washington", "fugitive", "FUG-WWA", "wa", "usms_wdwa",
                  ("ero_sea", "wsp", "wa_doc", "king_so", "snohomish_so", "skagit_so", "seattle_pd", "everett_pd",
                   "bellingham_pd", "tulalip_pd"),
                  "Western Washington", 1.2, 2004),
    TaskForceSpec("CBP–ICE Joint Working Group Blaine", "working_group", "WG-BLA", "wa", "ofo_sea",
                  ("poe_blaine", "poe_sumas", "poe_lynden", "hsi_blaine", "hsi_sea", "usbp_blaine", "uscis_sea"),
                  "Ports of Blaine, Sumas and Lynden", 0.5, 2016, 21),
    TaskForceSpec("BEST Buffalo", "best", "BEST-BUF", "ny", "hsi_buf",
                  ("poe_buffalo", "usbp_buffalo", "dea_buf", "uscg_buffalo", "nysp", "erie_so", "niagara_so",
                   "buffalo_pd", "niagara_falls_pd", "seneca_marshals", "cbsa_fort_erie", "rcmp_niagara", "niagara_rps"),
                  "Western New York: Buffalo, Niagara Falls, the Niagara frontier", 1.2, 2007),
    TaskForceSpec("ShipRider Puget Sound", "shiprider", "SR-PUG", "wa", "uscg_puget",
                  ("rcmp_e", "rcmp_white_rock", "amo_bellingham", "hsi_blaine", "wdfw", "san_juan_so",
                   "whatcom_so", "delta_pd", "vancouver_pd"),
                  "Haro Strait, Boundary Bay, the San Juan and Gulf Islands", 0.6, 2013),
    TaskForceSpec("IBET Detroit–Windsor", "ibet", "IBET-DET", "mi", "usbp_detroit",
                  ("poe_detroit", "hsi_det", "uscg_detroit", "rcmp_windsor", "cbsa_ambassador", "opp", "windsor_ps",
                   "detroit_pd", "wayne_so"),
                  "Detroit – Windsor corridor", 0.9, 2006),
    TaskForceSpec("JTTF Detroit", "jttf", "JTTF-DET", "mi", "fbi_det",
                  ("hsi_det", "ofo_det", "usms_edmi", "atf_det", "msp", "detroit_pd", "wayne_so", "macomb_so", "rcmp_o"),
                  "Eastern Michigan", 0.7, 2002),
    TaskForceSpec("BEST Blaine", "best", "BEST-BLA", "wa", "hsi_blaine",
                  ("poe_blaine", "poe_lynden", "poe_sumas", "usbp_blaine", "whatcom_so", "blaine_pd", "bellingham_pd",
                   "lummi_pd", "nooksack_pd", "cbsa_pac_hwy", "rcmp_white_rock"),
                  "Whatcom County and the Lower Mainland border", 1.0, 2011),
    TaskForceSpec("Fugitive Operations Task Force Eastern Michigan", "fugitive", "FUG-EMI", "mi", "usms_edmi",
                  ("ero_det", "msp", "mi_doc", "wayne_so", "macomb_so", "monroe_so", "detroit_pd", "port_huron_pd"),
                  "Eastern District of Michigan", 1.0, 2005),
    TaskForceSpec("IBET Champlain", "ibet", "IBET-CHA", "ch", "usbp_swanton",
                  ("poe_champlain", "poe_massena", "hsi_massena", "vsp", "nysp", "clinton_so", "franklin_vt_so",
                   "st_regis_pd", "rcmp_c", "rcmp_cornwall", "cbsa_lacolle", "sq"),
                  "New York – Vermont – Quebec border, Lake Champlain, the St. Lawrence", 0.8, 2005),
    TaskForceSpec("CBP–ICE Joint Working Group Detroit", "working_group", "WG-DET", "mi", "ofo_det",
                  ("poe_detroit", "poe_port_huron", "poe_sault", "hsi_det", "usbp_detroit"),
                  "Ports of Detroit, Port Huron and Sault Ste. Marie", 0.5, 2017, 21),
    TaskForceSpec("JTTF Buffalo", "jttf", "JTTF-BUF", "ny", "fbi_buf",
                  ("hsi_buf", "ofo_buf", "usms_wdny", "nysp", "erie_so", "buffalo_pd", "niagara_falls_pd", "rcmp_niagara"),
                  "Western New York", 0.6, 2002),
    TaskForceSpec("ShipRider Niagara", "shiprider", "SR-NIA", "ny", "uscg_buffalo",
                  ("rcmp_niagara", "rcmp_o", "amo_great_lakes", "hsi_buf", "nysp", "niagara_so", "erie_so", "niagara_rps"),
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

# =============================================================================================
# Case types: statutes, titles, synopses, notes, closing reasons
# =============================================================================================

DRUGS = ("fentanyl", "methamphetamine", "cocaine", "counterfeit oxycodone pills", "MDMA", "ketamine",
         "heroin", "high-potency cannabis", "fentanyl precursor chemicals")
CONVEYANCES = ("a tractor-trailer", "a recreational vehicle", "a pickup truck", "a commercial bus",
               "a rental car", "checked luggage", "a pleasure craft", "a refrigerated trailer", "a motorcycle")
GOODS = ("aluminum extrusions", "steel pipe", "honey", "plywood", "solar panels", "frozen shrimp",
         "quartz countertops", "tires", "steel nails", "wooden cabinets", "mattresses")
COUNTERFEITS = ("counterfeit luxury handbags", "counterfeit pharmaceuticals", "counterfeit airbags",
                "counterfeit electronics", "counterfeit auto parts", "counterfeit cosmetics", "counterfeit vape cartridges")
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
        ("USBP agents apprehended a group of migrants near {port}; the guide carried a phone with {foreign} contacts.",
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
        ("A shipment of {counterfeit} was detained at {seaport} after rights holders confirmed the marks were fake.",
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
    "ibet": {"narcotics": 32, "human_smuggling": 32, "weapons_export": 12, "bulk_cash": 14, "document_fraud": 6},
    "shiprider": {"narcotics": 48, "human_smuggling": 36, "bulk_cash": 10, "weapons_export": 6},
    "jttf": {"terrorism_financing": 45, "weapons_export": 20, "document_fraud": 20, "money_laundering": 15},
    "fugitive": {"fugitive": 1},
    "working_group": {"narcotics": 25, "document_fraud": 25, "trade_fraud": 20, "human_smuggling": 15, "counterfeit": 15},
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

# =============================================================================================
# Names (combined at random: fictitious people)
# =============================================================================================

# (given names, family names, nationalities, weight for subjects, weight for US members,
#  weight for Canadian members)
NAME_GROUPS: list[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], int, int, int]] = [
    (("James", "Michael", "Robert", "David", "William", "Richard", "Joseph", "Thomas", "Christopher",
      "Daniel", "Matthew", "Anthony", "Mark", "Steven", "Andrew", "Joshua", "Kevin", "Brian", "Ryan",
      "Jason", "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica",
      "Sarah", "Karen", "Lisa", "Nancy", "Emily", "Ashley", "Amanda", "Melissa", "Rebecca", "Laura",
      "Megan", "Rachel", "Tyler", "Brandon", "Kyle", "Shawn", "Dustin", "Heather", "Kristen", "Dana"),
     ("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
      "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson",
      "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill", "Green", "Adams", "Baker", "Nelson",
      "Carter", "Mitchell", "Roberts", "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart",
      "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Bell",
      "Kelly", "Howard", "Ward", "Cox", "Richardson", "Wood", "Watson", "Brooks", "Bennett", "Gray",
      "Hughes", "Price", "Sanders", "Myers", "Long", "Ross", "Foster", "Olsen", "Larson", "Lindqvist"),
     ("United States", "United States", "United States", "Canada"), 40, 62, 45),
    (("José", "Juan", "Luis", "Carlos", "Jorge", "Miguel", "Jesús", "Francisco", "Alejandro", "Ricardo",
      "Eduardo", "Fernando", "Roberto", "Sergio", "Raúl", "Javier", "Mario", "Óscar", "María", "Guadalupe",
      "Ana", "Rosa", "Carmen", "Lucía", "Verónica", "Gabriela", "Adriana", "Patricia", "Alejandra", "Daniela"),
     ("García", "Hernández", "Martínez", "López", "González", "Rodríguez", "Pérez", "Sánchez", "Ramírez",
      "Flores", "Cruz", "Morales", "Reyes", "Gutiérrez", "Ortiz", "Jiménez", "Ruiz", "Díaz", "Vásquez",
      "Castillo", "Romero", "Mendoza", "Aguilar", "Torres", "Rivera", "Salazar", "Navarro", "Delgado",
      "Ramos", "Chávez", "Medina", "Vargas", "Castro", "Guzmán", "Herrera", "Cervantes"),
     ("Mexico", "Mexico", "Mexico", "Guatemala", "Honduras", "El Salvador", "Colombia", "United States"), 24, 22, 3),
    (("Wei", "Jun", "Li", "Mei", "Hui", "Jian", "Xin", "Yan", "Hao", "Ling", "Bo", "Lei", "Ying", "Qiang"),
     ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Lin"),
     ("China", "China", "Canada", "United States", "Taiwan"), 8, 3, 10),
    (("Minh", "Anh", "Tuan", "Linh", "Hung", "Thanh", "Duc", "Lan", "Hoa", "Quang", "Trang", "Khanh"),
     ("Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang", "Bui", "Do", "Ngo", "Duong"),
     ("Vietnam", "Vietnam", "Canada", "United States"), 6, 3, 5),
    (("Harpreet", "Gurpreet", "Manpreet", "Jaspreet", "Amrit", "Rajinder", "Sandeep", "Navjot",
      "Kulwinder", "Baljit", "Priya", "Arjun", "Ravi", "Sunita"),
     ("Singh", "Kaur", "Sandhu", "Gill", "Dhillon", "Sidhu", "Brar", "Grewal", "Sharma", "Patel", "Mann", "Johal"),
     ("India", "Canada", "Canada", "United States"), 7, 3, 14),
    (("Dmitri", "Sergei", "Oleksandr", "Natalia", "Irina", "Andrei", "Yulia", "Pavel", "Viktor", "Olga",
      "Mikhail", "Tatiana"),
     ("Ivanov", "Petrov", "Kovalenko", "Shevchenko", "Popov", "Smirnov", "Bondarenko", "Volkov", "Morozov",
      "Novak", "Kuznetsov", "Melnyk"),
     ("Russia", "Ukraine", "Canada", "United States", "Moldova"), 5, 2, 4),
    (("Omar", "Ahmed", "Youssef", "Karim", "Layla", "Mariam", "Hassan", "Samir", "Nadia", "Tariq", "Rami", "Dina"),
     ("Haddad", "Khalil", "Mansour", "Nasser", "Saleh", "Hamdan", "Aziz", "Farah", "Rahman", "Darwish", "Issa", "Khoury"),
     ("Lebanon", "Jordan", "Egypt", "Canada", "United States"), 5, 3, 5),
    (("Jean-François", "Marc-André", "Mathieu", "Geneviève", "Sébastien", "Isabelle", "Étienne", "Chantal",
      "Luc", "Nathalie", "Pierre", "Sophie", "Mélanie", "François"),
     ("Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné",
      "Ouellet", "Pelletier", "Bélanger", "Lévesque"),
     ("Canada",), 5, 2, 14),
]

MONIKERS = ("Flaco", "Güero", "Junior", "Tiny", "Ghost", "Smoke", "Doc", "Primo", "Red", "Slim", "Lucky",
            "Tito", "Chino", "Professor", "Shorty", "Boss", "Canuck", "Sparky", "Gordo")
ORG_PREFIXES = ("Cascadia", "Northern Star", "Pacific Rim", "Great Lakes", "Blue Water", "Harbor Point",
                "Evergreen", "Summit Ridge", "Maple Leaf", "Silver Bay", "Golden Horizon", "Lakeshore",
                "Twin Rivers", "Frontier", "Northgate", "Red Cedar", "Ironwood", "Eastbridge", "Westport",
                "Coastal", "Highland", "Prairie Wind", "Riverside", "Borealis", "Salish Sea", "Tri-County")
ORG_TRADES = ("Freight", "Logistics", "Trading", "Import Export", "Transport", "Auto Sales", "Marine Supply",
              "Distributors", "Holdings", "Wholesale", "Trucking", "Customs Brokerage", "Money Services",
              "Seafood", "Tire", "Electronics", "Packaging", "Charters", "Building Supply", "Foods")
ORG_SUFFIXES = ("LLC", "Inc.", "Ltd.", "Corp.", "Co.", "Group", "S.A. de C.V.", "Enterprises")
VESSEL_WORDS_A = ("Northern", "Silver", "Lucky", "Blue", "Sea", "Salish", "Island", "Midnight", "Golden",
                  "Wild", "Morning", "Ocean", "Lake", "Misty", "Iron", "Restless")
VESSEL_WORDS_B = ("Dawn", "Tide", "Heron", "Wolf", "Rover", "Star", "Osprey", "Runner", "Spirit", "Lady",
                  "Dream", "Current", "Raven", "Otter", "Breeze", "Venture")
PLATE_FORMATS = {"WA": "LLLDDDD", "OR": "DDDLLL", "ID": "LDDDDDD", "MT": "DLLDDDD", "MI": "LLLDDDD",
                 "OH": "LLLDDDD", "NY": "LLLDDDD", "PA": "LLLDDDD", "VT": "LLLDDD", "BC": "LLDDDL",
                 "AB": "LLLDDDD", "ON": "LLLLDDD", "QC": "LDDLLL"}

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
    "shiprider": ("ShipRider cross-border maritime law enforcement course", "RCMP Pacific Region Training Centre"),
    "sdusm": ("Special deputation orientation", "U.S. Marshals Service"),
}

VALIDITY_DAYS = {"title19": 730, "title21": 1095, "287g": 1095, "sdusm": 365, "shiprider": 1095}

# when a designation expires, relative to today: (share, lowest day offset, highest day offset)
EXPIRY_BUCKETS = ((0.14, -700, -1), (0.05, 0, 30), (0.05, 31, 60), (0.05, 61, 90), (0.71, 91, 900))


# =============================================================================================
# Helpers
# =============================================================================================

def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _weighted(rng: random.Random, items: list, weights: list[float]):  # noqa: ANN202
    return rng.choices(items, cum_weights=list(accumulate(weights)))[0]


class _Picker:
    """Weighted choice with precomputed cumulative weights (rng.choices, without the setup)."""

    __slots__ = ("items", "cum")

    def __init__(self, pairs) -> None:  # noqa: ANN001 - iterable of (item, weight)
        pairs = list(pairs)
        self.items = [p[0] for p in pairs]
        self.cum = list(accumulate(p[1] for p in pairs))

    def __call__(self, rng: random.Random):  # noqa: ANN204
        return self.items[bisect_right(self.cum, rng.random() * self.cum[-1])]


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


_PRIORITY = _Picker([("low", 10), ("normal", 60), ("high", 25), ("urgent", 5)])
_SUBJECTS_PER_CASE = _Picker([(1, 50), (2, 35), (3, 12), (4, 3)])
_OTHER_ROLE = _Picker([("target", 25), ("associate", 50), ("witness", 15), ("defendant", 10)])
_OTHER_ROLE_OPEN = _Picker([("target", 25), ("associate", 50), ("witness", 15)])
_NOTES_PER_CASE = _Picker([(0, 25), (1, 52), (2, 18), (3, 5)])
_MEMBERS_PER_CASE = _Picker([(1, 35), (2, 45), (3, 20)])


def task_force_count(cases: int) -> int:
    """About 7 task forces for 500 cases, 14 for 10,000, 20 for 100,000 and more."""
    return max(7, min(len(TASK_FORCES), round(7 + 5.6 * (math.log10(max(cases, 1)) - 2.7))))


def member_count(cases: int) -> int:
    return max(30, min(5000, cases // 20))


# =============================================================================================
# The generator
# =============================================================================================

def generate_demo(ctx: Context, cases: int = 500, seed: int = 1,
                  progress: Callable[[int, int], None] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> DemoReport:
    """Fill an empty database with the demo data set; all or nothing, every record audited.

    ``progress(done, total)`` is called with the number of cases written so far (first with
    0, last with total); ``cancelled()``, asked as often, abandons the whole data set if true.
    """
    if isinstance(cases, bool) or not isinstance(cases, int) or not MIN_CASES <= cases <= MAX_CASES:
        raise DemoRefused(tr(f"The demo needs between {MIN_CASES:,} and {MAX_CASES:,} cases."))
    if stats.has_user_records(ctx):
        raise DemoRefused(tr("This database already holds records of its own; the demo data set "
                             "goes only into a new, empty database."))
    started = time.perf_counter()
    with write(ctx) as tx:
        # checked again under the write lock: another window may have written meanwhile
        if any(tx.conn.execute(select(t.c.id).limit(1)).first() for t in stats.USER_RECORD_TABLES):
            raise DemoRefused(tr("This database already holds records of its own; the demo data "
                                 "set goes only into a new, empty database."))
        gen = _Generator(tx, random.Random(seed), ctx.today(), cases, progress, cancelled)
        with _bulk_load(tx.conn):
            gen.run()
    return DemoReport(cases=cases, subjects=gen.n_subjects, members=gen.n_members,
                      agencies=gen.n_agencies, task_forces=gen.n_task_forces,
                      seconds=time.perf_counter() - started)


@contextmanager
def _bulk_load(conn: Connection) -> Iterator[None]:
    """SQLite settings for one large transaction: foreign keys checked once, at commit (so a
    subject's aliases can go in before it and it is indexed for search once, not once per
    alias), and a larger page cache while the transaction runs."""
    if conn.dialect.name != "sqlite":
        yield
        return
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # reset by SQLite at commit
    cache = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(cache)}")


_AGENT_ROLES = frozenset(("special_agent", "officer", "tfo"))
_CASE_ROLE_OF = {"analyst": "analyst", "supervisor": "supervisor"}  # attachés support


@dataclass
class _Member:
    id: int
    name: str  # "Given Family", as notes name their author
    agency: str  # catalogue key
    role: str  # assignment role on the primary task force
    start: int  # ordinal of the earliest assignment start


class _Generator:
    def __init__(self, tx: Tx, rng: random.Random, today: date, cases: int,
                 progress: Callable[[int, int], None] | None,
                 cancelled: Callable[[], bool] | None = None) -> None:
        self.tx = tx
        self.conn = tx.conn
        self.rng = rng
        self.today = today
        self.today_ord = today.toordinal()
        self.n_cases = cases
        self._progress = progress
        self._cancelled = cancelled
        self.n_subjects = self.n_members = self.n_agencies = self.n_task_forces = 0
        self.next_id = {t.name: (self.conn.execute(select(func.max(t.c.id))).scalar() or 0) + 1
                        for t in (S.agency, S.agreement, S.task_force, S.task_force_agency, S.member,
                                  S.assignment, S.designation, S.training, S.case, S.case_member,
                                  S.case_note, S.subject, S.subject_alias, S.subject_identifier,
                                  S.case_subject)}
        self.agency_id: dict[str, int] = {}
        self.agency_row: dict[str, tuple] = {}
        self.caveat_id: dict[str, int] = {}
        self.subject_picker = _Picker((g, g[3]) for g in NAME_GROUPS)
        self.us_member_picker = _Picker((g, g[4]) for g in NAME_GROUPS)
        self.ca_member_picker = _Picker((g, g[5]) for g in NAME_GROUPS)
        self.emails: dict[str, int] = {}
        self.phone_pool: list[str] = []
        self.phones_used: list[str] = []

    def progress(self, done: int, total: int) -> None:
        if self._cancelled is not None and self._cancelled():
            raise DemoRefused(tr("Demo data cancelled; nothing was changed."))
        if self._progress is not None:
            self._progress(done, total)

    def _ids(self, table_name: str, count: int) -> range:
        first = self.next_id[table_name]
        self.next_id[table_name] = first + count
        return range(first, first + count)

    def _date(self, ordinal: int) -> date:
        return date.fromordinal(ordinal)

    # -- the phases -------------------------------------------------------------------------
    def run(self) -> None:
        self.progress(0, self.n_cases)
        self._reference()
        self._agencies()
        self._agreements()
        self._task_forces()
        self._members()
        self._cases()  # reports progress after each batch, the last one with (total, total)

    def _reference(self) -> None:
        refs = dict(self.conn.execute(select(S.agency.c.ref_key, S.agency.c.id)
                                      .where(S.agency.c.ref_key.is_not(None))).all())
        needed = {a[1] for a in AGENCIES if a[1] and a[1] not in {b[0] for b in AGENCIES}}
        missing = sorted(needed - set(refs))
        if missing:
            raise DemoRefused(tr(f"The reference agencies of a new database are incomplete "
                                 f"({', '.join(missing)} missing); create a new database for the demo."))
        self.agency_id.update(refs)
        self.caveat_id = dict(self.conn.execute(select(S.caveat.c.ref_key, S.caveat.c.id)
                                                .where(S.caveat.c.ref_key.is_not(None))).all())
        for key in ("les", "eu_pnr"):
            if key not in self.caveat_id:
                raise DemoRefused(tr(f"The reference caveat '{key}' is missing; "
                                     f"create a new database for the demo."))

    def _agencies(self) -> None:
        a = S.agency.c
        imported = dict(self.conn.execute(select(a.ori, a.id).where(a.ori.in_(list(ORIS.values())))).all())
        rows = []
        for entry in AGENCIES:
            key, parent, name, abbr, level, country, state, county, agency_type, _profile = entry
            self.agency_row[key] = entry
            ori = ORIS.get(key)
            if ori in imported:  # already there from an agency list import
                self.agency_id[key] = imported[ori]
                continue
            new_id = self.agency_id[key] = self._ids("agency", 1)[0]
            rows.append(dict(id=new_id, name=name, abbreviation=abbr, level=level,
                             parent_id=self.agency_id[parent] if parent else None, country=country,
                             state=state, county=county, ori=ori, agency_type=agency_type,
                             active=True, ref_key=None))
        self.tx.insert_many(S.agency, rows)
        self.n_agencies = len(rows)

    # -- agreements -------------------------------------------------------------------------
    def _agreement(self, kind: str, title: str, parties: list[str], signed: date,
                   effective: date, expires: date | None, scope: str, ref: str) -> int:
        new_id = self._ids("agreement", 1)[0]
        party_ids = sorted({self.agency_id[p] for p in parties})
        self._agreement_rows.append(dict(id=new_id, kind=kind, title=title, scope=scope, signed=signed,
                                         effective=effective, expires=expires, document_ref=ref))
        self._agreement_extras.append({"parties": ", ".join(str(p) for p in party_ids)})
        self._party_rows.extend({"agreement_id": new_id, "agency_id": p} for p in party_ids)
        return new_id

    def _agreements(self) -> None:
        rng, today = self.rng, self.today
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
            self.tx.insert_many(S.agreement, self._agreement_rows, extras=self._agreement_extras)
            self.conn.execute(S.agreement_party.insert(), self._party_rows)
        self._agreement_rows, self._agreement_extras, self._party_rows = [], [], []

    # -- task forces ------------------------------------------------------------------------
    def _task_forces(self) -> None:
        rng, today = self.rng, self.today
        specs = TASK_FORCES[:task_force_count(self.n_cases)]
        self.specs = specs
        ids = self._ids("task_force", len(specs))
        tf_rows, part_rows, part_roots = [], [], []
        self.tf_ids = list(ids)
        for tf_id, spec in zip(ids, specs, strict=True):
            shift = today.year - 2026
            active_from = date(spec.established + shift, rng.randint(1, 12), rng.randint(1, 28))
            tf_rows.append(dict(id=tf_id, name=spec.name, kind=spec.kind,
                                lead_agency_id=self.agency_id[spec.lead], area=spec.area,
                                active_from=active_from, active_to=None,
                                feedback_interval_days=spec.feedback_days))
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
            part_rows.append(dict(id=self._ids("task_force_agency", 1)[0], task_force_id=tf_id,
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
                part_rows.append(dict(id=self._ids("task_force_agency", 1)[0], task_force_id=tf_id,
                                      agency_id=self.agency_id[p], agreement_id=agreement))
                part_roots.append(("task_force", tf_id))
        self._flush_agreements()
        self.tx.insert_many(S.task_force, tf_rows)
        self.tx.insert_many(S.task_force_agency, part_rows, roots=part_roots)
        self.tf_rows = tf_rows
        self.n_task_forces = len(specs)

    # -- members ----------------------------------------------------------------------------
    def _person_name(self, group: tuple) -> tuple[str, str]:
        rng = self.rng
        given, family = rng.choice(group[0]), rng.choice(group[1])
        if group is NAME_GROUPS[1] and rng.random() < 0.3:
            family = f"{family} {rng.choice(group[1])}"
        return given, family

    def _email(self, given: str, family: str) -> str:
        local = ".".join(_ascii(p).lower().replace("'", "").replace(" ", "-") for p in (given, family))
        n = self.emails.get(local, 0) + 1
        self.emails[local] = n
        return f"{local}{n if n > 1 else ''}@example.gov"

    def _phone(self, area_codes: tuple[str, ...]) -> str:
        return f"({self.rng.choice(area_codes)}) 555-01{self.rng.randint(0, 99):02d}"

    def _members(self) -> None:
        rng, today_ord = self.rng, self.today_ord
        total = member_count(self.n_cases)
        specs = self.specs
        weights = [s.weight for s in specs]
        # at least four (up to six) members per task force, the rest by its share of cases
        per_tf = [max(4, min(6, total // len(specs)))] * len(specs)
        spare = max(0, total - sum(per_tf))
        wsum = sum(weights)
        for i, w in enumerate(weights):
            per_tf[i] += int(spare * w / wsum)
        per_tf[0] += total - sum(per_tf)
        member_rows, assign_rows, assign_roots = [], [], []
        first_case_day = date(self.today.year - 7, 1, 1).toordinal()
        members: list[tuple[_Member, int, list[int]]] = []  # member, primary tf index, all tf indexes
        ids = iter(self._ids("member", sum(per_tf)))
        for tf_i, (spec, count) in enumerate(zip(specs, per_tf, strict=True)):
            staffed = [p for p in (spec.lead, *spec.participants) if self.agency_row[p][9]]
            picker = _Picker((p, 4.0 if p == spec.lead else 1.0) for p in staffed)
            tf_from = self.tf_rows[tf_i]["active_from"].toordinal()
            # the third member shows what is special about the task force: a 287(g) deputy,
            # a ShipRider from the other country
            special = [p for p in staffed if p in self.agreement_287g
                       or (spec.kind == "shiprider" and self.agency_row[p][5] == "CA" and p.startswith("rcmp"))]
            for k in range(count):
                # the first members: the lead agency's supervisor and an agent, then a mix
                if k < 2 and self.agency_row[spec.lead][9]:
                    agency = spec.lead
                elif k == 2 and special:
                    agency = rng.choice(special)
                else:
                    agency = picker(rng)
                row = self.agency_row[agency]
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
                given, family = self._person_name(group)
                member_id = next(ids)
                codes = tuple(c for c in REGIONS[spec.region].area_codes
                              if (c in CANADIAN_AREA_CODES) == (row[5] == "CA")) or ("202",)
                member_rows.append(dict(id=member_id, family_name=family, given_names=given, rank_title=rank,
                                        home_agency_id=self.agency_id[agency],
                                        email=self._email(given, family), phone=self._phone(codes)))
                earliest = max(tf_from, today_ord - 9 * 365)
                # the first three were there from the start, so the oldest cases have agents too
                start = rng.randint(earliest, max(earliest, first_case_day) if k < 3 else today_ord - 45)
                m = _Member(member_id, f"{given} {family}", agency, role, start)
                tfs = [tf_i]
                end = None
                if k >= 3 and rng.random() < 0.08:
                    # left the task force; the record stays for the cases they worked
                    end = rng.randint(start + 180, today_ord - 1) if start + 180 < today_ord - 1 else None
                assign_rows.append(dict(member_id=member_id, task_force_id=self.tf_ids[tf_i], role=role,
                                        start=self._date(start), end=self._date(end) if end else None))
                assign_roots.append(("member", member_id))
                # some also serve on a second task force in the same region (e.g. JTTF and fugitive)
                if rng.random() < 0.1:
                    others = [j for j, s in enumerate(specs) if j != tf_i and s.region == spec.region]
                    if others:
                        j = rng.choice(others)
                        second_start = rng.randint(start, today_ord - 30)
                        assign_rows.append(dict(member_id=member_id, task_force_id=self.tf_ids[j],
                                                role=role, start=self._date(second_start), end=None))
                        assign_roots.append(("member", member_id))
                        tfs.append(j)
                members.append((m, tf_i, tfs))
        des_rows, des_roots, train_rows, train_roots, earlier = self._designations_and_training(members)
        for row in assign_rows:  # assigned to the task force before being designated for it
            start = earlier.get(row["member_id"])
            if start is not None and row["start"] > start:
                row["start"] = start
        self.tx.insert_many(S.member, member_rows)
        self.tx.insert_many(S.assignment, assign_rows, roots=assign_roots)
        self.tx.insert_many(S.designation, des_rows, roots=des_roots)
        self.tx.insert_many(S.training, train_rows, roots=train_roots)
        self.n_members = len(member_rows)
        # who served on each task force and when (start, end), for the members of its cases
        member_of = {m.id: m for m, _primary, _tfs in members}
        tf_index = {tf_id: i for i, tf_id in enumerate(self.tf_ids)}
        self.tf_members: list[list[tuple[int, int | None, _Member]]] = [[] for _ in specs]
        for row in assign_rows:
            self.tf_members[tf_index[row["task_force_id"]]].append(
                (row["start"].toordinal(), row["end"].toordinal() if row["end"] else None,
                 member_of[row["member_id"]]))
        for pool in self.tf_members:
            pool.sort(key=lambda e: (e[0], e[2].id))
        self.tf_member_starts = [[e[0] for e in pool] for pool in self.tf_members]

    def _designations_and_training(self, members: list[tuple[_Member, int, list[int]]]) -> tuple:
        """Designation and training rows, and the members whose assignment must start earlier."""
        rng, today_ord = self.rng, self.today_ord
        wanted: list[tuple[_Member, str, str, int | None]] = []  # member, authority, granting key, agreement
        for m, _primary, tfs in members:
            row = self.agency_row[m.agency]
            level, profile = row[4], row[9]
            granted: set[str] = set()
            for tf_i in tfs:
                spec = self.specs[tf_i]
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
                    if m.agency in self.agreement_287g and rng.random() < 0.75:
                        add("287g", region.ero, self.agreement_287g[m.agency])
                elif level == "federal":
                    if profile == "hsi" and rng.random() < 0.4:
                        add("title21", region.dea)
                    elif profile in ("dea", "fbi", "atf", "irs", "usms") and spec.kind in ("best", "ibet") \
                            and rng.random() < 0.6:
                        add("title19", region.hsi)
                    elif profile == "uscg" and spec.kind == "shiprider":
                        add("shiprider", region.rcmp, self.shiprider_id)
                elif profile == "rcmp" and spec.kind == "shiprider":
                    add("shiprider", spec.lead, self.shiprider_id)
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
            if agreement in self.agreement_287g_dates:
                ag_eff, ag_exp = self.agreement_287g_dates[agreement]
                expires = min(expires, ag_exp.toordinal())  # never beyond the agreement it rests on
            effective = expires - VALIDITY_DAYS[authority]
            if agreement in self.agreement_287g_dates:
                effective = max(effective, self.agreement_287g_dates[agreement][0].toordinal()
                                + rng.randint(10, 90))
                effective = min(effective, expires - 30, today_ord - 7)
            des_rows.append(dict(member_id=m.id, authority=authority,
                                 granting_agency_id=self.agency_id[grantor], agreement_id=agreement,
                                 effective=self._date(effective), expires=self._date(expires)))
            des_roots.append(("member", m.id))
            course = TRAINING.get(authority)
            if course and authority != "sdusm" or (course and rng.random() < 0.5):
                training.append((m, course, effective - rng.randint(10, 120)))
            # a lapsed designation is often, not always, renewed: the roster shows who slipped
            renewed = expires + rng.randint(0, 40)
            if expires < today_ord and renewed < today_ord and authority != "287g" and rng.random() < 0.4:
                des_rows.append(dict(member_id=m.id, authority=authority,
                                     granting_agency_id=self.agency_id[grantor], agreement_id=agreement,
                                     effective=self._date(renewed),
                                     expires=self._date(renewed + VALIDITY_DAYS[authority])))
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
            kind = self.specs[primary].kind
            pool = list(TRAINING["general"])
            if kind == "shiprider" or self.agency_row[m.agency][9] in ("uscg", "amo", "rcmp"):
                pool += TRAINING["maritime"] * 2
            if kind == "fugitive":
                pool += TRAINING["fugitive"] * 2
            for course in rng.sample(pool, k=min(len(pool), rng.choice((1, 1, 2, 2, 3, 4)))):
                training.append((m, course, rng.randint(m.start - 2 * 365, self.today_ord - 7)))
        train_rows, train_roots = [], []
        for m, (course, provider), done in training:
            train_rows.append(dict(member_id=m.id, course=course, provider=provider,
                                   completed=self._date(min(done, self.today_ord - 1))))
            train_roots.append(("member", m.id))
        earlier = {member_id: self._date(start) for member_id, start in starts_changed.items()}
        return des_rows, des_roots, train_rows, train_roots, earlier

    # -- cases ------------------------------------------------------------------------------
    def _cases(self) -> None:
        rng, today_ord, n = self.rng, self.today_ord, self.n_cases
        start_ord = date(self.today.year - 7, 1, 1).toordinal()
        tf_picker = _Picker((i, s.weight) for i, s in enumerate(self.specs))
        tf_from = [max(start_ord, r["active_from"].toordinal()) for r in self.tf_rows]
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
            numbered.append((opened, tf_i, f"{self.specs[tf_i].prefix}-{year}-{k:04d}"))
        self._prepare_case_tables()
        for first in range(0, n, BATCH_CASES):
            self._case_batch(numbered[first:first + BATCH_CASES])
            self.progress(min(first + BATCH_CASES, n), n)

    def _prepare_case_tables(self) -> None:
        rng = self.rng
        self.tf_subjects: list[list[int]] = [[] for _ in self.specs]
        self.all_subjects: list[int] = []
        self.subject_name: dict[int, str] = {}
        self.type_pickers = [_Picker(KIND_CASE_TYPES[s.kind].items()) for s in self.specs]
        self.slot_choices = [self._slot_choices(s) for s in self.specs]
        # per task force: who leads its cases, who refers them
        self.lead_pickers, self.origin_pickers = [], []
        investigative = {"hsi", "fbi", "dea", "atf", "irs", "usms", "ero"}
        for spec in self.specs:
            lead = spec.lead
            others = [p for p in spec.participants if self.agency_row[p][9] in investigative
                      and self.agency_row[p][4] == "federal"]
            self.lead_pickers.append(_Picker([(lead, 8.0)] + [(p, 1.0) for p in others]))
            self.origin_pickers.append(_Picker([(lead, 2.0)] + [
                (p, 3.0 if self.agency_row[p][9] in ("ofo", "usbp") else 1.0) for p in spec.participants]))
        pool = [f"({code}) 555-01{k:02d}" for region in REGIONS.values() for code in region.area_codes
                for k in range(100)]
        pool = sorted(set(pool))
        rng.shuffle(pool)
        self.phone_pool = pool

    def _slot_choices(self, spec: TaskForceSpec) -> dict[str, tuple[str, ...]]:
        region = REGIONS[spec.region]
        partners = tuple(self.agency_row[p][2] for p in spec.participants
                         if self.agency_row[p][4] in ("foreign", "international")) \
            or tuple(self.agency_row[p][2] for p in spec.participants)
        return {
            "port": region.ports, "water": region.waters, "city": region.cities, "foreign": region.foreign,
            "airport": region.airports, "seaport": region.seaports, "drug": DRUGS, "conveyance": CONVEYANCES,
            "goods": GOODS, "counterfeit": COUNTERFEITS, "country": EXPORT_COUNTRIES,
            "origin_country": ORIGIN_COUNTRIES, "weapon": WEAPONS, "offense": OFFENSES, "qty": QUANTITIES,
            "amount": AMOUNTS, "partner": partners,
        }

    def _case_batch(self, batch: list[tuple[int, int, str]]) -> None:
        rng, today_ord = self.rng, self.today_ord
        case_rows, case_extras, statute_rows, caveat_rows = [], [], [], []
        subj_rows, alias_rows, alias_roots, ident_rows, ident_roots = [], [], [], [], []
        cs_rows, cs_roots, cm_rows, cm_roots, note_rows, note_roots = [], [], [], [], [], []
        cav = self.caveat_id
        case_ids = self._ids("case_file", len(batch))
        for case_id, (opened, tf_i, number) in zip(case_ids, batch, strict=True):
            spec = self.specs[tf_i]
            type_key = self.type_pickers[tf_i](rng)
            ctype = CASE_TYPES[type_key]
            lead = self.lead_pickers[tf_i](rng)
            origin = self.origin_pickers[tf_i](rng)
            slots = _Slots(rng, self.slot_choices[tf_i], origin=self.agency_row[origin][2])
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
                closed_on = self._date(min(closed, today_ord))
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
            case_rows.append(dict(id=case_id, number=number, title=title, task_force_id=self.tf_ids[tf_i],
                                  lead_agency_id=self.agency_id[lead],
                                  originating_agency_id=self.agency_id[origin],
                                  case_type=ctype.label, status=status, closed_on=closed_on,
                                  closed_reason=reason, priority=priority, opened_on=self._date(opened),
                                  synopsis=synopsis))
            statutes.sort(key=lambda s: (len(s), s))
            case_extras.append({"statutes": ", ".join(statutes),
                                "caveats": ", ".join(str(c) for c in caveats)})
            statute_rows.extend({"case_id": case_id, "statute": s} for s in statutes)
            caveat_rows.extend({"case_id": case_id, "caveat_id": c} for c in caveats)
            root = ("case_file", case_id)

            # members: a case agent, often a co-case agent, sometimes an analyst or supervisor
            on_case = self._case_members(tf_i, opened)
            for m, role in on_case:
                cm_rows.append(dict(id=self._ids("case_member", 1)[0], case_id=case_id, member_id=m.id,
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
                    subject_id, name = self._new_subject(spec, ctype, opened, subj_rows, alias_rows,
                                                         alias_roots, ident_rows, ident_roots)
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
                cs_rows.append(dict(id=self._ids("case_subject", 1)[0], case_id=case_id,
                                    subject_id=subject_id, role=role))
                cs_roots.append(root)

            # notes, by the members on the case
            n_notes = _NOTES_PER_CASE(rng)
            last = closed_on.toordinal() if closed_on else today_ord
            for _ in range(n_notes):
                author = rng.choice(on_case)[0].name
                day = rng.randint(opened, max(opened, min(last, opened + 500)))
                slots["subject"] = rng.choice(names) if names else "the main subject"
                body = _fill(rng.choice(NOTES), slots)
                stamp = f"{self._date(day).isoformat()}T{rng.randint(14, 23):02d}:" \
                        f"{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"
                note_rows.append(dict(id=self._ids("case_note", 1)[0], case_id=case_id,
                                      written_at=stamp, author=author, body=body))
                note_roots.append(root)
            if status == "closed" and rng.random() < 0.5:
                note_rows.append(dict(id=self._ids("case_note", 1)[0], case_id=case_id,
                                      written_at=f"{closed_on.isoformat()}T{rng.randint(15, 23):02d}:00:00Z",
                                      author=on_case[0][0].name, body=f"Case closed: {reason}"))
                note_roots.append(root)

        tx = self.tx
        tx.insert_many(S.case, case_rows, extras=case_extras)
        if statute_rows:
            self.conn.execute(S.case_statute.insert(), statute_rows)
        if caveat_rows:
            self.conn.execute(S.case_caveat.insert(), caveat_rows)
        # aliases and identifiers before their subjects (foreign keys are checked at commit):
        # the search triggers then index each new subject once, with all its names and numbers,
        # instead of re-indexing it for every alias and identifier
        tx.insert_many(S.subject_alias, alias_rows, roots=alias_roots)
        tx.insert_many(S.subject_identifier, ident_rows, roots=ident_roots)
        tx.insert_many(S.subject, subj_rows)
        tx.insert_many(S.case_subject, cs_rows, roots=cs_roots)
        tx.insert_many(S.case_member, cm_rows, roots=cm_roots)
        tx.insert_many(S.case_note, note_rows, roots=note_roots)
        self.n_subjects += len(subj_rows)

    def _case_members(self, tf_i: int, opened: int) -> list[tuple[_Member, str]]:
        """1–3 members serving on the task force when the case opened; one is the case agent."""
        rng = self.rng
        pool = self.tf_members[tf_i]
        eligible = min(len(pool), max(3, bisect_right(self.tf_member_starts[tf_i], opened)))
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

    def _new_subject(self, spec: TaskForceSpec, ctype: CaseType, opened: int, subj_rows: list,
                     alias_rows: list, alias_roots: list, ident_rows: list,
                     ident_roots: list) -> tuple[int, str]:
        rng = self.rng
        region = REGIONS[spec.region]
        subject_id = self._ids("subject", 1)[0]
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
                group = self.subject_picker(rng)
                a, b = rng.choice(group[1]), rng.choice(group[1])
                name = f"{a}–{b} trafficking organization" if a != b else f"{a} trafficking organization"
                nationality = ""
            subj_rows.append(dict(id=subject_id, kind="organization", name=name, dob=None,
                                  nationality=nationality))
            if rng.random() < 0.5 and (phone := self._subject_phone()):
                idents.append(("phone", phone))
            if maritime or rng.random() < 0.15:
                idents.append(("vessel", self._vessel()))
            if rng.random() < 0.2:
                idents.append(("vehicle", self._plate(region)))
        else:
            group = self.subject_picker(rng)
            given, family = self._person_name(group)
            name = f"{given} {family}"
            nationality = rng.choice(group[2]) if rng.random() < 0.95 else ""
            dob = None
            if rng.random() < 0.92:
                dob = self._date(opened - rng.randint(19 * 365, 68 * 365))
            subj_rows.append(dict(id=subject_id, kind="person", name=name, dob=dob, nationality=nationality))
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
                    aliases.append(_ascii(name) if _ascii(name) != name else f"{given[0]}. {family}")
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
            alias_rows.append(dict(id=self._ids("subject_alias", 1)[0], subject_id=subject_id, name=alias))
            alias_roots.append(root)
        for kind, value in dict.fromkeys(idents):
            ident_rows.append(dict(id=self._ids("subject_identifier", 1)[0], subject_id=subject_id,
                                   kind=kind, value=value))
            ident_roots.append(root)
        return subject_id, name

    def _subject_phone(self) -> str | None:
        """Numbers in the 555-0100…0199 range reserved for fiction: a few thousand, each given
        to one subject, except a few shared on purpose (one phone, two subjects: a
        deconfliction hit). When they run out (large data sets) only shared ones are given."""
        rng = self.rng
        if self.phones_used and rng.random() < 0.04:
            return rng.choice(self.phones_used)
        if not self.phone_pool:
            return None
        phone = self.phone_pool.pop()
        self.phones_used.append(phone)
        return phone

    def _plate(self, region: Region) -> str:
        rng = self.rng
        juris = rng.choice(region.plates)
        chars = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") if c == "L" else str(rng.randint(0, 9))
                        for c in PLATE_FORMATS[juris])
        return f"{juris} {chars}"

    def _vessel(self) -> str:
        rng = self.rng
        name = f"{rng.choice(VESSEL_WORDS_A)} {rng.choice(VESSEL_WORDS_B)}"
        return f"{name} ({rng.choice(('WN', 'MI', 'NY', 'BC'))} {rng.randint(1000, 9999)} " \
               f"{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')})"

    def _passport(self, nationality: str) -> str:
        rng = self.rng
        if nationality == "Canada":
            return f"{rng.choice('ABCGHJKMP')}{rng.choice('ABCDEFGHJK')}{rng.randint(100000, 999999)}"
        if nationality == "Mexico":
            return f"G{rng.randint(10_000_000, 99_999_999)}"
        if nationality == "United States":
            return f"{rng.randint(500_000_000, 599_999_999)}"
        return f"{rng.choice('ABCDEFGHKLMNPRSTUVXYZ')}{rng.randint(1_000_000, 9_999_999)}"

"""The demo data set: a realistic, consistent and entirely fictitious task-force database.

``generate_demo`` fills a new, empty database (it refuses one holding records of its own)
with agencies at every level nested under the reference agencies, written agreements, task
forces of every kind with their participants, members with assignments, cross-designations
(some expired, some expiring within 30/60/90 days) and training, and cases with statutes,
caveats, members, subjects (some on several cases, for deconfliction) and notes; then the
coordination records (support and feedback, debriefs, referrals, case events, assistance
requests, cooperation, meetings and action items, details, match decisions) so that every kind
of "needs attention" item exists on the day it is generated.

Agencies are real institutions (their names are public); every person is fictitious: names
are random combinations of common given and family names, phone numbers are in the 555-01xx
range reserved for fiction, e-mail addresses are at example.gov.

The same seed gives the same data set. Everything is written in one audited transaction
(all or nothing) with bulk inserts, so 100,000 cases take well under a minute.
"""

from taskforce.services.demo.build import DemoRefused
from taskforce.services.demo.generator import MAX_CASES, MIN_CASES, DemoReport, generate_demo

__all__ = ["MAX_CASES", "MIN_CASES", "DemoRefused", "DemoReport", "generate_demo"]

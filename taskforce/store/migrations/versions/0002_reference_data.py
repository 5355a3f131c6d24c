"""Reference data a new database starts with (DOMAIN.md "Reference data").

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

The data is written out here, not imported from the app, so this migration stays what it was
when it shipped. Each seeded agency gets an audit row like any other create.
"""

import json
import uuid
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# (ref_key, parent ref_key, name, abbreviation, level, country)
AGENCIES = [
    ("dhs", None, "Department of Homeland Security", "DHS", "federal", "US"),
    ("cbp", "dhs", "U.S. Customs and Border Protection", "CBP", "federal", "US"),
    ("cbp_ofo", "cbp", "Office of Field Operations", "CBP OFO", "federal", "US"),
    ("cbp_usbp", "cbp", "U.S. Border Patrol", "USBP", "federal", "US"),
    ("cbp_amo", "cbp", "Air and Marine Operations", "CBP AMO", "federal", "US"),
    ("ice", "dhs", "U.S. Immigration and Customs Enforcement", "ICE", "federal", "US"),
    ("ice_hsi", "ice", "Homeland Security Investigations (formerly Office of Investigations)",
     "ICE HSI", "federal", "US"),
    ("uscis", "dhs", "U.S. Citizenship and Immigration Services", "USCIS", "federal", "US"),
    ("uscg", "dhs", "U.S. Coast Guard", "USCG", "federal", "US"),
    ("doj", None, "Department of Justice", "DOJ", "federal", "US"),
    ("fbi", "doj", "Federal Bureau of Investigation", "FBI", "federal", "US"),
    ("dea", "doj", "Drug Enforcement Administration", "DEA", "federal", "US"),
    ("usms", "doj", "U.S. Marshals Service", "USMS", "federal", "US"),
    ("dos", None, "Department of State", "DOS", "federal", "US"),
    ("dos_inl", "dos", "Bureau of International Narcotics and Law Enforcement Affairs",
     "INL", "federal", "US"),
    ("rcmp", None, "Royal Canadian Mounted Police", "RCMP", "foreign", "CA"),
    ("cbsa", None, "Canada Border Services Agency", "CBSA", "foreign", "CA"),
]

TASK_FORCE_KINDS = [
    ("jttf", "JTTF"), ("best", "BEST"), ("ibet", "IBET"), ("shiprider", "ShipRider"),
    ("fugitive", "Fugitive Operations Task Force"), ("working_group", "Working group"),
    ("other", "Other"),
]

AUTHORITIES = [
    ("title19", "Title 19 customs officer", "19 U.S.C. 1401(i)"),
    ("title21", "Title 21 task force officer", "21 U.S.C. 878"),
    ("287g", "Delegated immigration authority", "8 U.S.C. 1357(g)"),
    ("sdusm", "Special Deputy U.S. Marshal", "28 CFR 0.112"),
    ("shiprider", "ShipRider designation", "Framework Agreement on ICMLEO"),
]

CAVEATS = [
    ("eu_pnr", "EU PNR-derived",
     "Derived from EU Passenger Name Record data: CBP is the primary receiver; every other "
     "agency needs a recorded authorization (001 Third Party Rule)."),
    ("les", "Law Enforcement Sensitive", "For law-enforcement use only."),
    ("grand_jury", "Grand jury material", "Fed. R. Crim. P. 6(e): disclosure restricted."),
    ("informant", "Confidential source", "Identifies or could identify a confidential source."),
    ("tax", "Tax return information", "26 U.S.C. 6103: disclosure restricted."),
]


def upgrade() -> None:
    bind = op.get_bind()
    meta = sa.MetaData()
    agency = sa.Table("agency", meta, autoload_with=bind)
    audit = sa.Table("audit_log", meta, autoload_with=bind)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    change = uuid.uuid4().hex
    ids: dict[str, int] = {}
    for ref, parent, name, abbr, level, country in AGENCIES:
        values = dict(name=name, abbreviation=abbr, level=level, country=country,
                      parent_id=ids.get(parent) if parent else None, ref_key=ref, active=True)
        new_id = bind.execute(agency.insert().values(**values)).inserted_primary_key[0]
        ids[ref] = new_id
        bind.execute(audit.insert().values(
            change_id=change, at=now, os_user="system", app_user="migration 0002",
            action="create", entity="agency", entity_id=new_id, root_entity="agency",
            root_id=new_id, field=None, old_value=None, new_value=json.dumps(values),
        ))
    op.bulk_insert(sa.table("task_force_kind", sa.column("code"), sa.column("label")),
                   [dict(code=c, label=lbl) for c, lbl in TASK_FORCE_KINDS])
    op.bulk_insert(
        sa.table("designation_authority", sa.column("code"), sa.column("label"),
                 sa.column("citation")),
        [dict(code=c, label=lbl, citation=cit) for c, lbl, cit in AUTHORITIES],
    )
    op.bulk_insert(
        sa.table("caveat", sa.column("ref_key"), sa.column("name"), sa.column("description")),
        [dict(ref_key=r, name=n, description=d) for r, n, d in CAVEATS],
    )


def downgrade() -> None:
    op.execute("DELETE FROM caveat WHERE ref_key IS NOT NULL")
    op.execute("DELETE FROM designation_authority")
    op.execute("DELETE FROM task_force_kind")
    op.execute("UPDATE agency SET parent_id = NULL WHERE ref_key IS NOT NULL")
    op.execute("DELETE FROM agency WHERE ref_key IS NOT NULL")

"""The FBI CDE agency list as it really is, from the excerpt kept in tests/data (issue 10 §6):
the suite runs these on a clone with nothing beside it. The whole file's test
(test_agency_import.py) runs too when the file is beside the clone."""

from __future__ import annotations

import csv
from collections import Counter

from sqlalchemy import func, select

from taskforce.services import stats
from taskforce.services.agency_import import LEVEL_OF_TYPE, import_agencies_csv
from taskforce.services.tx import read
from taskforce.store import schema as S

from tests.conftest import FBI_EXCERPT


def _rows() -> list[dict[str, str]]:
    with FBI_EXCERPT.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_excerpt_holds_the_messy_cases_its_readme_names():
    rows = _rows()
    assert 300 <= len(rows) <= 500
    assert len({r["ori"] for r in rows}) == len(rows)  # unique ORIs, as in the whole file
    assert sum(r["agency_name"] != r["agency_name"].strip() for r in rows) == 9  # all of them
    pairs = Counter((r["agency_name"], r["state_abbr"]) for r in rows)
    assert sum(n > 1 for n in pairs.values()) == 11  # every name-and-state pair that occurs more than once
    assert sum(not r["latitude"] for r in rows) >= 10
    assert sum("; " in r["county_name"] for r in rows) >= 10
    assert {r["agency_type_name"] for r in rows} == set(LEVEL_OF_TYPE)
    assert any('"' in line for line in FBI_EXCERPT.read_text(encoding="utf-8").splitlines())  # quoted names


def test_the_excerpt_imports_whole_then_is_unchanged(ctx):
    rows = _rows()
    before = stats.stats(ctx)
    first = import_agencies_csv(ctx, FBI_EXCERPT)
    assert (first.added, first.updated, first.unchanged, first.rejected) == (len(rows), 0, 0, ())
    after = stats.stats(ctx)
    assert after["agencies"] == before["agencies"] + len(rows)
    assert after["audit_rows"] == before["audit_rows"] + len(rows)

    with read(ctx) as conn:
        levels = dict(conn.execute(select(S.agency.c.level, func.count())
                                   .where(S.agency.c.ori.is_not(None)).group_by(S.agency.c.level)).all())
        imported = {r.ori: r for r in conn.execute(select(S.agency).where(S.agency.c.ori.is_not(None)))}
    types = Counter(r["agency_type_name"] for r in rows)
    assert levels["tribal"] == types["Tribal"]
    assert levels["state"] == types["State Police"] + types["Other State Agency"]
    assert not any(a.name != a.name.strip() for a in imported.values())  # trailing spaces gone
    for r in rows:  # every row as the file has it: several counties kept, a missing place allowed
        agency = imported[r["ori"]]
        assert (agency.name, agency.state, agency.county) == (r["agency_name"].strip(), r["state_abbr"],
                                                              r["county_name"])
    # one name for many agencies (with and without its trailing space): each stays its own, by ORI
    patrols = [r["ori"] for r in rows if r["agency_name"].strip() == "Highway Patrol:" and r["state_abbr"] == "KS"]
    assert len(patrols) > 2 and {imported[o].name for o in patrols} == {"Highway Patrol:"}
    assert len({imported[o].id for o in patrols}) == len(patrols)
    honolulu = imported["HI0020000"]
    assert (honolulu.name, honolulu.level, honolulu.agency_type) == ("Honolulu Police Department", "local", "City")

    second = import_agencies_csv(ctx, FBI_EXCERPT)
    assert (second.added, second.updated, second.unchanged) == (0, 0, len(rows))
    assert stats.stats(ctx) == after


def test_the_command_line_imports_the_excerpt_once(tmp_path):
    from tests.test_cli import tf

    db = tmp_path / "fbi.sqlite"
    rows = len(_rows())
    first = tf("--db", db, "import", "agencies", FBI_EXCERPT)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().splitlines()[-1] == f"added {rows}, updated 0, unchanged 0, rejected 0"
    second = tf("--db", db, "import", "agencies", FBI_EXCERPT)
    assert second.stdout.strip().splitlines()[-1] == f"added 0, updated 0, unchanged {rows}, rejected 0"

"""Issue 10 §2: pickers rank exact abbreviation, then name prefix, then word prefix, then
substring (UX.md), against the real reference agencies (migration 0002) and the FBI Crime Data
Explorer list imported beside them: the excerpt kept in tests/data always, the whole file when
it is beside the clone."""

from __future__ import annotations

import re

import pytest

from taskforce.services import lookup
from taskforce.services.agency_import import import_agencies_csv
from taskforce.store.lookup_queries import CONTAINS, EXACT, PREFIX, WORD

from tests import factories as f
from tests.conftest import FBI_CSV, FBI_EXCERPT

# what a coordinator types → the reference agency meant, and how well it matches
CODES = {
    "ICE": ("ICE — U.S. Immigration and Customs Enforcement", EXACT),
    "CBP": ("CBP — U.S. Customs and Border Protection", EXACT),
    "FBI": ("FBI — Federal Bureau of Investigation", EXACT),
    "RCMP": ("RCMP — Royal Canadian Mounted Police", EXACT),
    "HSI": ("ICE HSI — Homeland Security Investigations (formerly Office of Investigations)", WORD),
}


@pytest.fixture(params=["reference", "excerpt", "full"])
def agencies_db(request, ctx):
    """The reference agencies alone, or with the FBI list (excerpt or whole) imported."""
    if request.param == "full" and not FBI_CSV.exists():
        pytest.skip(f"the full FBI CDE agency list is not at {FBI_CSV} (the excerpt runs instead)")
    source = {"excerpt": FBI_EXCERPT, "full": FBI_CSV}.get(request.param)
    if source is not None:
        report = import_agencies_csv(ctx, source)
        assert report.added > 300 and not report.rejected
    return ctx


def expected_rank(typed: str, exact: list[str], prefix: list[str], words: list[str]) -> int:
    """The rule again in Python, to hold the SQL to it."""
    t = typed.strip().lower()
    if any(x.lower() == t for x in exact):
        return EXACT
    if any(x.lower().startswith(t) for x in prefix):
        return PREFIX
    if any(f" {t}" in " " + re.sub(r"[(\-/]", " ", x.lower()) for x in words):
        return WORD
    return CONTAINS


@pytest.mark.parametrize("typed", list(CODES))
def test_an_agency_code_finds_that_agency_first(agencies_db, typed):
    label, rank = CODES[typed]
    found = lookup.agencies(agencies_db, typed)
    assert found[0].label == label, [m.label for m in found[:5]]
    assert found[0].rank == rank
    # the only exact match, so Enter may take it; nothing a city department beats it to
    assert [m.label for m in found if m.rank == EXACT] == ([label] if rank == EXACT else [])
    ranks = [m.rank for m in found]
    assert ranks == sorted(ranks)
    assert lookup.agencies(agencies_db, typed.lower())[0].label == label  # case does not matter


def test_ice_is_never_the_department_of_just_ice(agencies_db):
    found = lookup.agencies(agencies_db, "ICE")
    labels = [m.label for m in found]
    assert labels[:2] == ["ICE — U.S. Immigration and Customs Enforcement",
                          "ICE HSI — Homeland Security Investigations (formerly Office of Investigations)"]
    doj = labels.index("DOJ — Department of Justice")
    assert found[doj].rank == CONTAINS


def test_cbp_then_its_offices_then_the_rest(agencies_db):
    found = lookup.agencies(agencies_db, "CBP")
    assert [m.label.split(" — ")[0] for m in found[:3]] == ["CBP", "CBP AMO", "CBP OFO"]
    assert [m.rank for m in found[:3]] == [EXACT, PREFIX, PREFIX]


def test_hsi_in_the_fbi_list_is_ice_hsi_then_south_side_departments(ctx):
    import_agencies_csv(ctx, FBI_EXCERPT)
    found = lookup.agencies(ctx, "HSI")
    assert found[0].label.startswith("ICE HSI — ")
    assert {m.label for m in found[1:]} == {"Southside Place Police Department", "Southside Police Department"}
    assert [m.rank for m in found] == [WORD, CONTAINS, CONTAINS]


@pytest.mark.parametrize("typed", ["Seattle", "police", "Blaine", "king county", "WA037", "Sh", "U.S.", "tribal"])
def test_agency_ranks_follow_the_rule(ctx, typed):
    """Every row's rank is the rule's (computed again in Python), and rows come best first."""
    import_agencies_csv(ctx, FBI_EXCERPT)
    found = lookup.agencies(ctx, typed, limit=500)
    assert found, typed
    with ctx.db.engine.connect() as conn:
        facts = {r[0]: (r[1] or "", r[2], r[3] or "") for r in conn.exec_driver_sql(
            "SELECT id, abbreviation, name, ori FROM agency")}
    for m in found:
        abbreviation, name, ori = facts[m.id]
        columns = [abbreviation, name, ori]
        assert m.rank == expected_rank(typed, columns, columns, [abbreviation, name]), m
    assert [m.rank for m in found] == sorted(m.rank for m in found)


def test_a_prefix_comes_before_a_word_before_a_substring(ctx):
    import_agencies_csv(ctx, FBI_EXCERPT)
    found = lookup.agencies(ctx, "Seattle", limit=100)
    by_rank = {}
    for m in found:
        by_rank.setdefault(m.rank, []).append(m.label)
    assert "Seattle Police Department" in by_rank[PREFIX]
    assert all(" Seattle" in label or "(Seattle" in label for label in by_rank.get(WORD, []))
    assert by_rank.get(WORD), found  # e.g. "Port of Seattle Police Department"


def test_members_rank_family_name_first(ctx):
    for family, given in [("Justice", "Amy"), ("Rice", "Dana"), ("Iceberg", "Tom"), ("Ice", "Lee"),
                          ("Moss", "Icelyn"), ("Price-Ice", "Sam")]:
        f.member(ctx, family, given)
    found = lookup.members(ctx, "ice")
    assert [m.label.split(" (")[0] for m in found] == [
        "Ice, Lee",                   # exact family name
        "Iceberg, Tom", "Moss, Icelyn",  # a name starts so
        "Price-Ice, Sam",             # a word of the name starts so
        "Justice, Amy", "Rice, Dana",  # somewhere inside
    ]
    assert [m.rank for m in found] == [EXACT, PREFIX, PREFIX, WORD, CONTAINS, CONTAINS]
    assert lookup.members(ctx, "Lee Ice")[0].rank == EXACT
    assert lookup.members(ctx, "Ice, Lee")[0].label.startswith("Ice, Lee")  # the label itself finds it


def test_subjects_rank_whole_name_then_prefix_word_substring(ctx):
    for name in ["Devance Trucking", "Dario Vance", "Vance Holdings LLC", "Vance"]:
        f.subject(ctx, name, kind="organization" if " " in name and name != "Dario Vance" else "person")
    found = lookup.subjects(ctx, "vance")
    assert [(m.label, m.rank) for m in found] == [
        ("Vance", EXACT), ("Vance Holdings LLC", PREFIX), ("Dario Vance", WORD), ("Devance Trucking", CONTAINS)]


def test_like_wildcards_typed_are_literal(ctx):
    f.agency(ctx, "100% Sure Task Unit", "local")
    assert [m.label for m in lookup.agencies(ctx, "100%")] == ["100% Sure Task Unit"]
    assert lookup.agencies(ctx, "_") == []
    assert len(lookup.agencies(ctx, "", limit=5)) == 5  # nothing typed: a first page, none "exact"
    assert {m.rank for m in lookup.agencies(ctx, "", limit=5)} == {CONTAINS}


def test_two_agencies_of_the_same_name_say_which_is_which(ctx):
    from taskforce.services import lookup

    from tests import factories as f

    first = f.agency(ctx, "Highway Patrol:", "state", state="KS", ori="KS0000000")
    second = f.agency(ctx, "Highway Patrol:", "state", state="MO", ori="MO0000000")
    other = f.agency(ctx, "Capitol Police", "state", state="KS")
    labels = {i: label for i, label, *_ in lookup.agencies(ctx, "Patrol:")}
    assert labels[first] == "Highway Patrol: (KS, KS0000000)" and labels[second] == "Highway Patrol: (MO, MO0000000)"
    assert [label for i, label, *_ in lookup.agencies(ctx, "Capitol")] == ["Capitol Police"] and other

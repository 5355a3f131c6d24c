"""Rule 6, the Third Party Rule: the pure rule, authorizations, and story S10 item by item."""

from dataclasses import replace
from datetime import date

import pytest

from taskforce.domain.errors import Conflict, ValidationFailed
from taskforce.domain.release import AuthorizationData, Lineage, Withheld, may_receive, withheld_summary
from taskforce.services import cases, release
from taskforce.services.briefing import case_briefing
from taskforce.services.tx import read

from tests.factories_release import N1, N2, N3, S1, s10_world

# agencies as lineages (id, ref_key), nearest first
DHS = (1, "dhs")
CBP = Lineage(((2, "cbp"), DHS))
BLAINE = Lineage(((20, None), (3, "cbp_ofo"), (2, "cbp"), DHS))
ICE = Lineage(((4, "ice"), DHS))
HSI_SEA = Lineage(((40, None), (5, "ice_hsi"), (4, "ice"), DHS))
FBI = Lineage(((6, "fbi"), (7, "doj")))
FBI_SEA = Lineage(((60, None), (6, "fbi"), (7, "doj")))
RCMP = Lineage(((8, "rcmp"),))


@pytest.mark.parametrize("recipient, origin, pnr, expected", [
    (CBP, BLAINE, True, None),                 # CBP is the primary receiver of EU PNR data
    (BLAINE, BLAINE, True, None),              # the originator itself
    (ICE, BLAINE, True, Withheld.EU_PNR),      # ICE is a third party to EU PNR data
    (FBI, BLAINE, True, Withheld.EU_PNR),
    (CBP, HSI_SEA, False, None),               # DHS components are not third parties
    (ICE, HSI_SEA, False, None),
    (FBI, HSI_SEA, False, Withheld.THIRD_PARTY),
    (CBP, RCMP, False, Withheld.THIRD_PARTY),
    (RCMP, RCMP, False, None),
    (FBI_SEA, FBI, False, None),               # one of the originator's units
    (FBI, FBI_SEA, False, Withheld.THIRD_PARTY),  # the rule names units, not parents
    (RCMP, None, False, Withheld.UNKNOWN_ORIGIN),
    # EU PNR only restricts: an item from outside DHS stays third-party information for CBP
    (CBP, FBI, True, Withheld.THIRD_PARTY),
    (BLAINE, RCMP, True, Withheld.THIRD_PARTY),
    (CBP, HSI_SEA, True, None),                # DHS-originated: CBP is the primary receiver
    (FBI, FBI, True, None),                    # the originator keeps its own item
    (FBI_SEA, FBI, True, None),                # and so do its units
    (ICE, FBI, True, Withheld.EU_PNR),
])
def test_who_may_receive_what(recipient, origin, pnr, expected):
    assert may_receive(recipient, origin, eu_pnr=pnr, authorized=False) == expected
    assert may_receive(recipient, origin, eu_pnr=pnr, authorized=True) is None


def test_the_cover_summary_counts_by_reason_and_never_says_what():
    assert withheld_summary({Withheld.THIRD_PARTY: 2, Withheld.EU_PNR: 3}) == (
        "3 items derived from EU PNR data; 2 items originated by another agency without an authorization")
    assert withheld_summary({Withheld.EU_PNR: 1}) == "1 item derived from EU PNR data"
    assert withheld_summary({}) == ""


def _briefing(ctx, case_id, recipient):
    with read(ctx) as conn:
        screen = release.screen_for(conn, recipient)
        b = case_briefing(conn, case_id, screen, ctx.today())
    text = " ".join([n.body for n in b.notes] + [s.name for s in b.subjects])
    return b, screen, text


def _released(text):
    return {label for label, body in (("N1", N1), ("N2", N2), ("N3", N3), ("S1", S1)) if body in text}


def test_s10_each_recipient_receives_exactly_what_rule_6_allows(ctx):
    w = s10_world(ctx)
    expected = {
        w.cbp: ({"N1", "N2", "S1"}, "1 item originated by another agency without an authorization"),
        w.ice: ({"N2", "S1"}, "1 item derived from EU PNR data; "
                              "1 item originated by another agency without an authorization"),
        # FBI: everything withheld, the case's own fields too (HSI Seattle's)
        w.fbi: (set(), "1 item derived from EU PNR data; "
                       "4 items originated by another agency without an authorization"),
        # RCMP: its own note only; the case's fields and the rest are third-party information
        w.rcmp: ({"N3"}, "1 item derived from EU PNR data; "
                         "3 items originated by another agency without an authorization"),
    }
    for recipient, (released, summary) in expected.items():
        b, screen, text = _briefing(ctx, w.case, recipient)
        assert _released(text) == released, recipient
        assert screen.summary() == summary, recipient
    _b, screen, _text = _briefing(ctx, w.case, None)  # our own copy: everything
    assert screen.withheld_count == 0 and screen.included_count == 5


def test_s10_an_authorization_for_fbi_releases_n2_to_fbi_only(ctx):
    w = s10_world(ctx)
    release.authorize(ctx, AuthorizationData("note", w.n2, w.fbi, "SAC Seattle", date(2026, 7, 1), "BEST-REL-14"))
    assert _released(_briefing(ctx, w.case, w.fbi)[2]) == {"N2"}
    assert _released(_briefing(ctx, w.case, w.rcmp)[2]) == {"N3"}
    rows = release.authorizations_for_case(ctx, w.case)
    assert [(r.item_kind, r.authorized_by, r.reference) for r in rows] == [("note", "SAC Seattle", "BEST-REL-14")]
    assert "Note of" in rows[0].item and rows[0].recipient


def test_an_authorization_of_the_whole_case_releases_everything_in_it(ctx):
    w = s10_world(ctx)
    release.authorize(ctx, AuthorizationData("case", w.case, w.fbi, "ASAC Lindqvist", date(2026, 7, 2), "BEST-REL-15"))
    b, screen, text = _briefing(ctx, w.case, w.fbi)
    assert _released(text) == {"N1", "N2", "N3", "S1"} and b.summary is not None
    assert screen.withheld_count == 0


def test_an_authorization_needs_who_when_and_a_reference_and_is_never_in_the_future(ctx):
    w = s10_world(ctx)
    with pytest.raises(ValidationFailed) as err:
        release.authorize(ctx, AuthorizationData("note", w.n2, None, "", None, ""))
    assert {e.field for e in err.value.errors} == {"recipient_agency_id", "authorized_by", "authorized_on",
                                                   "reference"}
    with pytest.raises(ValidationFailed, match="future"):
        release.authorize(ctx, AuthorizationData("note", w.n2, w.fbi, "SAC", date(2027, 1, 1), "R-1"))
    release.authorize(ctx, AuthorizationData("note", w.n2, w.fbi, "SAC", date(2026, 7, 1), "R-1"))
    with pytest.raises(Conflict, match="already recorded"):
        release.authorize(ctx, AuthorizationData("note", w.n2, w.fbi, "SAC", date(2026, 7, 1), "R-2"))


def test_deleting_an_item_deletes_its_authorizations_so_a_reused_id_inherits_nothing(ctx):
    w = s10_world(ctx)
    auth = release.authorize(ctx, AuthorizationData("note", w.n3, w.fbi, "SAC", date(2026, 7, 1), "R-1")).id
    cases.remove_link(ctx, "note", w.n3)
    assert release.authorizations_for_case(ctx, w.case) == []
    with pytest.raises(Exception):
        release.revoke(ctx, auth)


def test_a_revoked_authorization_withholds_again(ctx):
    w = s10_world(ctx)
    auth = release.authorize(ctx, AuthorizationData("note", w.n2, w.fbi, "SAC", date(2026, 7, 1), "R-1")).id
    release.revoke(ctx, auth)
    assert _released(_briefing(ctx, w.case, w.fbi)[2]) == set()


def test_recipients_are_found_by_abbreviation_name_or_ori(ctx):
    w = s10_world(ctx)
    assert release.find_agency(ctx, "hsi sea")[0] == w.best.hsi_seattle
    assert release.find_agency(ctx, "ICE HSI Seattle")[0] == w.best.hsi_seattle
    with pytest.raises(Exception, match="No agency called 'Nowhere PD'"):
        release.find_agency(ctx, "Nowhere PD")


def test_editing_a_note_changes_its_origin_and_caveats_only_when_asked(ctx):
    w = s10_world(ctx)
    cases.edit_note(ctx, w.n1, "Passenger record (revised)", w.best.blaine)  # caveats not given: kept
    note = next(n for n in cases.get_case(ctx, w.case).notes if n.id == w.n1)
    assert note.body == "Passenger record (revised)" and note.caveats == ("EU PNR-derived",)
    cases.edit_note(ctx, w.n1, "Passenger record (revised)", w.best.blaine, ())
    note = next(n for n in cases.get_case(ctx, w.case).notes if n.id == w.n1)
    assert note.caveats == () and note.originating_agency == "CBP OFO Blaine"


def test_s12_eu_pnr_only_restricts_on_notes_and_counts_on_subjects_events_and_debriefs(ctx):
    """S12: an FBI note marked EU PNR is withheld from CBP and ICE and goes to FBI; a subject
    entered by CBP OFO Blaine marked EU PNR goes to CBP, not to ICE. Events and debriefs
    carry caveats too, and they count."""
    from taskforce.domain.case_events import CaseEventData
    from taskforce.domain.debriefs import DebriefData, DebriefParticipant
    from taskforce.domain.records import CaseSubjectData, NoteData, SubjectData
    from taskforce.services import case_events, debriefs, subjects

    from tests.factories_release import eu_pnr

    w = s10_world(ctx)
    pnr = eu_pnr(ctx)
    fbi_seattle = release.find_agency(ctx, "FBI")[0]
    n4_text = "FBI passenger screening hit for the courier's companion"
    n4 = cases.add_note(ctx, NoteData(w.case, n4_text, "SA Lindqvist", originating_agency_id=fbi_seattle,
                                      caveat_ids=(pnr,))).id
    s2_name = "Teodor Halloran"
    s2 = subjects.create_subject(ctx, SubjectData(kind="person", name=s2_name, originating_agency_id=w.best.blaine,
                                                  caveat_ids=(pnr,))).id
    cases.link_subject(ctx, CaseSubjectData(w.case, s2, "associate"))
    assert subjects.get_subject(ctx, s2).caveats == ("EU PNR-derived",)
    event = case_events.add_event(ctx, CaseEventData(
        w.case, "seizure", date(2026, 7, 3), lead_agency_id=w.best.hsi_seattle, description="Seized at Lynden",
        originating_agency_id=w.best.hsi_seattle, caveat_ids=(pnr,))).id
    debrief = debriefs.create_debrief(ctx, DebriefData(
        w.case, date(2026, 7, 4), w.best.hsi_seattle, place="USAO Seattle",
        participants=(DebriefParticipant(w.best.quill, "", None, "interviewer"),), caveat_ids=(pnr,))).id
    assert debriefs.get_debrief(ctx, debrief).caveats == ("EU PNR-derived",)

    def got(recipient):
        b, _screen, text = _briefing(ctx, w.case, recipient)
        return (n4_text in " ".join(n.body for n in b.notes), s2_name in text,
                any(e.description == "Seized at Lynden" for e in b.events), bool(b.debriefs))

    assert got(w.cbp) == (False, True, True, True)     # FBI's note stays third-party to CBP
    assert got(w.ice) == (False, False, False, False)  # EU PNR: ICE is a third party
    assert got(w.fbi)[0] is True                        # FBI's own note
    # without the caveat the HSI event and debrief go to ICE (DHS to DHS)
    case_events.update_event(ctx, event, replace(case_events.timeline(ctx, w.case).events[0].data, caveat_ids=()))
    d = debriefs.get_debrief(ctx, debrief).data
    debriefs.update_debrief(ctx, debrief, replace(d, caveat_ids=()))
    assert got(w.ice) == (False, False, True, True)
    # the caveats' removal is in the history, like any change
    from taskforce.services import history
    assert any(h.field == f"caveats of event #{event}" for h in history.history(ctx, "case_file", w.case))

"""Each branch of each pure rule in taskforce/domain, at the values that tell it from a
plausible wrong one (issue 10 §4: the survivors of `make mutate`, killed; docs/mutation.md
lists what is left and why). No database, no Qt: rules are tested as pure functions."""

from __future__ import annotations

from datetime import date

import pytest

from taskforce.domain.assistance import TRANSLATION_REFERRAL_REASON, TriageRule, transition_problem, triage_rule
from taskforce.domain.cooperation import (
    IMPERMISSIBLE, ActivityType, DelegatedAuthorityCheck, check_delegated_authority, may_record_cooperation,
    not_cooperating_reason, refusal_reason,
)
from taskforce.domain.debriefs import closing_date_problem
from taskforce.domain.deconfliction import (
    NameMatcher, SubjectFacts, _identifier_label, best_name_similarity, blocking_words, combined_score, fold,
    identifier_lookup_values, ordered_pair, prefix_range, score_match,
)
from taskforce.domain.designations import (
    DesignationFacts, designation_status, expiry_text, grant_287g_problem, lapse_text,
)
from taskforce.domain.details import DetailData, host_problem
from taskforce.domain.enums import AgreementKind, DesignationStatus, label_of
from taskforce.domain.errors import DatabaseInUse, FieldError, TooManyAttempts, ValidationFailed
from taskforce.domain.feedback import FeedbackData, ObligationStatus, as_count, obligation_status, rollup_component
from taskforce.domain.records import NoteData
from taskforce.domain.referrals import age_days, decision_date_problem, decision_refusal, may_refer, pending_text
from taskforce.domain.release import Lineage, Withheld, may_receive
from taskforce.domain.rules import agreement_in_force, case_number_prefix, suggest_case_number
from taskforce.domain.text import (
    clean_line, clean_text, date_problem, days_text, field_label, has_surrogates, is_clean_line, plausible_date,
)

EXPIRES = date(2027, 1, 14)


# --- rule 7 / 002 II.A: who holds a 287(g) designation, and when it authorizes -------------------


def test_a_287g_designation_is_ices_under_a_287g_agreement_of_ice_and_the_members_own_agency():
    ok = dict(granted_by_ice=True, agreement_kind="287g", ice_party=True, home_agency_party=True)
    assert grant_287g_problem(**ok) is None
    cases = [
        ({"granted_by_ice": False}, "granting_agency_id",
         "A 287(g) designation is granted by ICE (8 U.S.C. 1357(g)); choose ICE or one of its offices."),
        ({"agreement_kind": None}, "agreement_id",
         "A 287(g) designation exists only under a written 287(g) agreement; choose it."),
        ({"agreement_kind": "mou"}, "agreement_id", "The agreement chosen is not a 287(g) agreement."),
        ({"ice_party": False}, "agreement_id",
         "ICE is not a party to the agreement chosen; a 287(g) agreement is made with ICE."),
        ({"home_agency_party": False}, "agreement_id",
         "The member's own agency is not a party to that 287(g) agreement; a member acts only under their "
         "own agency's agreement with ICE."),
    ]
    for change, field, message in cases:
        assert grant_287g_problem(**{**ok, **change}) == FieldError(field, message)
    # the first missing part is the one named
    assert grant_287g_problem(granted_by_ice=False, agreement_kind=None, ice_party=False,
                              home_agency_party=False).field == "granting_agency_id"
    assert grant_287g_problem(**{**ok, "agreement_kind": None, "ice_party": False}).message.startswith(
        "A 287(g) designation exists only")
    assert grant_287g_problem(**{**ok, "agreement_kind": "mou", "ice_party": False}).message.startswith(
        "The agreement chosen")
    assert grant_287g_problem(**{**ok, "ice_party": False, "home_agency_party": False}).message.startswith(
        "ICE is not a party")


JUNE_15 = date(2026, 6, 15)


def _facts(id_=1, effective=date(2026, 6, 1), expires=date(2026, 12, 31), **kw) -> DesignationFacts:
    values = dict(agreement_id=9, agreement_title="287(g) MOA Whatcom County", agreement_kind="287g",
                  agreement_effective=date(2026, 1, 1), agreement_expires=date(2027, 12, 31),
                  granted_by_ice=True, home_agency_party=True)
    return DesignationFacts(id_, effective, expires, **{**values, **kw})


def test_delegated_authority_says_in_full_why_it_is_refused():
    assert check_delegated_authority([], JUNE_15).problem == (
        "Refused: the member has no 287(g) designation; delegated immigration authority is exercised only "
        "by designated officers under a written 287(g) agreement (002 II.A).")
    assert check_delegated_authority([_facts()], date(2027, 1, 1)).problem == (
        "Refused: the member has no active 287(g) designation on 2027-01-01 (it expired on 2026-12-31); "
        "an expired designation no longer counts (002 II.A).")
    # the one expiring last is named, wherever it is in the list
    many = [_facts(1, expires=date(2026, 7, 1)), _facts(2, expires=date(2026, 12, 31)),
            _facts(3, expires=date(2026, 9, 1))]
    assert "(it expired on 2026-12-31)" in check_delegated_authority(many, date(2027, 1, 1)).problem
    assert check_delegated_authority(many, JUNE_15).designation_id == 2
    # one stating no expiry outlasts any dated one; not yet in force, it names when it starts
    later = [_facts(1, expires=date(2026, 6, 10)), _facts(2, effective=date(2026, 7, 1), expires=None)]
    assert "(it takes effect on 2026-07-01)" in check_delegated_authority(later, JUNE_15).problem
    base = ("Refused: the member's 287(g) designation is active on 2026-06-15, but {}; delegated authority "
            "exists only under a written 287(g) agreement in force (002 II.A).")
    for facts, why in [
        (_facts(granted_by_ice=False), "it was not granted by ICE"),
        (_facts(agreement_id=None), "it names no 287(g) agreement"),
        (_facts(agreement_kind="mou"), "“287(g) MOA Whatcom County” is not a 287(g) agreement"),
        (_facts(home_agency_party=False), "the member's own agency is not a party to “287(g) MOA Whatcom County”"),
        (_facts(agreement_effective=date(2026, 6, 16)),
         "the 287(g) agreement “287(g) MOA Whatcom County” is not in force on 2026-06-15"),
        (_facts(agreement_expires=date(2026, 6, 14)),
         "the 287(g) agreement “287(g) MOA Whatcom County” is not in force on 2026-06-15"),
    ]:
        assert check_delegated_authority([facts], JUNE_15) == DelegatedAuthorityCheck(None, base.format(why))
    assert check_delegated_authority([_facts(agreement_effective=JUNE_15, agreement_expires=JUNE_15)], JUNE_15).ok
    # of several active, the sentence names what is wrong with the one lasting longest
    two = [_facts(1, expires=date(2026, 9, 1), granted_by_ice=False), _facts(2, agreement_kind="mou")]
    problem = check_delegated_authority(two, JUNE_15).problem
    assert "“287(g) MOA Whatcom County” is not a 287(g) agreement" in problem


# --- rule 10: a detail is with another agency's unit --------------------------------------------


def test_a_detail_host_is_neither_the_home_agency_nor_its_unit_nor_above_it():
    start = "A detail assigns a member to another agency's unit; "
    assert host_problem([1, 2], [1, 2]) == start + "this is the member's home agency."
    assert host_problem([1, 2], [5, 1, 2]) == start + "this is a unit of the member's own agency."
    assert host_problem([5, 1, 2], [1, 2]) == start + "this agency is above the member's own in the same organization."
    assert host_problem([5, 1, 2], [2]) == start + "this agency is above the member's own in the same organization."
    assert host_problem([5, 1], [6, 1]) is None  # a sibling unit of the same parent is another agency's
    assert host_problem([5, 1], [6]) is None
    assert host_problem([5], [6, 7]) is None


def test_the_evaluation_date_is_the_one_given_else_90_days_after_the_start():
    assert DetailData(1, 2, date(2026, 3, 1)).evaluation_date() == date(2026, 5, 30)  # S9
    assert DetailData(1, 2, date(2026, 3, 1), evaluation_on=date(2026, 4, 1)).evaluation_date() == date(2026, 4, 1)
    assert DetailData(1, 2, None).evaluation_date() is None


# --- rule 1 (000): the sentence the request shows ------------------------------------------------


def test_triage_says_why_in_full():
    assert triage_rule(["translation", "other"], False) == TriageRule(
        False, "Triaged normally: the request has bases other than language translation (000).")
    assert triage_rule(["translation"], True) == TriageRule(
        False, "Triaged normally: the requester is a DHS component, and the translation referral (000) applies "
               "only to organizations other than DHS components.")
    assert triage_rule(["translation"], False).reason == TRANSLATION_REFERRAL_REASON
    assert TRANSLATION_REFERRAL_REASON.startswith("Referred, not worked: the request is based solely on")


def test_transitions_say_why_not_in_full():
    assert transition_problem("completed", "open", "") == "A request that is completed cannot become open."
    assert transition_problem("declined", "triaged", "why") == "A request that is declined cannot become triaged."
    assert transition_problem("bogus", "bogus", "") is None  # no move, nothing to refuse
    with pytest.raises(ValueError):
        transition_problem("bogus", "triaged", "")  # an unknown status allows nothing (and is no status)
    assert transition_problem("referred", "triaged", " ") == (
        "Taking back a referral needs a reason: say why the request is worked after all.")
    assert transition_problem("referred", "triaged", "the sheriff has no interpreter") is None
    assert transition_problem("open", "referred", "") is None  # only taking a referral back needs one


# --- rule 8 (002 III) ---------------------------------------------------------------------------


def test_only_state_local_and_tribal_members_record_cooperation_and_the_refusal_says_so():
    assert [level for level in ("federal", "state", "local", "tribal", "foreign", "international")
            if may_record_cooperation(level)] == ["state", "local", "tribal"]
    tail = ": cooperation activities are recorded for members of state, local or tribal agencies only (002 III)."
    assert not_cooperating_reason("Ashby, Greg", "FBI", "federal") == (
        "Ashby, Greg's home agency (FBI) is federal" + tail)
    assert not_cooperating_reason("Lee", "RCMP", "foreign") == "Lee's home agency (RCMP) is foreign" + tail
    assert not_cooperating_reason("X", "Y", "galactic") == "X's home agency (Y) is galactic" + tail


def test_an_impermissible_type_is_refused_in_the_guidances_words_and_others_are_not():
    assert refusal_reason("independent_removal") == (
        "Refused: DHS guidance lists this among the actions that would infringe on the Federal Government's "
        "authorities (002 III.B, Impermissible Actions): “" + IMPERMISSIBLE[ActivityType.INDEPENDENT_REMOVAL] + "”")
    assert refusal_reason("joint_task_force") is None and refusal_reason("other") is None
    assert refusal_reason("no_such_type") is None


# --- dates of what happened: between the record it follows and today ------------------------------


def test_a_briefing_or_waiver_is_dated_from_the_debrief_to_today_both_included():
    held, today = date(2026, 6, 10), date(2026, 6, 20)
    assert closing_date_problem(held, held, today) is None
    assert closing_date_problem(held, today, today) is None
    assert closing_date_problem(held, date(2026, 6, 9), today) == "It cannot be before the debrief (2026-06-10)."
    assert closing_date_problem(held, date(2026, 6, 21), today) == "It cannot be in the future."


def test_a_referral_decision_is_dated_from_the_referral_to_today_both_included():
    referred, today = date(2026, 2, 11), date(2026, 2, 20)
    assert decision_date_problem(referred, referred, today) is None
    assert decision_date_problem(referred, today, today) is None
    assert decision_date_problem(referred, date(2026, 2, 10), today) == (
        "The decision cannot be before the referral (2026-02-11).")
    assert decision_date_problem(referred, date(2026, 2, 21), today) == "The decision cannot be in the future."


def test_a_referral_is_decided_once_and_its_age_counts_from_the_day_it_was_made():
    assert decision_refusal("pending", None) is None
    assert decision_refusal("accepted", date(2026, 2, 20)) == (
        "This referral was already accepted on 2026-02-20; a decided referral cannot be decided again.")
    assert decision_refusal("declined", None) == (
        "This referral was already declined; a decided referral cannot be decided again.")
    assert age_days(date(2026, 2, 11), date(2026, 2, 11)) == 0
    assert age_days(date(2026, 2, 11), date(2026, 6, 11)) == 120
    assert age_days(date(2026, 2, 11), date(2026, 2, 10)) == 0  # never negative


def test_rule_4_only_the_lead_or_one_of_its_units_refers():
    assert may_refer([20, 3, 2, 1], case_lead_id=20)  # the lead itself
    assert may_refer([21, 20, 3], case_lead_id=20)  # a unit of the lead
    assert not may_refer([3, 2, 1], case_lead_id=20)  # a parent of the lead may not
    assert not may_refer([], case_lead_id=20)
    assert may_refer(iter([21, 20]), case_lead_id=20)  # any iterable of ids


# --- rule 2: obligations, counts and roll-ups ---------------------------------------------------------


def test_feedback_recorded_on_a_day_closes_the_obligation_that_day():
    due = date(2026, 4, 1)
    assert obligation_status(date(2026, 4, 5), due, date(2026, 4, 5)) is ObligationStatus.CLOSED
    assert obligation_status(date(2026, 4, 5), due, date(2026, 4, 4)) is ObligationStatus.OVERDUE  # as it stood
    assert obligation_status(date(2026, 3, 20), due, date(2026, 3, 19)) is ObligationStatus.OPEN


def test_results_are_counted_as_whole_numbers():
    data = FeedbackData(1, date(2026, 4, 5), arrests="2", indictments=0, prosecutions="1,000",
                        convictions=None, penalties_usd="$2,500")  # type: ignore[arg-type]
    assert data.counts() == {"arrests": 2, "indictments": 0, "prosecutions": 1000, "convictions": 0,
                             "penalties_usd": 2500}
    assert FeedbackData(1, date(2026, 4, 5), arrests=3).counts()["arrests"] == 3
    assert as_count(None) == 0 and as_count("") == 0 and as_count(" 7 ") == 7 and as_count("$1,200") == 1200
    assert as_count(True) is None and as_count(-1) is None and as_count("1.5") is None and as_count("abc") is None
    assert as_count("X12") is None  # only a leading dollar sign is dropped


def test_a_department_rolls_up_to_itself_even_under_another_agency():
    assert rollup_component([(10, "doj", "DOJ"), (1, None, "United States")]) == (10, "DOJ")
    assert rollup_component([(10, "doj", "DOJ")]) == (10, "DOJ")
    assert rollup_component([(11, "fbi", "FBI"), (10, "doj", "DOJ")]) == (11, "FBI")
    assert rollup_component([(42, None, "FBI Seattle"), (11, "fbi", "FBI"), (10, "doj", "DOJ")]) == (11, "FBI")
    assert rollup_component([(8, "rcmp", "RCMP")]) == (8, "RCMP")


# --- rule 6: DHS components share only among themselves ----------------------------------------------


def test_a_dhs_recipient_does_not_receive_from_an_unkeyed_unit_outside_dhs():
    dhs = (1, "dhs")
    cbp = Lineage(((2, "cbp"), dhs))
    fbi_seattle = Lineage(((60, None), (6, "fbi"), (7, "doj")))
    sheriff = Lineage(((70, None),))
    assert may_receive(cbp, fbi_seattle, eu_pnr=False, authorized=False) is Withheld.THIRD_PARTY
    assert may_receive(cbp, sheriff, eu_pnr=False, authorized=False) is Withheld.THIRD_PARTY
    assert may_receive(cbp, Lineage(((40, None), (4, "ice"), dhs)), eu_pnr=False, authorized=False) is None


# --- rule 7: agreements and designations on their boundary days -----------------------------------------


def test_an_agreement_is_in_force_on_its_effective_and_its_expiry_day():
    assert agreement_in_force(date(2025, 10, 1), None, date(2025, 10, 1))
    assert not agreement_in_force(date(2025, 10, 2), None, date(2025, 10, 1))
    assert agreement_in_force(None, date(2026, 9, 30), date(2026, 9, 30))


def test_the_roster_says_tomorrow_the_day_before():
    assert expiry_text(EXPIRES, date(2027, 1, 13)) == "expires tomorrow"
    assert expiry_text(EXPIRES, date(2027, 1, 12)) == "expires in 2 days"


# --- case numbers --------------------------------------------------------------------------------------


def test_a_new_task_forces_prefix_is_its_kind_and_first_place():
    assert case_number_prefix("ShipRider Pacific", "ShipRider") == "SHIPRI-PAC"  # six letters of the kind
    assert case_number_prefix("Pacific Highway", "A-B") == "AB-PAC"  # only letters and digits of the kind
    assert case_number_prefix("BEST", "BEST") == "BEST"  # no place named
    # numbers in another format are skipped wherever they are in the list
    assert suggest_case_number(["hand typed", "X-2026-0007", "old-format 12"], "Y", 2026) == "X-2026-0008"
    assert case_number_prefix("Group of five", "…") == "TF-GRO"  # a kind without letters


# --- errors carry their sentence ----------------------------------------------------------------------


def test_errors_carry_their_sentence_and_details():
    holder = object()
    in_use = DatabaseInUse("Open on WS-12 since 09:14.", holder)
    assert str(in_use) == "Open on WS-12 since 09:14." and in_use.holder is holder
    assert DatabaseInUse("x").holder is None
    until = date(2026, 1, 1)
    locked = TooManyAttempts("Locked until 09:30.", until)
    assert str(locked) == "Locked until 09:30." and locked.until is until
    failed = ValidationFailed([FieldError("a", "A is required."), FieldError("b", "B is wrong.")])
    assert str(failed) == "A is required.; B is wrong." and failed.args == ("A is required.; B is wrong.",)
    assert failed.for_field("b") == "B is wrong." and failed.for_field("c") is None


def test_a_stored_value_shows_its_label_or_itself():
    assert label_of(AgreementKind, "mou") == "MOU"
    assert label_of(AgreementKind, "treaty") == "treaty"  # unknown: shown as stored
    assert label_of(AgreementKind, None) == ""


# --- text as stored (domain.text) ------------------------------------------------------------------------


def test_free_text_is_stored_nfc_without_controls_and_with_surrogate_pairs_joined():
    assert clean_text("plain text") == "plain text"
    assert clean_text("Caf\u0065\u0301") == "Café"  # NFC
    assert clean_text("a\x00b\x7fc\x85d") == "abcd"  # ASCII controls and C1 controls go
    assert clean_text("tab\tline\nreturn\r") == "tab\tline\nreturn\r"
    assert clean_text("\u202eright-to-left\u202c") == "\u202eright-to-left\u202c"  # free text keeps bidi
    assert clean_text("smile \ud83d\ude00") == "smile 😀"  # a pair written as two code points
    assert clean_text("lone \ud800 half") == "lone \ufffd half"
    assert clean_line("Name\u202e\tX") == "Name X"
    assert is_clean_line("Vance") and not is_clean_line("Van\u202ece") and not is_clean_line("a\nb")


def test_surrogates_are_found_in_texts_tuples_and_records():
    assert has_surrogates("a\udc00") and not has_surrogates("a")
    assert has_surrogates(("ok", ["\ud800"])) and not has_surrogates(("ok", ["fine"]))
    assert has_surrogates(NoteData(1, "x\ud800")) and not has_surrogates(NoteData(1, "x"))
    assert not has_surrogates(5) and not has_surrogates(None)


def test_dates_are_plausible_from_1800_to_2199():
    assert plausible_date(date(1800, 1, 1)) and plausible_date(date(2199, 12, 31))
    assert not plausible_date(date(1799, 12, 31)) and not plausible_date(date(2200, 1, 1))
    assert date_problem(date(2026, 1, 1), "Held on") is None
    assert date_problem("2026-01-01", "Held on") == "Held on must be a date written YYYY-MM-DD."
    assert date_problem(date(2200, 1, 1), "Held on") == "Held on must be a date between 1800 and 2199; got 2200-01-01."


def test_a_field_is_named_as_a_user_reads_it():
    assert field_label("family_name") == "Family name"
    assert field_label("dob") == "Date of birth"
    assert field_label("value", "subject_identifier") == "Identifier"
    assert field_label("name", "subject_alias") == "Alias"
    assert field_label("name", "agency") == "Name"


# --- target deconfliction ----------------------------------------------------------------------------------


def test_names_fold_accents_and_case():
    assert fold("Darío NÚÑEZ") == "dario nunez"
    assert fold("Straße") == "strasse"
    assert fold("Ｆｕｌｌ") == "full"  # compatibility forms (NFKD)
    assert fold("ASCII Name") == "ascii name"


def test_identifier_spellings_and_index_ranges():
    assert identifier_lookup_values(" Ab-1 ") == ("Ab-1", "AB-1", "ab-1", "AB1", "ab1")
    assert prefix_range("smi") == ("smi", "smj")
    assert prefix_range("a") == ("a", "b")
    assert prefix_range("ab") == ("ab", "ac")
    assert ordered_pair(2, 1) == (1, 2) and ordered_pair(1, 2) == (1, 2) and ordered_pair(3, 3) == (3, 3)


def test_blocking_keeps_words_of_two_letters_or_more():
    assert blocking_words(["Xavier Li", "J. Wu"]) == {"xavier", "li", "wu"}
    assert blocking_words(["O'Neil"]) == {"o'neil", "neil"}
    assert blocking_words(["Ñu"]) == {"ñu", "nu"}  # two letters, as typed and folded


def test_identifiers_are_named_in_lower_case_unless_an_abbreviation():
    assert _identifier_label("passport") == "passport"
    assert _identifier_label("a_number") == "A-number"
    assert _identifier_label("SSN") == "SSN"
    assert _identifier_label("ID card") == "ID card"
    assert _identifier_label("ID") == "ID"
    assert _identifier_label("x") == "x"


def test_scores_bottom_out_at_zero_and_say_why():
    assert combined_score(0, True) == 0 and combined_score(0, None) == 0 and combined_score(0, False) == 0
    assert best_name_similarity(("Dario",), ()) == 0
    assert NameMatcher(["Dario"]).similarity("!!!") == 0
    a = SubjectFacts(1, "person", ("John Smith",), dob=date(1980, 1, 1))
    b = SubjectFacts(2, "person", ("John Smith",), dob=date(1981, 1, 1))
    assert score_match(a, b).reasons == ("same name",)  # a different DOB is said only beside an identifier
    maria, marco = SubjectFacts(1, "person", ("Maria",)), SubjectFacts(2, "person", ("Marco",))
    assert score_match(maria, marco).reasons == ("similar name 60",)  # named from 60 on
    assert score_match(maria, SubjectFacts(2, "person", ("Mbxyz",))).reasons == ()


# --- rule 7 as the roster and the home screen say it (issue 10 §3) -----------------------------------


def test_a_designation_counts_from_its_effective_day():
    effective = date(2026, 11, 23)
    assert designation_status(effective, None, [], effective) is DesignationStatus.ACTIVE
    assert designation_status(effective, None, [], date(2026, 11, 22)) is DesignationStatus.PENDING
    assert designation_status(None, None, [], effective) is DesignationStatus.ACTIVE


def test_the_lapse_is_said_only_while_expiring_or_expired():
    expires, renewal = date(2027, 2, 28), date(2027, 3, 10)
    assert lapse_text(expires, renewal, DesignationStatus.EXPIRING) == (
        "lapse 2027-03-01 to 2027-03-09 (the renewal takes effect 2027-03-10)")
    assert lapse_text(expires, renewal, DesignationStatus.EXPIRED) == (
        "lapse 2027-03-01 to 2027-03-09 (the renewal takes effect 2027-03-10)")
    assert lapse_text(expires, None, DesignationStatus.EXPIRED) == "no renewal recorded"
    for status in (DesignationStatus.ACTIVE, DesignationStatus.RENEWED, DesignationStatus.PENDING):
        assert lapse_text(expires, renewal, status) == ""
        assert lapse_text(expires, None, status) == ""
    assert lapse_text(None, None, DesignationStatus.EXPIRING) == ""


def test_days_and_waiting_referrals_are_said_in_the_plural_their_number_takes():
    assert [days_text(n) for n in (0, 1, 2, 9)] == ["0 days", "1 day", "2 days", "9 days"]
    assert [pending_text(n) for n in (-1, 0, 1, 2, 120)] == [
        "pending since today", "pending since today", "pending 1 day", "pending 2 days", "pending 120 days"]

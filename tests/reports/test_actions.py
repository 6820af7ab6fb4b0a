"""Next actions and due dates: business days, 7-day visits, polypharmacy and social needs."""

from __future__ import annotations

from datetime import date

import numpy as np

from reports.actions import (
    CHECK_IN,
    MED_REC,
    OUTREACH,
    REFERRAL,
    VISIT,
    action_due_dates,
    add_business_days,
    choose_next,
)

D = "datetime64[D]"


def test_two_business_days_after_discharge():
    days = np.array(["2024-03-04", "2024-03-08", "2024-03-09", "NaT"], dtype=D)  # Mon, Fri, Sat
    got = add_business_days(days, 2)
    assert got[:3].tolist() == [date(2024, 3, 6), date(2024, 3, 12), date(2024, 3, 12)]
    assert np.isnat(got[3])
    with_holiday = add_business_days(days[:1], 2, holidays=[date(2024, 3, 5)])
    assert with_holiday.tolist() == [date(2024, 3, 7)]


def next_for(run, discharge, visited=False, meds=0.0, social=False):
    due = action_due_dates(
        run, np.array([discharge or "NaT"], dtype=D), np.array([visited]), np.array([meds]),
        np.array([social]),
    )  # fmt: skip
    action, when, others = choose_next(due)
    return action[0], when[0].astype(object), others[0]


def test_fresh_discharge_calls_first_then_books_the_visit():
    assert next_for(date(2024, 3, 5), "2024-03-04") == (OUTREACH, date(2024, 3, 6), VISIT)
    # outreach window closed (after Wed): the follow-up visit by day 7 is next
    assert next_for(date(2024, 3, 7), "2024-03-04") == (VISIT, date(2024, 3, 11), "")


def test_visit_done_or_old_discharge_needs_no_transition_action():
    assert next_for(date(2024, 3, 7), "2024-03-04", visited=True)[0] == CHECK_IN
    assert next_for(date(2024, 5, 1), "2024-03-04")[0] == CHECK_IN


def test_polypharmacy_and_social_needs():
    action, when, others = next_for(date(2024, 3, 5), "2024-03-04", meds=12, social=True)
    assert action == OUTREACH
    assert others == f"{VISIT}; {MED_REC}; {REFERRAL}"
    action, when, _ = next_for(date(2024, 3, 6), None, meds=3, social=True)
    assert (action, when) == (REFERRAL, date(2024, 3, 13))
    assert next_for(date(2024, 3, 6), None, meds=10)[0] == MED_REC
    assert next_for(date(2024, 3, 6), None, meds=9)[0] == CHECK_IN


def test_a_visit_due_on_a_weekend_is_due_the_friday_before():
    # discharged Sun 22 Dec 2024: day 7 is Sun 29 Dec, so the visit is due Fri 27 Dec
    action, when, _ = next_for(date(2024, 12, 26), "2024-12-22")
    assert (action, when) == (VISIT, date(2024, 12, 27))

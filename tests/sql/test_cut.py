"""The leak-free cut: int_cut_* views never show anything known after a spine row's cutoff date."""

import pytest

from tests.sql.conftest import (
    CUT_VIEWS,
    build_clinical,
    d,
    inpatient_encounter,
    load_raw,
    member,
    new_warehouse,
    rows,
    stay_claim,
)

WINDOW = {
    "data_end_date": "2021-12-31",
    "first_month_start": "2021-02-01",
    "last_month_start": "2021-12-01",
}


def events(person: str, day: str, tag: str) -> dict[str, list[dict]]:
    """One event of every kind for `person` on `day` (ids carry `tag`)."""
    return {
        "medical_claim": [
            {
                "claim_id": f"{tag}_prof",
                "claim_line_number": 1,
                "claim_type": "professional",
                "person_id": person,
                "claim_start_date": day,
                "claim_end_date": day,
                "place_of_service_code": "11",
                "hcpcs_code": "99213",
                "diagnosis_code_1": "E119",
                "paid_amount": 80.0,
                "allowed_amount": 100.0,
            },
            {
                "claim_id": f"{tag}_ed",
                "claim_line_number": 1,
                "claim_type": "professional",
                "person_id": person,
                "claim_start_date": day,
                "claim_end_date": day,
                "place_of_service_code": "23",
                "diagnosis_code_1": "R079",
                "paid_amount": 100.0,
            },
        ],
        "pharmacy_claim": [
            {
                "claim_id": f"{tag}_rx",
                "claim_line_number": 1,
                "person_id": person,
                "dispensing_date": day,
                "ndc_code": "00093505601",
                "days_supply": 30,
                "paid_amount": 9.0,
            }
        ],
        "medication": [
            {
                "person_id": person,
                "medication_id": f"{tag}_med",
                "prescribing_date": day,
                "rxnorm_code": "197361",
            }
        ],
        "condition": [
            {
                "person_id": person,
                "encounter_id": f"{tag}_enc",
                "recorded_date": day,
                "source_code_type": "icd-10-cm",
                "source_code": "I10",
                "condition_rank": 1,
            }
        ],
        "procedure": [
            {
                "person_id": person,
                "encounter_id": f"{tag}_enc",
                "procedure_date": day,
                "source_code_type": "cpt",
                "source_code": "93000",
            }
        ],
        "lab_result": [
            {
                "person_id": person,
                "lab_result_id": f"{tag}_lab",
                "encounter_id": f"{tag}_enc",
                "source_component_code": "2951-2",
                "result": "131",
                "result_datetime": f"{day} 08:00:00",
            }
        ],
        "observation": [
            {
                "person_id": person,
                "observation_id": f"{tag}_obs",
                "observation_date": day,
                "normalized_code": "71802-3",
                "result": "LA31993-1",
            }
        ],
        "encounter": [
            inpatient_encounter(f"{tag}_enc", person, day, day, encounter_type="office visit")
        ],
    }


def load_events(con, table_rows: dict[str, list[dict]]) -> None:
    for table, batch in table_rows.items():
        load_raw(con, table, batch)


def base_extract(con) -> None:
    load_raw(
        con, "eligibility", [member("p1", start="2020-01-01"), member("p2", start="2020-01-01")]
    )
    load_raw(
        con,
        "medical_claim",
        [
            stay_claim("s1", "p1", "2021-01-01", "2021-01-05"),
            stay_claim("s2", "p1", "2021-03-25", "2021-04-03", dx="J189"),
            stay_claim("s3", "p1", "2021-06-01", "2021-06-04"),
            stay_claim("s4", "p2", "2021-09-01", "2021-09-03"),
        ],
    )
    for month in ("01-20", "03-10", "05-05", "08-20", "10-10"):
        load_events(con, events("p1", f"2021-{month}", f"p1_{month}"))
        load_events(con, events("p2", f"2021-{month}", f"p2_{month}"))


def snapshot(con) -> dict[str, dict[str, list]]:
    """Every cut view's rows per spine row (sorted, as text)."""
    out: dict[str, dict[str, list]] = {}
    for view in CUT_VIEWS:
        per_row: dict[str, list] = {}
        for row in con.execute(f"select * from {view}").fetchall():
            per_row.setdefault(row[0], []).append(tuple(str(v) for v in row))
        out[view] = {k: sorted(v) for k, v in per_row.items()}
    return out


@pytest.fixture(scope="module")
def appended(reference_db):
    """(spine before, cut before, cut after) around appending events dated 2021-07-15."""
    con = new_warehouse(reference_db)
    base_extract(con)
    build_clinical(con, **WINDOW)
    spine = rows(con, "select spine_id, cutoff_date from mart_prediction_spine")
    before = snapshot(con)
    for person in ("p1", "p2"):
        load_events(con, events(person, "2021-07-15", f"{person}_late"))
        load_raw(
            con,
            "medical_claim",
            [stay_claim(f"{person}_late_stay", person, "2021-07-15", "2021-07-18")],
        )
    build_clinical(con, **WINDOW)
    after = snapshot(con)
    con.close()
    return spine, before, after


def test_appending_later_events_changes_no_earlier_cut(appended):
    spine, before, after = appended
    early = [r["spine_id"] for r in spine if r["cutoff_date"] < d("2021-07-15")]
    assert len(early) > 5
    for view in CUT_VIEWS:
        for spine_id in early:
            assert before[view].get(spine_id) == after[view].get(spine_id), (view, spine_id)


def test_appended_events_do_reach_later_spine_rows(appended):
    spine, before, after = appended
    late = [r["spine_id"] for r in spine if r["cutoff_date"] >= d("2021-07-18")]
    assert late
    for view in (
        "int_cut_diagnoses",
        "int_cut_labs",
        "int_cut_medications",
        "int_cut_stays",
        "int_cut_ed_visits",
        "int_cut_observations",
        "int_cut_procedures",
        "int_cut_claim_lines",
    ):
        grew = [s for s in late if len(after[view].get(s, [])) > len(before[view].get(s, []))]
        assert grew, view


@pytest.fixture(scope="module")
def built(reference_db):
    con = new_warehouse(reference_db)
    base_extract(con)
    # p3: discharged Jan 5, ED visit on the discharge day, readmitted Jan 6 from that ED visit.
    load_raw(con, "eligibility", [member("p3", start="2020-01-01", death="2021-09-10")])
    load_raw(
        con,
        "medical_claim",
        [
            stay_claim("p3_s1", "p3", "2021-01-01", "2021-01-05"),
            {
                "claim_id": "p3_ed",
                "claim_line_number": 1,
                "claim_type": "professional",
                "person_id": "p3",
                "claim_start_date": "2021-01-05",
                "claim_end_date": "2021-01-05",
                "place_of_service_code": "23",
            },
            stay_claim("p3_s2", "p3", "2021-01-06", "2021-01-09"),
        ],
    )
    load_raw(con, "encounter", [inpatient_encounter("p3_e3", "p3", "2021-03-28", "2021-04-04")])
    build_clinical(con, **WINDOW)
    yield con
    con.close()


def spine_id(con, task: str, person: str, as_of: str) -> str:
    sql = (
        "select spine_id from mart_prediction_spine "
        "where task = ? and person_id = ? and as_of_date = ?"
    )
    return con.execute(sql, [task, person, as_of]).fetchone()[0]


def test_a_claims_only_stay_under_way_at_the_cutoff_is_not_known_yet(built):
    # p1's Mar 25 - Apr 3 stay has only a claim, which arrives after discharge.
    april = spine_id(built, "admission_90d", "p1", "2021-04-01")
    stays = rows(built, "select admission_date from int_cut_stays where spine_id = ?", [april])
    assert [s["admission_date"] for s in stays] == [d("2021-01-01")]
    codes = rows(built, "select diagnosis_code from int_cut_diagnoses where spine_id = ?", [april])
    assert "J189" not in {c["diagnosis_code"] for c in codes}


def test_an_ehr_stay_under_way_at_the_cutoff_shows_only_its_admission(built):
    # p3's EHR encounter Mar 28 - Apr 4 is under way on Mar 31 (the April row's cutoff).
    april = spine_id(built, "admission_90d", "p3", "2021-04-01")
    (stay,) = rows(
        built,
        "select * from int_cut_stays where spine_id = ? and admission_date = '2021-03-28'",
        [april],
    )
    assert stay["is_ongoing"] is True and stay["source"] == "ehr"
    assert stay["discharge_date"] is None and stay["principal_diagnosis_code"] is None
    assert stay["length_of_stay"] is None and stay["is_planned"] is None


def test_the_index_stay_itself_is_complete_in_its_own_cut(built):
    row = spine_id(built, "readmission_30d", "p1", "2021-01-05")
    (stay,) = rows(built, "select * from int_cut_stays where spine_id = ?", [row])
    assert stay["is_ongoing"] is False and stay["discharge_date"] == d("2021-01-05")
    assert stay["principal_diagnosis_code"] == "I509"


def test_an_ed_visit_on_the_discharge_day_does_not_reveal_the_next_days_readmission(built):
    row = spine_id(built, "readmission_30d", "p3", "2021-01-05")
    visits = rows(built, "select * from int_cut_ed_visits where spine_id = ?", [row])
    assert [(v["visit_date"], v["led_to_admission"], v["stay_id"]) for v in visits] == [
        (d("2021-01-05"), False, None)
    ]
    # With the full data the visit is counted with the readmission.
    assert (
        built.execute(
            "select stay_id is not null from int_ed_visits where person_id = 'p3'"
        ).fetchone()[0]
        is True
    )


def test_a_later_death_is_hidden(built):
    july = spine_id(built, "admission_90d", "p3", "2021-07-01")
    (person,) = rows(built, "select * from int_cut_persons where spine_id = ?", [july])
    assert person["death_date"] is None and person["age_at_as_of"] == 71


@pytest.mark.parametrize("view", CUT_VIEWS)
def test_every_cut_view_carries_the_spine_key_first(built, view):
    cols = [c[0] for c in built.execute(f"select * from {view} limit 0").description]
    assert cols[:5] == ["spine_id", "task", "person_id", "as_of_date", "cutoff_date"]

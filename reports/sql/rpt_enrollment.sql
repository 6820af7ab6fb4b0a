-- grain: one row per person with eligibility spans: enrolled on the run date or not
-- A person with no eligibility rows at all (clinic-only drop) is not listed, so never disenrolled.
select
    person_id,
    bool_or(
        enrollment_start_date <= getvariable('run_date')
        and coalesce(enrollment_end_date, date '9999-12-31') >= getvariable('run_date')
    ) as enrolled
from raw_eligibility
group by person_id

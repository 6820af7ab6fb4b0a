-- grain: one row per person with eligibility spans: enrolled at the data end or not
-- A person with no eligibility rows at all (clinic-only drop) is not listed, so never disenrolled.
-- why: an extract holds data through the day before the run date and closes active spans there,
-- so a span reaching the day before the run date counts as enrolled.
select
    person_id,
    bool_or(
        enrollment_start_date < getvariable('run_date')
        and coalesce(enrollment_end_date, date '9999-12-31') >= getvariable('run_date') - 1
    ) as enrolled
from raw_eligibility
group by person_id

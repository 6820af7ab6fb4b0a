-- grain: one row per person scored in this run: social needs and clinical-complexity inputs
-- Flags come from each task's feature row at the as-of date it was scored on.
with scored as (
    select task, person_id, as_of_date
    from ml_scores
    where run_id = getvariable('run_id')
),

flags as (
    select * from rpt_feature_flags
)

select
    s.person_id,
    list_sort(list_distinct(flatten(list(coalesce(f.social_needs, []::varchar[]))))) as social_needs,
    max(f.medication_count) as medication_count,
    max(f.charlson_index) as charlson_index
from scored as s
left join flags as f
    on s.task = f.task and s.person_id = f.person_id and s.as_of_date = f.as_of_date
group by s.person_id

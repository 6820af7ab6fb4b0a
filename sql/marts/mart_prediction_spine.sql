-- grain: one row per prediction task, person and as-of date
-- why: DESIGN section 5. readmission_30d: one row per index stay as of its discharge date;
-- events known through the end of the discharge day (cutoff_date = discharge_date).
-- admission_90d: one row per enrolled member per month start; events known strictly before
-- the month start (cutoff_date = month_start - 1). Features read events only through the
-- int_cut_* views, which join here with event known dates <= cutoff_date.
-- Censored rows (follow-up incomplete) are scored, never trained on.
-- spine_id is a 64-bit hash of the key (stable across builds of the same rows): the feature
-- relations join and partition on it, much cheaper than a 32-character text key; a collision
-- (odds about 1 in 10^5 at 20 million rows) fails assert_mart_prediction_spine_unique_key.
with index_stays as (
    select * from mart_index_stays
),

admission_labels as (
    select * from int_admission_90d_labels
),

readmission_rows as (
    select
        'readmission_30d' as task,
        person_id,
        discharge_date as as_of_date,
        discharge_date as cutoff_date,
        stay_id,
        unplanned_readmit_30 as label,
        censored,
        censor_reason
    from index_stays
    where is_index
),

admission_rows as (
    select
        'admission_90d' as task,
        person_id,
        month_start as as_of_date,
        month_start - 1 as cutoff_date,
        null as stay_id,
        unplanned_admit_90 as label,
        censor_reason is not null as censored,
        censor_reason
    from admission_labels
),

spine as (
    select * from readmission_rows
    union all
    select * from admission_rows
),

final as (
    select
        hash(task, person_id, as_of_date) as spine_id,
        task,
        person_id,
        as_of_date,
        cutoff_date,
        stay_id,
        label,
        censored,
        censor_reason
    from spine
)

select * from final

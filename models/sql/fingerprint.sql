-- grain: one row: order-independent content hashes of a task's feature matrix and its labels
-- hash() of each whole row, summed as hugeint so duplicated rows do not cancel out.
with features as (
    select
        count(*) as feature_rows,
        sum(cast(hash(f) as hugeint)) as features_hash
    from query_table(getvariable('features_table')) as f
),

labels as (
    select sum(cast(hash(person_id, as_of_date, label, censored) as hugeint)) as labels_hash
    from mart_prediction_spine
    where task = getvariable('task')
)

select
    features.feature_rows,
    cast(features.features_hash as varchar) as features_hash,
    cast(labels.labels_hash as varchar) as labels_hash
from features, labels

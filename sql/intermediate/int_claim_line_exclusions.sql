-- grain: one row per delivered medical claim row that is not a current, live claim line
-- why: claim versions (decided in issue 4, the generator's convention): a line re-delivered with
-- a later paid_date is an adjustment and supersedes earlier versions (ties: the later extract,
-- then the later row); exact duplicates collapse to one; a current version with a negative paid
-- or allowed amount is a reversal and voids the line; a claim with reversed lines and no live
-- amount left is dropped whole. Only lines with several versions or claims with a reversal are
-- examined, so this list stays small.
with lines as (
    select
        _row_key, claim_id, claim_line_number, paid_date, paid_amount, allowed_amount,
        _extract_date, _row_number
    from stg_medical_claim
),

repeated_keys as (
    select claim_id, claim_line_number
    from lines
    group by claim_id, claim_line_number
    having count(*) > 1
),

reversed_claims as (
    select distinct claim_id from lines where paid_amount < 0 or allowed_amount < 0
),

candidates as (
    select l.*
    from lines as l
    semi join repeated_keys as k
        on l.claim_id = k.claim_id and l.claim_line_number = k.claim_line_number
    union
    select l.*
    from lines as l
    semi join reversed_claims as r on l.claim_id = r.claim_id
),

examined as (
    select
        l._row_key,
        l.claim_id,
        l.paid_amount,
        l.allowed_amount,
        coalesce(l.paid_amount < 0 or l.allowed_amount < 0, false) as is_reversal,
        row_number() over (
            partition by l.claim_id, l.claim_line_number
            order by l.paid_date desc nulls last, l._extract_date desc nulls last,
                l._row_number desc nulls last, l._row_key desc
        ) as version_rank
    from candidates as l
),

dropped_claims as (
    select claim_id
    from examined
    where version_rank = 1
    group by claim_id
    having bool_or(is_reversal)
        and not bool_or(not is_reversal and coalesce(paid_amount, allowed_amount) is not null)
),

final as (
    select
        e._row_key,
        e.claim_id,
        case
            when e.version_rank > 1 then 'superseded'
            when e.is_reversal then 'reversal'
            else 'claim_reversed'
        end as reason
    from examined as e
    where e.version_rank > 1
        or e.is_reversal
        or e.claim_id in (select claim_id from dropped_claims)
)

select * from final

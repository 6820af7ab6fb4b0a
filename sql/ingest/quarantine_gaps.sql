-- grain: one row per distinct count of kept rows before a quarantined row (kept_before), with the
-- number of quarantined rows up to there (skipped): the kept row k (from 1) has data row number
-- k + skipped of the last gap whose kept_before is below k (number_rows_gaps.sql)
create or replace temp table __quarantine_gaps as
select kept_before, max(skipped) as skipped
from (
    select
        __row - row_number() over (order by __row) as kept_before,
        row_number() over (order by __row) as skipped
    from __quarantined
)
group by kept_before

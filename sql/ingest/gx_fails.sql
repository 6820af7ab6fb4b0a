-- grain: one row per (row, rule) failure Great Expectations reported, with the row's line number
insert into __fails
select f.__row, s.__line, f.rule_id
from __gx_fails as f
inner join __scan as s on f.__row = s.__row

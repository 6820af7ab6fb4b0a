-- grain: one row per source row that breaks at least one error-level rule
create or replace temp table __quarantined as
select distinct f.__row, f.__line
from __fails as f
inner join __rules as r on f.rule_id = r.rule_id
where r.severity = 'error';

-- grain: one row per rule with at least one failing row
create or replace temp table __findings as
select r.rule_id, r.name, r.column_name, r.severity, count(distinct f.__row) as rows
from __fails as f
inner join __rules as r on f.rule_id = r.rule_id
group by all
order by rows desc, r.rule_id

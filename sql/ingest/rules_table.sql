-- grain: one row per rule applied to the source being checked (rule_id = position)
create or replace temp table __rules as
select rule_id, name, kind, column_name, severity from __rules_in

-- grain: one row per (row, rule) failure found in the source being checked
create or replace temp table __fails (__row bigint, __line bigint, rule_id integer)

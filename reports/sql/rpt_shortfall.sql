-- grain: one row per role group of this run: unassigned patients, points and case managers short
select role_group, patients, tier_1, tier_2, points_short, average_capacity, case_managers_needed
from caseload_shortfall
where run_id = getvariable('run_id')

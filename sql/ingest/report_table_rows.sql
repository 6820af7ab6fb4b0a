-- rows of one raw table loaded by the run, and in the warehouse altogether
select count(*) filter (where _run_id = $run_id) as run_rows, count(*) as warehouse_rows
from ${table}

-- position-weighted checksum of one text column over this load's rows (see order_check_scan.sql)
select sum((hash(s.${col}) % 1000003)::hugeint * s._row_number)
from ${table} as s
where s._source_file = getvariable('readmit_label')
    and s._checksum = getvariable('readmit_checksum')
    and s._run_id = getvariable('readmit_run_id')

-- rule kind not_negative_unless_reversal: negative amounts on lines of this load with no earlier
-- version (an earlier paid_date of the same claim line, from this or an earlier file)
select count(*)
from ${raw_table} as s
where s._source_file = getvariable('readmit_label')
    and s._checksum = getvariable('readmit_checksum')
    and s._run_id = getvariable('readmit_run_id')
    and s.${amount} < 0
    and not exists (
        select 1
        from ${raw_table} as p
        where ${same_line} and p.${order_by} < s.${order_by}
    )

-- rule kind duplicate_row: second and later exact copies of a row (staging keeps one)
select count(*)
from (
    select row_number() over (partition by key_hash, content order by line) as copy_number
    from __key_groups
)
where copy_number > 1

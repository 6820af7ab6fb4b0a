-- rule kind unique_key: every row of a key that arrives with differing contents (which version is
-- right cannot be told); exact copies are the duplicate_row warning instead
create or replace temp table __key_conflicts as
select rid, line
from (
    select rid, line, min(content) over by_key as lowest, max(content) over by_key as highest
    from __key_groups
    window by_key as (partition by key_hash)
)
where lowest <> highest

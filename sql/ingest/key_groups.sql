-- grain: one row per row of this load whose key occurs more than once in it, with a hash of
-- every column it delivered (only these rows are hashed)
create or replace temp table __key_groups as
with repeated as (
    select key_hash from __load_rows where key_hash is not null group by key_hash having count(*) > 1
)

select l.rid, l.line, l.key_hash, hash(${columns}) as content
from ${raw_table} as r
inner join __load_rows as l on r.rowid = l.rid
where l.key_hash in (select key_hash from repeated)

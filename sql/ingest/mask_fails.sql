-- grain: one row per failing (row, rule), decoded from one 64-bit failure mask of __scan
insert into __fails
select __row, __line, ${offset} + bit_index::integer
from (select __row, __line, ${mask} as mask from __scan where ${mask} <> 0) as failing,
    range(64) as bits(bit_index)
where (mask >> bit_index::ubigint) & 1::ubigint = 1::ubigint

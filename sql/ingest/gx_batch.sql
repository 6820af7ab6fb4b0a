-- grain: one row per source row; the columns Great Expectations checks, as text and typed copies
select
    __row,
    ${columns}
from __src

-- position-weighted checksum of the same text column as the rule scan saw it, over the rows the
-- load kept: equal sums mean the scan and the load numbered the rows alike
select sum((__check % 1000003)::hugeint * __row)
from __scan
where __row not in (select q.__row from __quarantined as q)

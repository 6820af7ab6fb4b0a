-- position-weighted checksum of the same text column as the rule scan saw it: equal sums mean the
-- scan and the load numbered the rows alike
select sum((__check % 1000003)::hugeint * __row)
from __scan

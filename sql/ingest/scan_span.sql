-- the row ids the rule scan's rows received (one contiguous span, in file order)
select min(rowid), max(rowid), count(*)
from __scan_masks

-- one audit row: a run, who ran it, and one file it read or wrote (checksums, never contents)
insert into audit_log
values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)

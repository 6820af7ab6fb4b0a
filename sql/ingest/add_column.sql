-- keep a column the file carries beyond its contract, as text
alter table ${table} add column if not exists ${col} varchar

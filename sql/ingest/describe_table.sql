-- the columns of a table, in order
select column_name from (describe ${table})

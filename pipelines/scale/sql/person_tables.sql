-- grain: one row per loaded table: whether its rows belong to persons (hold a person_id column)
select
    t.table_name,
    bool_or(c.column_name = 'person_id') as per_person
from duckdb_tables() as t
inner join duckdb_columns() as c using (schema_name, table_name)
where t.schema_name = 'main'
    and (t.table_name like 'raw\_%' escape '\' or t.table_name like 'ref\_%' escape '\')
group by t.table_name
order by t.table_name

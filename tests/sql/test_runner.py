"""The SQL runner: file rules, dependency order, subsets, variables, transactions."""

from datetime import date
from pathlib import Path

import duckdb
import pytest

from sql.catalog import SQL_DIR, SqlFileError, discover, tables_read
from sql.runner import BuildError, build, pass_bounds, plan, run_assertions, set_pass


def write(root: Path, folder: str, name: str, body: str, grain: str = "one row per thing") -> None:
    path = root / folder / f"{name}.sql"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"-- grain: {grain}\n{body}\n" if grain else f"{body}\n")


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A tiny SQL tree: raw_x -> stg_x (view) -> int_y (table) -> mart_z; int_other apart."""
    write(tmp_path, "staging", "stg_x", "select a from raw_x")
    write(
        tmp_path,
        "intermediate",
        "int_y",
        "with x as (select * from stg_x) select a + 1 as b from x",
    )
    write(tmp_path, "marts", "mart_z", "select b * 10 as c from int_y")
    write(tmp_path, "intermediate", "int_other", "select 1 as one")
    return tmp_path


@pytest.fixture
def mem() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create table raw_x as select 1 as a")
    return con


def test_every_relation_is_built_after_everything_it_reads():
    relations = discover()
    order = plan(relations)
    position = {name: i for i, name in enumerate(order)}
    assert set(order) == set(relations)
    for name, rel in relations.items():
        for upstream in rel.reads & relations.keys():
            assert position[upstream] < position[name], (upstream, name)


def test_every_sql_file_starts_with_its_grain_line():
    layers = ("staging", "intermediate", "marts", "features", "tests", "reference")
    files = [p for layer in layers for p in (SQL_DIR / layer).rglob("*.sql")]
    assert len(files) > 40 and any(p.parent.name == "tests" for p in files)
    for path in files:
        assert path.read_text().startswith("-- grain: one row per "), path


def test_dependencies_come_from_the_parse_tree_not_from_ctes_or_functions():
    sql = (
        "with a as (select * from raw_x), b as (select * from a join ref_y using (k)) "
        "select *, getvariable('v') from b unpivot (v for n in (columns('c_\\d+'))) "
        "where exists (select 1 from stg_z)"
    )
    assert tables_read(sql) == {"raw_x", "ref_y", "stg_z"}


def test_prefix_decides_views_and_tables(tiny, mem):
    result = build(mem, root=tiny)
    kinds = dict(
        mem.execute("select table_name, table_type from information_schema.tables").fetchall()
    )
    assert (
        kinds["stg_x"] == "VIEW"
        and kinds["int_y"] == "BASE TABLE"
        and kinds["mart_z"] == "BASE TABLE"
    )
    assert mem.execute("select c from mart_z").fetchall() == [(20,)]
    assert result.rows["mart_z"] == 1 and result.rows["stg_x"] is None
    assert (
        result.relations.index("stg_x")
        < result.relations.index("int_y")
        < result.relations.index("mart_z")
    )


def test_a_target_builds_with_its_upstream_only(tiny, mem):
    result = build(mem, targets=["int_y"], root=tiny)
    assert sorted(result.relations) == ["int_y", "stg_x"]
    with pytest.raises(SqlFileError, match="unknown target"):
        build(mem, targets=["mart_nope"], root=tiny)


def test_a_file_without_its_grain_line_is_refused(tiny, mem):
    write(tiny, "marts", "mart_bad", "select 1 as x", grain="")
    with pytest.raises(SqlFileError, match="grain: one row per"):
        build(mem, root=tiny)


def test_a_prefix_in_the_wrong_folder_is_refused(tiny, mem):
    write(tiny, "staging", "mart_misplaced", "select 1 as x")
    with pytest.raises(SqlFileError, match="belongs in sql/marts"):
        build(mem, root=tiny)


def test_reading_an_undefined_relation_is_refused_with_the_file_named(tiny, mem):
    write(tiny, "marts", "mart_typo", "select * from int_yy")
    with pytest.raises(SqlFileError, match="mart_typo.sql: reads int_yy"):
        build(mem, root=tiny)


def test_a_cycle_is_refused(tiny, mem):
    write(tiny, "intermediate", "int_p", "select * from int_q")
    write(tiny, "intermediate", "int_q", "select * from int_p")
    with pytest.raises(SqlFileError, match="cycle"):
        build(mem, root=tiny)


def test_variables_reach_the_sql_and_unset_ones_read_null(tmp_path, mem):
    write(tmp_path, "intermediate", "int_vars", "select getvariable('data_end_date') as d")
    build(mem, variables={"data_end_date": "2021-06-30"}, root=tmp_path)
    assert mem.execute("select d from int_vars").fetchone()[0] == date(2021, 6, 30)
    build(mem, root=tmp_path)
    assert mem.execute("select d from int_vars").fetchone()[0] is None
    with pytest.raises(ValueError, match="unknown build variable"):
        build(mem, variables={"data_end": "2021-06-30"}, root=tmp_path)


@pytest.mark.parametrize("passes", [1, 2, 3, 5, 7])
def test_the_passes_split_the_hash_values_into_ranges_without_gap_or_overlap(passes):
    bounds = [pass_bounds(k, passes) for k in range(passes)]
    assert bounds[0][0] == 0 and bounds[-1][1] == 2**64 - 1
    assert all(bounds[k][1] + 1 == bounds[k + 1][0] for k in range(passes - 1))
    with pytest.raises(ValueError, match="a pass is 0 to"):
        pass_bounds(passes, passes)


def test_each_person_falls_in_exactly_one_pass(mem):
    mem.execute("create table persons as select 'p' || i as person_id from range(1000) as r(i)")
    share = (
        "select count(*) from persons where getvariable('person_hash_to') is null or "
        "hash(person_id) between getvariable('person_hash_from') and getvariable('person_hash_to')"
    )
    counts = []
    for k in range(3):
        set_pass(mem, k, 3)
        counts.append(mem.execute(share).fetchone()[0])
    assert sum(counts) == 1000
    assert all(250 < c < 420 for c in counts)


def test_a_failed_build_leaves_the_previous_relations_in_place(tiny, mem):
    build(mem, root=tiny)
    write(tiny, "marts", "mart_z", "select b * 100 as c from int_y")
    write(tiny, "marts", "mart_broken", "select no_such_column from mart_z")
    with pytest.raises(BuildError, match="mart_broken"):
        build(mem, root=tiny)
    assert mem.execute("select c from mart_z").fetchall() == [(20,)]
    assert (
        mem.execute(
            "select count(*) from duckdb_tables() where table_name = 'mart_broken'"
        ).fetchone()[0]
        == 0
    )


def test_a_stale_table_under_a_view_name_is_replaced(tiny, mem):
    mem.execute("create table stg_x as select 99 as a")
    build(mem, root=tiny)
    assert mem.execute("select a from stg_x").fetchall() == [(1,)]


def test_progress_reports_each_relation(tiny, mem):
    seen: list[tuple[str, int, int]] = []
    build(mem, root=tiny, progress=lambda name, done, total: seen.append((name, done, total)))
    assert [s[0] for s in seen[:-1]] and seen[-1] == ("done", 4, 4)


def test_run_assertions_returns_each_assertion_with_its_offending_rows(tiny, mem):
    build(mem, root=tiny)
    write(tiny, "tests", "assert_mart_z_small", "select c from mart_z where c > 5", grain="")
    write(tiny, "tests", "assert_int_y_positive", "select b from int_y where b <= 0", grain="")
    results = dict(run_assertions(mem, root=tiny))
    assert results == {"assert_int_y_positive": [], "assert_mart_z_small": [(20,)]}

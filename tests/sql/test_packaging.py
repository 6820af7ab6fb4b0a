"""A non-editable install ships every SQL and CSV file the runner and loaders read."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

from setuptools import find_namespace_packages, find_packages

ROOT = Path(__file__).resolve().parents[2]


def test_every_sql_and_csv_folder_is_a_package_with_its_files_as_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    find = config["packages"]["find"]
    # pyproject's packages.find discovers folders without __init__.py (namespaces) by default
    finder = find_namespace_packages if find.get("namespaces", True) else find_packages
    packages = set(finder(where=str(ROOT), include=find["include"]))
    patterns = config["package-data"]["*"]
    files = [p for p in (ROOT / "sql").rglob("*") if p.suffix in (".sql", ".csv")]
    assert len(files) > 150
    missing = [
        str(p.relative_to(ROOT))
        for p in files
        if ".".join(p.parent.relative_to(ROOT).parts) not in packages
        or not any(fnmatch.fnmatch(p.name, pattern) for pattern in patterns)
    ]
    assert missing == []

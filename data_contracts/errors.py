"""The error a broken extract raises: it names the file, the column, the rule and what to do."""

from __future__ import annotations


class ContractError(Exception):
    """An extract breaks its contract badly enough to stop the run (CLI exit code 2)."""

    def __init__(
        self, file: str, rule: str, message: str, column: str | None = None, action: str = ""
    ):
        self.file = file
        self.column = column
        self.rule = rule
        self.action = action
        where = f"{file}" + (f", column {column!r}" if column else "")
        text = f"{where}: {message} (rule: {rule})."
        if action:
            text += f" {action}"
        super().__init__(text)

"""Errors the command line turns into a one-paragraph message and an exit code."""

from __future__ import annotations


class ReadmitError(Exception):
    """A failure with a message written for the person running the command (exit code 1)."""

"""The command line: help a newcomer can follow, one paragraph on failure, exit codes."""

from typer.testing import CliRunner

from pipelines.cli import COMMANDS, app

runner = CliRunner()


def test_help_lists_every_command_with_a_description():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for _module, _func, name in COMMANDS:
        assert name in result.output
    assert "readmit demo" in result.output


def test_every_command_has_help_and_a_workspace_or_output_option():
    for _module, _func, name in COMMANDS:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, result.output
        assert "--workspace" in result.output or "--out" in result.output, name

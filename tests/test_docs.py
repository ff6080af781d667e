"""Docs that cannot drift: every setting is in the README's settings table, and the command
table and --help blocks are generated from the CLI."""

from conftest import ROOT

from bot.config import ENV_PREFIX, Settings


def test_every_setting_is_documented():
    readme = (ROOT / "README.md").read_text()
    for name, field in Settings.model_fields.items():
        assert f"| {name} |" in readme, name
        assert f"`{ENV_PREFIX}{name.upper()}`" in readme, name
        shown = "(none)" if field.default in (None, ()) else field.default
        assert f"`{shown}`" in readme, name


def test_cli_reference_is_current():
    """The README's command table and --help blocks are what cog generates from bot/cli.py now
    (`make docs-cli` rewrites them)."""
    from cogapp import Cog

    assert Cog().main(["cog", "--check", "--diff", str(ROOT / "README.md")]) == 0

"""Template environments are shared within a process: rendering a Word document (docxtpl turns autoescape on
for the environment it is given) never changes how a Markdown document renders afterwards."""

from __future__ import annotations

from pathlib import Path

from parcli.render import make_environment, template_search_path


def test_a_word_render_leaves_the_shared_environment_as_it_was(full_returns: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from parcli.cli import app

    runner = CliRunner()
    consolidated = tmp_path / "tong-hop.xlsx"
    assert runner.invoke(app, ["merge", str(full_returns), "-o", str(consolidated)]).exit_code == 0
    env = make_environment(template_search_path(), html=False)
    assert env.autoescape is False
    assert runner.invoke(app, ["report", str(consolidated), "-o", str(tmp_path / "a.docx")]).exit_code == 0
    assert make_environment(template_search_path(), html=False).autoescape is False
    assert env.from_string("{{ x }}").render(x="a & b") == "a & b"

"""The command line called in-process (``site_builder.cli.main``): init, build, a second build, new.
tests/system/test_cli.py runs the console script in a real subprocess."""

from site_builder.cli import main


def test_init_then_build_then_new(tmp_path, capsys):
    site = tmp_path / "mysite"
    assert main(["init", str(site), "-q"]) == 0
    assert {p.name for p in site.iterdir()} >= {"site.toml", "content", "templates", "static"}
    assert main(["build", "--site", str(site)]) == 0
    out = capsys.readouterr().out
    assert "1 articles" in out and "written" in out
    assert (site / "output/index.html").exists()
    assert main(["build", "--site", str(site)]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert main(["new", "Mayor opens the bridge", "--site", str(site)]) == 0
    created = site / "content/mayor-opens-the-bridge.md"
    assert "title: Mayor opens the bridge" in created.read_text()
    assert main(["new", "Mayor opens the bridge", "--site", str(site)]) == 1  # never overwrites
    assert main(["init", str(site)]) == 1

"""The command line where a new user first stumbles: commands run outside a site, ``new`` options."""

from __future__ import annotations

from site_builder.cli import main
from tests.helpers import SiteFixture


def test_build_in_an_empty_folder_says_how_to_start_a_site_and_writes_nothing(tmp_path, capsys):
    assert main(["build", "--site", str(tmp_path)]) == 1
    error = capsys.readouterr().err
    assert "no site.toml and no content folder" in error and "site-builder init" in error
    assert "Traceback" not in error
    assert list(tmp_path.iterdir()) == []  # no cache folder, no output


def test_new_outside_a_site_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "Council approves the bridge"]) == 1
    assert "no site.toml" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_new_with_date_and_tags_builds_with_them(tmp_path, capsys):
    site = tmp_path / "s"
    assert main(["init", str(site), "-q"]) == 0
    dated = ["--date", "2021-03-04", "--tags", "Council, Transport"]
    assert main(["new", "Bridge opens", "--site", str(site), *dated]) == 0
    assert main(["build", "--site", str(site), "--drafts", "-q"]) == 0
    page = (site / "output/articles/bridge-opens/index.html").read_text()
    assert 'datetime="2021-03-04' in page and "tags/transport/" in page
    assert main(["new", "Bridge closes", "--site", str(site), "--date", "soon"]) == 1
    assert "--date: expected an ISO 8601 date" in capsys.readouterr().err


def test_articles_dated_in_the_future_are_counted_in_the_summary(tmp_path, capsys):
    site = SiteFixture(tmp_path / "s")
    site.article("now", "Out now", "2020-01-01")
    site.article("later", "Out later", "2999-01-01")
    site.article("draft", "Draft later", "2999-01-01", draft="true")  # a draft: not counted as scheduled
    assert main(["build", "--site", str(site.root)]) == 0
    assert capsys.readouterr().out.startswith("1 articles, 1 scheduled (future date), ")
    assert main(["build", "--site", str(site.root)]) == 0  # nothing changed: still said
    out = capsys.readouterr().out
    assert "nothing changed" in out and "1 scheduled (future date)" in out
    assert main(["build", "--site", str(site.root), "--future"]) == 0
    assert capsys.readouterr().out.startswith("2 articles, ")
    report = site.build(drafts=True)
    assert (report.articles, report.scheduled) == (1, 2)
    assert "scheduled" not in SiteFixture(tmp_path / "t").build().summary()  # none: not mentioned


def test_verbose_build_prints_one_line_a_phase_and_quiet_nothing(tmp_path, capsys):
    site = SiteFixture(tmp_path / "s")
    for n in range(5):
        site.article(f"a{n}", f"Story {n}", f"2020-01-0{n + 1}")
    assert main(["build", "--site", str(site.root), "-v", "-j", "1"]) == 0
    err = capsys.readouterr().err.splitlines()
    phases = [line.split(":", 1)[0] for line in err if line.split(":", 1)[0] in PHASES]
    assert phases == list(PHASES), err
    assert "read: 5 content files, 5 to parse in " in err[0]
    assert any(line.startswith("parse: 5 articles in ") for line in err)
    plan = next(line for line in err if line.startswith("plan: "))
    pages = int(plan.split()[1])
    assert f"{pages} to render" in plan
    assert any(line.startswith(f"render: {pages} pages in ") for line in err)
    assert any(line.startswith("commit: ") and " files written, 0 removed in " in line for line in err)
    assert main(["build", "--site", str(site.root), "-v"]) == 0
    assert "read: 5 content files, nothing changed in " in capsys.readouterr().err
    site.article("a0", "Story zero", "2020-01-01")
    assert main(["build", "--site", str(site.root), "-q"]) == 0
    assert capsys.readouterr() == ("", "")


PHASES = ("read", "parse", "plan", "render", "commit")


def test_a_build_whose_stderr_is_no_terminal_prints_no_progress_unless_verbose(tmp_path, capsys):
    site = SiteFixture(tmp_path / "s")
    site.article("a", "A story", "2020-01-01")
    assert main(["build", "--site", str(site.root)]) == 0  # capsys: stderr is not a terminal
    out, err = capsys.readouterr()
    assert out.startswith("1 articles, ") and err == ""

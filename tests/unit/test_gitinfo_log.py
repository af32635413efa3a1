"""Reading ``git log`` output into file dates: renames followed, odd file names kept whole."""

from __future__ import annotations

import datetime as dt

from site_builder.sources import gitdates as gitinfo


def test_parse_log_handles_renames_and_odd_names():
    output = (
        "\x1e2020-01-02T00:00:00+00:00\0\nM\0a.md\0R087\0old name.md\0new\tname.md\0"
        "\x1e2020-01-01T00:00:00+00:00\0\nA\0a.md\0A\0old name.md\0"
    )
    changes = list(gitinfo.parse_log(output))
    assert [(c.status, c.path, c.old_path) for c in changes] == [
        ("M", "a.md", None),
        ("R087", "new\tname.md", "old name.md"),
        ("A", "a.md", None),
        ("A", "old name.md", None),
    ]
    dates = gitinfo.dates_from_log(changes)
    second = dt.datetime(2020, 1, 2, tzinfo=dt.UTC)
    assert dates["new\tname.md"] == gitinfo.FileDates(dt.datetime(2020, 1, 1, tzinfo=dt.UTC), second)

"""Tags that collapse into one slug on one article are said, not silent (issue 15, item 17)."""

from __future__ import annotations

import warnings

import pytest


def test_cpp_csharp_and_c_on_one_article_warn_with_the_file_and_line(site):
    site.article("langs", "Languages", tags="['C++', 'C#', C]")
    with pytest.warns(UserWarning) as caught:
        site.build(jobs=1)
    messages = [str(w.message) for w in caught if "tags/c/" in str(w.message)]
    assert messages == [
        "content/langs.md:4: field 'tags': 'C++', 'C#', 'C' all become the one tag tags/c/; give them "
        "names that differ in letters or digits (e.g. 'C plus plus') to keep them apart"
    ]
    assert (site.output / "tags/c/index.html").is_file()


def test_spelling_variants_of_one_tag_do_not_warn(site):
    site.article("brexit", "Brexit vote", tags="[Brexit, brexit, ' BREXIT ']")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        site.build(jobs=1)
    assert (site.output / "tags/brexit/index.html").is_file()

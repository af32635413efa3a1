"""memo() in templates: a macro's output rendered once per process, the same as calling the macro."""

from __future__ import annotations

import jinja2
from markupsafe import Markup

from site_builder.render.environment import FragmentMemo

MACROS = (
    "{% macro show(value, level=2) %}<h{{ level }}>{{ value }}</h{{ level }}>{% endmacro %}"
    "{% macro listed(items, level=2) %}{% for item in items %}{{ memo(show, item, level) }}{% endfor %}"
    "{% endmacro %}"
)


def environment(memo: FragmentMemo) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.DictLoader({"m.html": MACROS}), autoescape=True)
    env.globals["memo"] = memo
    return env


def test_memo_gives_what_the_macro_gives_and_renders_once():
    calls = []
    memo = FragmentMemo()
    env = environment(memo)
    module = env.get_template("m.html").module
    show = module.show

    def counting(*args):
        calls.append(args)
        return show(*args)

    items = ["<b>", Markup("<b>"), 1, True, 1.0, None, {"a": [1, "x"]}, "<b>", 1, True]
    assert [memo(counting, item) for item in items] == [show(item) for item in items]
    assert len(calls) == 7  # "<b>" and Markup("<b>"), 1 and True and 1.0 are different arguments
    assert memo(counting, "<b>") == Markup("<h2>&lt;b&gt;</h2>")
    assert str(module.listed(["<i>", "<i>"], 3)) == "<h3>&lt;i&gt;</h3><h3>&lt;i&gt;</h3>"


def test_unpicklable_arguments_are_rendered_each_time():
    memo = FragmentMemo()
    calls = []
    assert memo(lambda value: calls.append(value) or "x", lambda: None) == "x"
    assert memo(lambda value: calls.append(value) or "x", lambda: None) == "x"
    assert len(calls) == 2


def test_memo_is_bounded():
    memo = FragmentMemo(limit=3)
    for n in range(10):
        assert memo(str, n) == str(n)
    assert len(memo._fragments) <= 3

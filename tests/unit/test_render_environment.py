"""The theme's Jinja environment resolves ``a.b`` exactly as Jinja does."""

from __future__ import annotations

import jinja2
import pytest

from site_builder.render.environment import Environment

TEMPLATE = (
    "{{ d.title }}|{{ d.missing }}|{{ d.items is callable }}|{{ d.get('title') }}|{{ o.real }}|{{ d.x.y }}"
)


@pytest.mark.parametrize("undefined", [jinja2.Undefined, jinja2.ChainableUndefined])
def test_same_lookups_as_jinja(undefined):
    context = {"d": {"title": "<T>", "items": "not the method", "x": {"y": 1}}, "o": 3}
    ours = Environment(autoescape=True, undefined=undefined).from_string(TEMPLATE).render(context)
    jinjas = jinja2.Environment(autoescape=True, undefined=undefined).from_string(TEMPLATE).render(context)
    assert ours == jinjas == "&lt;T&gt;||True|&lt;T&gt;|3|1"


def test_strict_undefined_still_raises():
    template = Environment(undefined=jinja2.StrictUndefined).from_string("{{ d.missing }}")
    with pytest.raises(jinja2.UndefinedError, match="missing"):
        template.render(d={})


def test_calls_as_jinja_makes_them():
    """Plain functions are called directly; marked ones still get the context, StopIteration is undefined."""

    @jinja2.pass_context
    def page_title(context, suffix):
        return context["title"] + suffix

    def stop():
        raise StopIteration

    source = (
        "{{ shout('a') }}|{{ page_title('!') }}|{{ stop() }}|"
        "{% for x in [1, 2] %}{{ items.append(x) }}{% endfor %}{{ items }}|{{ join(['a', 'b']) }}"
    )
    context = {"shout": lambda s: s.upper(), "page_title": page_title, "stop": stop, "title": "T"}
    context["join"] = "-".join
    ours = Environment().from_string(source).render(dict(context, items=[]))
    jinjas = jinja2.Environment().from_string(source).render(dict(context, items=[]))
    assert ours == jinjas == "A|T!||NoneNone[1, 2]|a-b"

"""``{% fragment_cache "name" marks %}...{% endfragment_cache %}``: cache by a version key.

``marks`` is a tuple that changes whenever the fragment's content may change (e.g. the forum's
id, version and the viewer's flags); ``None`` renders without caching. CSRF tokens inside are
filled in per request (``musrenbang.caching.cached_fragment``).
"""

from django import template

from musrenbang.caching import CSRF_PLACEHOLDER, cached_fragment

register = template.Library()


class FragmentCacheNode(template.Node):
    def __init__(self, nodelist, name, marks):
        self.nodelist = nodelist
        self.name = name
        self.marks = marks

    def render(self, context) -> str:
        marks = self.marks.resolve(context)
        if marks is None:
            return self.nodelist.render(context)

        def render() -> str:
            with context.push(csrf_token=CSRF_PLACEHOLDER):
                return self.nodelist.render(context)

        name = self.name.resolve(context)
        return cached_fragment(context["request"], name, tuple(marks), render)


@register.tag("fragment_cache")
def fragment_cache(parser, token):
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError("fragment_cache membutuhkan nama dan kunci versi")
    nodelist = parser.parse(("endfragment_cache",))
    parser.delete_first_token()
    name, marks = parser.compile_filter(bits[1]), parser.compile_filter(bits[2])
    return FragmentCacheNode(nodelist, name, marks)

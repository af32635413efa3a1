"""Pelican settings of the benchmark archive.

Same URL layout, page size and feed size as site_builder's site.toml. Pelican has
no people taxonomy: people are written as the articles' `Authors:` header, which
gives person pages (paginated) and per-person Atom feeds without a plugin.
"""

SITENAME = "Benchmark archive"
SITEURL = "https://example.org"
PATH = "content"
THEME = "theme"
OUTPUT_PATH = "output"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%d %B %Y"

# Pelican's own content cache: the "rebuild" rows use it, as its users would.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
CHECK_MODIFIED_METHOD = "mtime"
CONTENT_CACHING_LAYER = "reader"

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight"},
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {},
        "markdown.extensions.smarty": {},
    },
    "output_format": "html5",
}

ARTICLE_URL = "articles/{slug}/"
ARTICLE_SAVE_AS = "articles/{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_SAVE_AS = "tags/index.html"
AUTHOR_URL = "people/{slug}/"
AUTHOR_SAVE_AS = "people/{slug}/index.html"
AUTHORS_SAVE_AS = "people/index.html"
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
ARCHIVES_SAVE_AS = "archive/index.html"
YEAR_ARCHIVE_SAVE_AS = "archive/{date:%Y}/index.html"
MONTH_ARCHIVE_SAVE_AS = "archive/{date:%Y}/{date:%m}/index.html"
PAGE_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "tags", "authors", "archives"]

DEFAULT_PAGINATION = 20
PAGINATED_TEMPLATES = {"index": None, "tag": None, "author": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

FEED_MAX_ITEMS = 20
RSS_FEED_SUMMARY_ONLY = True
FEED_ALL_ATOM = "feed.xml"
TAG_FEED_ATOM = "tags/{slug}/feed.xml"
AUTHOR_FEED_ATOM = "people/{slug}/feed.xml"
AUTHOR_FEED_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
STATIC_PATHS = []

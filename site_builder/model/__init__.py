"""The site's values: articles, people, pages and the site they group into. Pure data and pure functions; no
I/O, and nothing else of the package is imported here (errors aside).
"""

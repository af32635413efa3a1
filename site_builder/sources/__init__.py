"""Reading a site's content: discovering content files, front matter, Markdown, the prose fast path and git
dates.
"""

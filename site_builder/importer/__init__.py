"""Import: raw articles (text, HTML, Markdown) become content files with extracted metadata."""

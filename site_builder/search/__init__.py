"""The site's search index: documents, posting-list shards, filters and their incremental update."""

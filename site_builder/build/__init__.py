"""A build: content read, pages planned, rendered by workers and committed into output/ (state/ keeps what
the next build reuses; output/ stages, swaps and removes files).
"""

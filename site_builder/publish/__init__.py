"""Publishing: the link check of a built site and the git-based publish workflow."""

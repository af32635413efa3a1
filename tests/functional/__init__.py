"""Small sites built in a temporary folder, in-process, and their output compared."""

"""Everything a build keeps for the next one: the SQLite cache, the site-model snapshot and the long-running
process's memory.
"""

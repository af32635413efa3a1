"""The real thing: subprocesses, servers on loopback, a browser, git, the Nu checker, the corpora."""

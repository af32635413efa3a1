"""The test suite: ``unit/`` (pure parts), ``functional/`` (small sites built in-process), ``system/``
(subprocesses, servers, browser, git, corpora); shared helpers in ``helpers/``."""

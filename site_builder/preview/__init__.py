"""Live preview: rebuild on every change and show the result in a browser.

``session`` runs it (build once, watch, serve, inbox import); ``watcher`` turns file events into bursts
of changes; ``rebuild`` runs one build and reports it; ``server`` serves output/ over HTTP;
``livereload`` tells open pages to reload or show a failed build; ``inbox`` imports dropped articles.
"""

"""Live preview: the development server, the file watcher and the rebuild loop."""

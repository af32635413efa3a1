"""The default theme: Jinja2 templates shipped inside the package as ``site_builder.theme``."""

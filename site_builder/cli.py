def main():
    import importlib.resources
    print(list(importlib.resources.files("site_builder.theme").iterdir()))

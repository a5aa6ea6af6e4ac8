"""Pipeline: one topic from its files to its pages, the runners that do many at once, the cache and the site build."""

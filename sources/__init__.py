"""Where articles come from: local files and folders, web pages, feeds and sitemaps."""

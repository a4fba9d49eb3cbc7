"""Publish: turn generated pages into a site. Site generation (`sitegen`), the atomic build (`build`),
the MkDocs hook (`mkdocs_hooks`), the Content-Security-Policy (`csp`) and static chart images (`svg`)."""

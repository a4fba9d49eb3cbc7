"""Pages: what each page says. Page contexts (`contexts`), chart specifications (`charts`), the
escaping Jinja environment (`markup`) and `render.render`, which returns every generated page as text.
Independent of MkDocs."""

"""Pages: what each page says. The page registry (`registry`: which pages exist, their paths and nav),
typed page contexts (`contexts`), chart specifications (`charts`), the escaping Jinja environment
(`markup`) and `render.render`, which returns every generated page as text. Independent of MkDocs."""

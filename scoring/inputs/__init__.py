"""Inputs: read and check `data/` and `indices/` once, at the boundary.

The CSV schemas (`schema`), safe file reading (`files`), CSV, cell and text checks (`csvfile`, `cells`,
`text`), index definitions (`spec`, the frozen types; `definition`, the TOML parser) and
`load.load_project`, which returns a checked `Project` or raises a `ProjectError` listing every
problem. Nothing here imports from the layers above.
"""

"""Method: the pure maths that turns a loaded edition into results.

`normalise`, `aggregate`, `rank`, `posture` and `change` are small vectorised functions; `engine.run`
composes them into `Results`; `uncertainty` scores many variants of an edition at once (a Monte Carlo
over the assumptions its definition declares) for rank intervals and posture stability; `facts`
compares results with the figures the index authors published.
Nothing here touches the disk or imports from outputs, pages or publish.
"""

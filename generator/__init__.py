"""briefs: a static briefing-site generator for newsrooms.

Pipeline, one module per stage, data flowing one way:
load_yaml (files -> nodes with positions) -> validate (nodes -> model.Project)
-> render (model -> Markdown) -> build (Markdown -> site) ; cli drives it.
"""

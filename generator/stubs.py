"""YAML files an editor fills in: `briefs new`'s stub brief and story, and
the guide's blank brief, every key stubbed and explained by its field docs
(model.py), so the stub and the guide say what the format says."""
from __future__ import annotations

import json

import jinja2

from .page_language import TEMPLATES


def file_stub(template: str, schema: str, record, **values) -> str:
    """A YAML file an editor fills in (`briefs new`, the guide's blank
    brief): every key of `record` stubbed and explained by its field docs."""
    # YAML, not HTML: values go through |yaml_str, which quotes them for YAML.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True)
    env.filters["yaml_str"] = lambda value: json.dumps(str(value), ensure_ascii=False)
    docs = {name: field.doc for name, field in record.FIELDS.items()}
    return env.get_template(template).render(schema=schema, docs=docs, **values)


"""A build run inside another program (the preview, a newsroom's own tool,
one day a worker thread) leaves the process as it found it: no variable of
the environment set, even while it runs, and no logger changed after it."""
from __future__ import annotations

import gzip
import logging
import os
import re
from datetime import datetime, timezone

import mkdocs.commands.build

from generator.build import build_site, check_project, newest_epoch


def logger_state() -> dict:
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in sorted(logging.Logger.manager.loggerDict))]
    return {logger.name: (logger.level, tuple(logger.handlers), tuple(logger.filters), logger.propagate, logger.disabled)
            for logger in loggers}


def test_a_build_leaves_the_environment_and_the_loggers_as_they_were(project, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    build_site(project)  # one job (the default of build_site): in this process, not in a forked one  # the first build imports MkDocs, Material and their loggers
    environment, loggers = dict(os.environ), logger_state()
    seen_during_the_build = []
    engine_build = mkdocs.commands.build.build

    def watched_build(*args, **kwargs):
        seen_during_the_build.append(dict(os.environ))
        return engine_build(*args, **kwargs)

    monkeypatch.setattr(mkdocs.commands.build, "build", watched_build)
    result = build_site(project)
    assert seen_during_the_build == [environment]
    assert dict(os.environ) == environment
    assert logger_state() == loggers

    epoch = newest_epoch(check_project(project))  # dated by the content all the same
    sitemap = (result.site / "sitemap.xml").read_text(encoding="utf-8")
    day = datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%d")
    assert set(re.findall(r"<lastmod>(.*?)</lastmod>", sitemap)) == {day}
    gz = (result.site / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(gz).decode("utf-8") == sitemap
    assert int.from_bytes(gz[4:8], "little") == int(datetime.fromisoformat(day).replace(tzinfo=timezone.utc).timestamp())

"""Pausing the cyclic garbage collector while a run builds or writes many objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """The checks, the review's merge and its workbooks make hundreds of thousands of small,
    long-lived objects (findings, answers, cells, rows); the cyclic collector would scan them
    again and again (a third of the merge's time at county scale). They form no cycles that
    need it; it resumes after. Also a decorator (`@gc_paused()`)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()

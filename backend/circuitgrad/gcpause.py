"""Holding Python's cyclic garbage collector while one circuit is built and answered.

A build allocates a few objects per node and frees none of them before the answer is made,
and it makes no reference cycles. The collector, counting allocations, still wakes every
few hundred of them, and each of its full passes walks every live object: on a 10,000-node
circuit that made the time grow about twice as fast as the node count (measured with
bench/engine.py). Pausing it for the build costs nothing, since nothing it could free is
made meanwhile, and it resumes afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic collector off inside the block, back as it was after (also on errors)."""
    if not gc.isenabled():  # already paused (a nested build, or the caller's choice)
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()

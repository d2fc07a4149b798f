"""Shapes without values: what each input of a circuit must look like, as far as it says.

Two passes over the nodes in topological order.

1. Ranks. An input's rank is free until something demands one: `@`, `dot`, `softmax` and a
   loss's scores need a vector or a matrix, a loss's labels follow its scores. A demand
   decides every free input that reaches it through rank-preserving gates (element-wise
   ones, transposes): a capitalised name becomes a matrix, any other a vector (W @ x: W is
   a matrix and x a vector, as in the notes). Inputs no demand reaches keep a free rank; for
   their defaults a preference decides (a vector beside a vector, a vector under sum(...),
   else a scalar).
2. Sizes. Every dimension is a variable in a union-find. Hard constraints unify: the inner
   sizes of `@`, one label per row of scores, sizes given by the caller. Broadcasting only
   prefers equal sizes and is applied afterwards, so that a given size 1 still broadcasts.

A contradiction raises ShapeError with the catalog's codes, naming the gate's operands.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import ShapeError
from .graph import CONST, INPUT, Circuit
from .ops import REGISTRY

Dims = tuple[int, ...]  # variable ids of the union-find, one per dimension
_MATRIX_OPS = {"matmul", "dot"}
_LOSSES = {"svm_loss", "softmax_loss", "pick"}
_LAST_AXIS = {"softmax", "rowsum"}
_REDUCTIONS = {"sum", "mean"}
# Every non-element-wise primitive has a rule here (a test checks it).
RULES = _MATRIX_OPS | _LOSSES | _LAST_AXIS | _REDUCTIONS | {"transpose"}


def _BY_NAME(name: str) -> int:  # noqa: N802 - a constant rule, named like one
    """W is a matrix and x a vector, as in the notes."""
    return 2 if name[:1].isupper() else 1


def _always(rank: int) -> Callable[[str], int]:
    return lambda name: rank


def _beside(rank: int) -> Callable[[str], int]:
    """Beside a tensor of `rank`: a capitalised name gets that rank, any other a vector."""
    return lambda name: rank if name[:1].isupper() else 1


@dataclass(frozen=True, slots=True)
class Solution:
    """Each input's shape: `required` as the circuit fixes it (None: any rank; a None size:
    any size), `shape` a concrete choice that fits, and for labels the class count."""

    required: dict[str, tuple[int | None, ...] | None]
    shape: dict[str, tuple[int, ...]]
    classes: dict[str, int]  # labels input -> number of classes of its scores


def solve(circuit: Circuit, given: Mapping[str, Sequence[int]] | None = None,
          prefer: Mapping[str, int] | None = None, sizes: Sequence[int] = (2, 3, 4)
          ) -> Solution:
    """Infer the inputs' shapes. `given` fixes some inputs' shapes; `prefer` is a rank
    wished for an input where the circuit leaves a choice; free sizes cycle through
    `sizes`.

    The ranks chosen by name are a first guess: `x @ (x @ x)` fails with a vector x and works
    with a matrix. When the guess fails, other ranks for the inputs it chose are tried, fewest
    changes first, within a budget; the first failure is raised when none works."""
    given = given or {}
    prefer = dict(prefer or {})
    first = _Solver(circuit, given, prefer)
    try:
        return first.run(sizes)
    except ShapeError as error:
        failure = error
    chosen = [name for name, node in circuit.input_nodes.items()
              if node in first.chosen and name not in given]
    tries = max(1, min(_MAX_TRIES, _SEARCH_WORK // max(1, len(circuit))))
    for changes in itertools.islice(_alternatives(chosen, first), tries):
        try:
            return _Solver(circuit, given, {**prefer, **changes}).run(sizes)
        except ShapeError:
            continue
    raise failure


_MAX_TRIES = 64  # rank assignments tried after the first guess
_SEARCH_WORK = 2_000_000  # nodes × tries


def _alternatives(names: list[str], first: _Solver) -> Iterator[dict[str, int]]:
    """Other ranks for the inputs the first guess chose, fewest changes first."""
    options = {name: [r for r in (1, 2, 0) if r != first.rank[first.c.input_nodes[name]]]
               for name in names}
    for count in range(1, len(names) + 1):
        for subset in itertools.combinations(names, count):
            for ranks in itertools.product(*(options[name] for name in subset)):
                yield dict(zip(subset, ranks, strict=True))


class _Solver:
    def __init__(self, circuit: Circuit, given: Mapping[str, Sequence[int]],
                 prefer: Mapping[str, int]) -> None:
        self.c = circuit
        self.given = {circuit.input_nodes[name]: tuple(shape) for name, shape in given.items()
                      if name in circuit.input_nodes}
        self.prefer = prefer
        n = len(circuit)
        self.rank: list[int | None] = [None] * n
        self.hard: set[int] = set()  # inputs whose rank a demand fixed
        self.chosen: set[int] = set()  # inputs whose rank was chosen, by a demand or not
        self.dims: list[Dims] = [()] * n
        self.parent: list[int] = []
        self.size: list[int | None] = []
        # Broadcasting, applied after the hard constraints: (node, out, left, right) per axis.
        self.broadcasts: list[tuple[int, int, int | None, int | None]] = []
        self.classes: dict[int, int] = {}  # labels input -> the class axis variable

    # ---- errors ----

    def error(self, node: int, code: str, **params: Any) -> ShapeError:
        from .engine import shape_error  # names the operands as the step texts do
        from .ops.core import ShapeMismatch

        for key, arg in zip(("a_shape", "b_shape"), self.c.inputs[node], strict=False):
            params.setdefault(key, self.shape_of(arg))
        return shape_error(self.c, node, ShapeMismatch(code, **params))

    def shape_of(self, node: int) -> list[int | None] | None:
        if self.rank[node] is None:
            return None
        if len(self.dims[node]) != self.rank[node]:  # sizes not made yet: ranks only
            return [None] * (self.rank[node] or 0)
        return [self.size[self.find(v)] for v in self.dims[node]]

    # ---- pass 1: ranks ----

    def run(self, sizes: Sequence[int]) -> Solution:
        c = self.c
        for node, given in self.given.items():
            self.rank[node] = len(given)
        for node in range(len(c)):
            self.rank_of(node)
        self.settle_free_ranks()
        required_ranks = {name: self.rank[node] if node in self.hard or node in self.given
                          else None for name, node in c.input_nodes.items()}
        self.make_sizes()
        self.apply_broadcasts()
        chosen = self.choose_sizes(sizes)
        required: dict[str, tuple[int | None, ...] | None] = {}
        for name, node in c.input_nodes.items():
            if required_ranks[name] is None:
                required[name] = None
            else:
                required[name] = tuple(self.size[self.find(v)] for v in self.dims[node])
        shape = {name: tuple(chosen[self.find(v)] for v in self.dims[node])
                 for name, node in c.input_nodes.items()}
        classes = {c.names[node] or "": chosen[self.find(v)] for node, v in self.classes.items()}
        return Solution(required, shape, classes)

    def rank_of(self, node: int) -> None:
        c, rank = self.c, self.rank
        op = c.ops[node]
        args = c.inputs[node]
        if op == INPUT:
            return  # given, or free until a demand decides it
        if op == CONST:
            rank[node] = 0
        elif op in _MATRIX_OPS:
            a, b = (self.demand(node, arg) for arg in args)
            rank[node] = a + b - 2
        elif op in _REDUCTIONS:
            rank[node] = 0
        elif op in _LAST_AXIS:
            rank[node] = self.demand(node, args[0])
        elif op in _LOSSES:
            labels = args[1]
            # Scores follow labels already known: one label (a constant) goes with a vector.
            known = rank[labels]
            if known is None and c.ops[labels] == INPUT:
                known = self.prefer.get(c.names[labels] or "")
            follow = None if known not in (0, 1) else _always((known or 0) + 1)
            scores = self.demand(node, args[0], code="loss_scores_rank", rank_for=follow)
            if rank[labels] is None:  # an input: one label per row, or one label
                wished = self.prefer.get(c.names[labels] or "")
                rank[labels] = wished if scores == 1 and wished in (0, 1) else \
                    1 if scores == 2 else 0
                self.hard.add(labels)
            elif scores == 2 and rank[labels] != 1 or scores == 1 and rank[labels] not in (0, 1):
                raise self.error(node, "loss_labels_count")
            rank[node] = 2 if op == "pick" and scores == 2 else 0
        else:  # element-wise, identity and transpose keep the rank they get
            ranks = [rank[arg] for arg in args]
            rank[node] = None if None in ranks else max(r for r in ranks if r is not None)
            if op == "transpose" and (rank[node] or 0) > 2:
                raise self.error(node, "needs_vector_or_matrix", function="transpose")

    def demand(self, node: int, arg: int, code: str = "", rank_for: Callable[[str], int] | None
               = None) -> int:
        """The rank of `arg`, which must be a vector or a matrix; free inputs decided (by
        `rank_for`, else a matrix for a capitalised name and a vector for any other)."""
        if self.rank[arg] is None:
            self.decide(arg, rank_for or _BY_NAME, hard=True)
        rank = self.rank[arg]
        if rank not in (1, 2):
            op = self.c.ops[node]
            if code:
                raise self.error(node, code)
            if op in _MATRIX_OPS:
                raise self.error(node, "matmul_rank")
            raise self.error(node, "needs_vector_or_matrix", function="softmax")
        return rank

    def decide(self, start: int, rank_for: Callable[[str], int], *, hard: bool) -> None:
        """Give every free input reaching `start` through rank-keeping gates a rank, then
        recompute the ranks of the gates in between."""
        c, rank = self.c, self.rank
        seen: set[int] = set()
        stack = [start]
        while stack:
            node = stack.pop()
            if node in seen or rank[node] is not None:
                continue
            seen.add(node)
            widest = max((r for r in (rank[a] for a in c.inputs[node]) if r is not None),
                         default=0)
            if hard and widest > 0:
                # `X@W + b` is a matrix whatever b is: b's rank stays free (a preference).
                for arg in c.inputs[node]:
                    if rank[arg] is None:
                        self.decide(arg, _beside(widest), hard=False)
                continue
            if c.ops[node] == INPUT:
                name = c.names[node] or ""
                wished = self.prefer.get(name)
                rank[node] = wished if wished is not None and (not hard or wished in (1, 2)) \
                    else rank_for(name)
                self.chosen.add(node)
                if hard:
                    self.hard.add(node)
            else:
                stack.extend(c.inputs[node])
        for node in sorted(seen):  # node numbers are a topological order
            if c.ops[node] != INPUT:
                self.rank_of(node)

    def settle_free_ranks(self) -> None:
        """Ranks no demand fixed, by preference: beside a tensor, a vector (a capitalised
        name: the tensor's rank); under sum/mean/transpose, a vector or a matrix by the
        name; otherwise a scalar."""
        c, rank = self.c, self.rank
        for node in range(len(c)):
            args = c.inputs[node]
            if c.ops[node] in (INPUT, CONST) or all(rank[a] is not None for a in args):
                continue
            widest = max((r for r in (rank[a] for a in args) if r is not None), default=0)
            for arg in args:
                if rank[arg] is None and widest > 0:
                    self.decide(arg, _beside(widest), hard=False)
                elif rank[arg] is None and c.ops[node] in _REDUCTIONS | {"transpose"}:
                    self.decide(arg, _BY_NAME, hard=False)
            self.rank_of(node)
        for node in range(len(c)):
            if rank[node] is None:
                self.decide(node, _always(0), hard=False)

    # ---- pass 2: sizes ----

    def var(self, size: int | None = None) -> int:
        self.parent.append(len(self.parent))
        self.size.append(size)
        return len(self.parent) - 1

    def find(self, v: int) -> int:
        parent = self.parent
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    def unify(self, u: int, v: int) -> bool:
        """Make u and v one size; False when both are fixed and differ."""
        ru, rv = self.find(u), self.find(v)
        if ru == rv:
            return True
        su, sv = self.size[ru], self.size[rv]
        if su is not None and sv is not None and su != sv:
            return False
        self.parent[rv] = ru
        self.size[ru] = su if su is not None else sv
        return True

    def make_sizes(self) -> None:
        c, rank, dims = self.c, self.rank, self.dims
        for node in range(len(c)):
            op = c.ops[node]
            args = c.inputs[node]
            if op == INPUT:
                given = self.given.get(node)
                dims[node] = tuple(self.var(s) for s in given) if given is not None else \
                    tuple(self.var() for _ in range(rank[node] or 0))
            elif op == CONST or op in _REDUCTIONS:
                dims[node] = ()
            elif op in _MATRIX_OPS:
                a, b = dims[args[0]], dims[args[1]]
                if not self.unify(a[-1], b[0]):
                    raise self.error(
                        node, "matmul_inner", a_size=self.size[self.find(a[-1])],
                        b_size=self.size[self.find(b[0])],
                        a_dim={"phrase": "columns" if len(a) == 2 else "length"},
                        b_dim={"phrase": "rows" if len(b) == 2 else "length"})
                dims[node] = a[:-1] + b[1:]
            elif op in _LAST_AXIS:
                a = dims[args[0]]
                dims[node] = a[:-1] + (self.var(1),) if op == "rowsum" else a
            elif op in _LOSSES:
                self.loss_sizes(node)
            elif op == "transpose":
                dims[node] = dims[args[0]][::-1]
            else:
                dims[node] = self.broadcast(node, [dims[a] for a in args])

    def loss_sizes(self, node: int) -> None:
        c, dims = self.c, self.dims
        scores, labels = (dims[a] for a in c.inputs[node])
        ok = True
        if len(scores) == 2 and len(labels) == 1:
            ok = self.unify(scores[0], labels[0])
        elif len(scores) == 1 and len(labels) == 1:
            ok = self.unify(labels[0], self.var(1))
        if not ok:
            raise self.error(node, "loss_labels_count")
        if c.ops[c.inputs[node][1]] == INPUT:
            self.classes[c.inputs[node][1]] = scores[-1]
        dims[node] = (scores[0], self.var(1)) if c.ops[node] == "pick" and len(scores) == 2 \
            else ()

    def broadcast(self, node: int, shapes: list[Dims]) -> Dims:
        """The output's sizes: new variables, tied to the operands' after the hard pass."""
        width = max((len(s) for s in shapes), default=0)
        out = []
        for axis in range(width):
            mine = [s[len(s) - width + axis] if len(s) - width + axis >= 0 else None
                    for s in shapes]
            present = [v for v in mine if v is not None]
            if len(present) == 1:
                out.append(present[0])
                continue
            v = self.var()
            self.broadcasts.append((node, v, mine[0], mine[-1]))
            out.append(v)
        return tuple(out)

    def apply_broadcasts(self) -> None:
        """Sizes that broadcast: equal, or 1 (a size given as 1 stays 1); equal preferred."""
        for _ in range(2):  # a later gate may fix a size an earlier one needs
            for node, out, left, right in self.broadcasts:
                sides = [v for v in (left, right) if v is not None]
                fixed = {self.size[self.find(v)] for v in sides} - {None, 1}
                if len(fixed) > 1:
                    raise self.error(node, "shape_mismatch", op=REGISTRY[self.c.ops[node]].symbol)
                for v in sides:
                    if self.size[self.find(v)] != 1 and not self.unify(out, v):
                        raise self.error(node, "shape_mismatch",
                                         op=REGISTRY[self.c.ops[node]].symbol)
                if all(self.size[self.find(v)] == 1 for v in sides):
                    self.unify(out, sides[0])

    def choose_sizes(self, sizes: Sequence[int]) -> dict[int, int]:
        """A size for every variable: its fixed one, else the next of `sizes` by class."""
        chosen: dict[int, int] = {}
        count = 0
        for v in range(len(self.parent)):
            root = self.find(v)
            if root in chosen:
                continue
            fixed = self.size[root]
            if fixed is None:
                fixed = sizes[count % len(sizes)]
                count += 1
            chosen[root] = fixed
        return chosen

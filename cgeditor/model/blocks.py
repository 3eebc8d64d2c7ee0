"""Blocks: a block is a function, a reusable sub-graph with named inputs and one output.

Every use of a block is an *instance node*, an ordinary op node whose `op` names the block, so
everything that reads ops (validation, the evaluator, narration, exports) treats an instance as
one op once `BlockLibrary.op` has made an `Op` of the block: its forward value is the body's
output with the params bound, and its local partials are d output / d param, found by reverse
mode through the inside.  So a graph's values and gradients are those of the same graph with
every instance written out (`block_edits.flatten`), up to the association of products.

The library belongs to a document graph, which announces its changes (`Graph.define_block`
and friends); a body graph shares its document's library so nested instances resolve.
"""

from __future__ import annotations

import keyword
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from cgeditor.model.node import GraphError, NodeKind
from cgeditor.model.ops import OPS, Op
from cgeditor.model.records import Record

if TYPE_CHECKING:
    from cgeditor.model.graph import Graph

BLOCK_CATEGORY = "block"
# A few lines of blocks each calling the one before twice describe 2^n nodes, and nesting is
# evaluated by recursion: a library refuses what would not be computed in reasonable time.
MAX_BLOCK_DEPTH = 32
MAX_EXPANDED_NODES = 200_000  # a block's nodes with every instance written out (files cap nodes so)
_REGISTRY_NAMES = frozenset(OPS) | frozenset(a for op in OPS.values() for a in op.aliases)
# The node kinds' own names: the palette and the node search offer "variable" and "constant"
# beside the ops and blocks, under the same keys, so a block may not take one.
_NODE_KIND_NAMES = frozenset(kind.value for kind in NodeKind)


class Block:
    """A named sub-graph: `params` are VARIABLE nodes of `body` whose ids are the param names
    (an instance's ports, in order); `body.output` is the returned node."""

    def __init__(self, name: str, params: tuple[str, ...], body: Graph, formula: str | None = None,
                 derivatives: dict[str, str] | None = None) -> None:
        self.name = name
        self.params = params
        self.body = body
        self.formula = formula  # "log(1 + exp(t))" for a user op defined by a formula
        self.derivatives = derivatives  # optional hand-written d/dparam formulas
        self._uses: tuple[int, frozenset[str]] | None = None

    def __repr__(self) -> str:
        return (f"Block(name={self.name!r}, params={self.params!r}, body={self.body!r}, formula={self.formula!r}, "
                f"derivatives={self.derivatives!r})")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Block):
            return NotImplemented
        # The bodies share their libraries with their documents, which compare their blocks
        # themselves: comparing the bodies' libraries here would go round in a circle.
        return (self.name == other.name and tuple(self.params) == tuple(other.params)
                and self.formula == other.formula and self.derivatives == other.derivatives
                and self.body.same_contents(other.body))

    __hash__ = None  # type: ignore[assignment]

    def copy(self) -> "Block":
        """The same block with a copy of its body (still sharing the library until defined)."""
        body = self.body.copy_contents()
        body.blocks = self.body.blocks
        return Block(self.name, tuple(self.params), body, self.formula,
                     dict(self.derivatives) if self.derivatives is not None else None)

    def uses(self) -> set[str]:
        """The op names of the body's op nodes (registry ops and blocks alike)."""
        version = self.body.structure_version  # kept until the body changes: the library's
        if self._uses is None or self._uses[0] != version:  # order and checks ask often
            self._uses = (version, frozenset(n.op for n in self.body if n.kind is NodeKind.OP and n.op))
        return set(self._uses[1])


class Extent(Record):
    """How deep a body nests blocks (itself counted) and how many nodes it holds with every
    instance written out: what the size limits hold.  The library counts a block's body so as
    it is defined; the expression translator counts a `def` as it reads it, to name the line."""

    __slots__ = ("depth", "nodes")

    def __init__(self, depth: int = 1, nodes: int = 0) -> None:
        self.depth = depth
        self.nodes = nodes

    def add(self, used: "Extent | None" = None) -> None:
        """One node more: a plain one, or an instance of a block of extent `used`."""
        if used is None:
            self.nodes += 1
        else:
            self.depth = max(self.depth, used.depth + 1)
            self.nodes += used.nodes

    def check(self, name: str) -> None:
        """Raise `GraphError` if block `name` of this extent nests too deep or is too large."""
        if self.depth > MAX_BLOCK_DEPTH:
            raise GraphError(f"block {name!r} nests blocks {self.depth} deep (at most {MAX_BLOCK_DEPTH})")
        self.check_nodes(f"block {name!r}")

    def check_nodes(self, what: str) -> None:
        """Raise `GraphError` if `what` ("block 'f'", "the program") is too large written out
        (a document's top level nests in nothing, so only its size counts)."""
        if self.nodes > MAX_EXPANDED_NODES:
            raise GraphError(f"{what} would have {self.nodes:,} nodes with every instance written out "
                             f"(at most {MAX_EXPANDED_NODES:,})")


class BlockLibrary:
    """A document's blocks by name, in an order where every block comes after the blocks it
    uses (definition order, kept so when a block is replaced), and the ops made from them."""

    def __init__(self) -> None:
        self._blocks: dict[str, Block] = {}
        self._ops: dict[str, Op] = {}  # made on demand; dropped whenever any block changes
        self._problems: dict[str, str | None] = {}
        self._sizes: dict[str, Extent] = {}
        self.version = 0

    # -- reading -----------------------------------------------------------------------

    def __contains__(self, name: object) -> bool:
        return name in self._blocks

    def __iter__(self) -> Iterator[Block]:
        return iter(self._blocks.values())

    def __len__(self) -> int:
        return len(self._blocks)

    def __getitem__(self, name: str) -> Block:
        try:
            return self._blocks[name]
        except KeyError:
            raise GraphError(f"no block named {name!r}") from None

    def names(self) -> list[str]:
        return list(self._blocks)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BlockLibrary):
            return NotImplemented
        return list(self._blocks) == list(other._blocks) and all(
            b == other._blocks[b.name] for b in self._blocks.values())

    __hash__ = None  # type: ignore[assignment]

    def op(self, name: str) -> Op | None:
        """The `Op` an instance of block `name` computes, or None if there is no such block."""
        op = self._ops.get(name)
        if op is None and name in self._blocks:
            op = self._ops[name] = _block_op(self, self._blocks[name])
        return op

    def problem(self, name: str) -> str | None:
        """Why block `name` cannot be computed (its body's first problem), or None."""
        if name not in self._problems:
            self._problems[name] = _body_problem(self._blocks[name])
        return self._problems[name]

    def users(self, name: str) -> list[str]:
        """The blocks whose bodies use block `name` directly."""
        return [b.name for b in self._blocks.values() if name in b.uses()]

    def uses_transitively(self, block: Block) -> set[str]:
        """Every block `block` uses, directly or through other blocks."""
        seen: set[str] = set()
        stack = [n for n in block.uses() if n in self._blocks]
        while stack:
            name = stack.pop()
            if name not in seen:
                seen.add(name)
                stack += [n for n in self._blocks[name].uses() if n in self._blocks and n not in seen]
        return seen

    # -- mutation (through `Graph`, which announces them) ---------------------------------

    def check_new(self, block: Block) -> None:
        """Raise `GraphError` with the reason if `block` could not be defined here."""
        if block.name in self._blocks:
            raise GraphError(f"a block named {block.name!r} already exists")
        self._check(block)

    def define(self, block: Block, index: int | None = None) -> None:
        self.check_new(block)
        items = list(self._blocks.items())
        items.insert(len(items) if index is None else index, (block.name, block))
        self._blocks = dict(items)
        if index is not None or not block.uses() <= self._blocks.keys() - {block.name}:
            self._reorder()  # appending a block that uses only earlier ones keeps the order
        self.touch(resized=False)  # a new block changes no other block's size

    def remove(self, name: str) -> Block:
        block = self[name]
        users = self.users(name)
        if users:
            raise GraphError(f"block {name!r} is used inside {', '.join(users)}")
        del self._blocks[name]
        self.touch()
        return block

    def replace(self, block: Block) -> Block:
        old = self[block.name]
        self._check(block)
        self._blocks[block.name] = block
        self._reorder()
        self.touch()
        return old

    def touch(self, resized: bool = True) -> None:
        """Forget the ops and problems made from the blocks: one of them changed (and, unless
        only a block was added, the sizes: an edited inside changes its users' sizes too)."""
        self._ops.clear()
        self._problems.clear()
        if resized:
            self._sizes.clear()
        self.version += 1

    def _check(self, block: Block) -> None:
        name = block.name
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise GraphError(f"a block's name must be an identifier, not {name!r}")
        if name in _REGISTRY_NAMES:
            raise GraphError(f"a block cannot be called {name!r}: that is a built-in op")
        if name in _NODE_KIND_NAMES:
            raise GraphError(f"a block cannot be called {name!r}: that is reserved for a kind of node "
                             f"({', '.join(sorted(_NODE_KIND_NAMES))})")
        if name in block.uses() or name in self.uses_transitively(block):
            raise GraphError(f"block {name!r} would use itself (recursion is not allowed)")
        params = tuple(block.params)
        if len(set(params)) != len(params):
            raise GraphError(f"block {name!r}: a parameter is named twice in {', '.join(params)}")
        for p in params:
            if p not in block.body or block.body.nodes[p].kind is not NodeKind.VARIABLE:
                raise GraphError(f"block {name!r}: parameter {p!r} is not a variable of its body")
        self._size(block).check(name)

    def written_out(self, name: str) -> int:
        """How many nodes an instance of block `name` is with every instance inside written out."""
        return self.extent(name).nodes

    def extent(self, name: str) -> Extent:
        """How deep block `name` nests and how large it is written out (cached until a block changes)."""
        size = self._sizes.get(name)
        if size is None:
            size = self._sizes[name] = self._size(self[name])
        return size

    def _size(self, block: Block) -> Extent:
        """`block`'s extent, from the (cached) extents of the blocks it uses, already defined."""
        size = Extent()
        blocks = self._blocks
        for node in block.body:
            used = node.op if node.kind is NodeKind.OP and node.op in blocks and node.op != block.name else None
            size.add(None if used is None else self.extent(used))
        return size

    def _reorder(self) -> None:
        """Put every block after the blocks it uses, otherwise keeping the order (a replaced
        block may have started using one defined after it)."""
        order: dict[str, Block] = {}

        def visit(block: Block) -> None:
            stack = [(block, False)]
            while stack:
                b, expanded = stack.pop()
                if b.name in order:
                    continue
                if expanded:
                    order[b.name] = b
                    continue
                stack.append((b, True))
                stack += [(self._blocks[n], False) for n in sorted(b.uses(), reverse=True)
                          if n in self._blocks and n not in order]

        for block in self._blocks.values():
            visit(block)
        self._blocks = order


# -- evaluating a body --------------------------------------------------------------------


class _Program:
    """A body's evaluation plan, with the params' slots: what an instance's op runs."""

    def __init__(self, block: Block):
        from cgeditor.model.compiled_loop import backward_entries
        from cgeditor.model.evaluate import _backward_path, _build_plan, resolve_output

        body = block.body
        if any(body.nodes[p].value is None for p in block.params):  # a param needs no value of its own
            body = body.copy_contents()
            body.blocks = block.body.blocks
            for p in block.params:
                body.nodes[p].value = 0.0
        self.plan = plan = _build_plan(body)
        self.param_slots = [plan.index[p] for p in block.params]
        self.output = plan.index[resolve_output(body)]
        self.base = [0.0] * len(plan.ids)
        nodes = body.nodes
        for i, node_id in plan.leaves:
            self.base[i] = nodes[node_id].value
        self.path = _backward_path(plan, self.output)
        self.entries = backward_entries(self.path)

    def run(self, xs: Sequence[float]) -> tuple[list[float], list]:
        values = self.base[:]
        for slot, x in zip(self.param_slots, xs):
            values[slot] = x
        partials: list = [()] * len(values)
        kernel = self.plan.kernel
        kernel.run(kernel.entries, values, partials, self.plan.ops)
        return values, partials

    def gradients(self, partials: list) -> list[float]:
        """d output / d every inside node."""
        from cgeditor.model.compiled_loop import run_backward

        grad = [0.0] * len(partials)
        grad[self.output] = 1.0
        run_backward(self.entries, self.path, partials, grad)
        return grad


def _program(library: BlockLibrary, name: str) -> _Program:
    problem = library.problem(name)
    if problem is not None:
        raise GraphError(f"block {name!r} cannot be computed: {problem}")
    return _Program(library[name])


def value_and_partials(block: Block) -> Callable[[Sequence[float]], tuple[float, list[float]]]:
    """A function giving the block's value and d output / d param at given args, for a block
    whether or not a library holds it yet (the user-op dialog checks one before adding it)."""
    problem = _body_problem(block)
    if problem is not None:
        raise GraphError(f"block {block.name!r} cannot be computed: {problem}")
    p = _Program(block)

    def at(xs: Sequence[float]) -> tuple[float, list[float]]:
        values, partials = p.run(xs)
        grad = p.gradients(partials)
        return values[p.output], [grad[slot] for slot in p.param_slots]

    return at


def _block_op(library: BlockLibrary, block: Block) -> Op:
    name, params = block.name, tuple(block.params)
    program: list[_Program] = []  # built on the first call: validating the body waits till then

    def prepared() -> _Program:
        if not program:
            program.append(_program(library, name))
        return program[0]

    # The evaluator asks for the partials right after the value at the same args: running the
    # inside once for both keeps nested blocks linear in their size (twice per level would
    # double the work with each level of nesting).
    latest: list = [None]  # (args, the inside's partials) of the latest forward, set in one step

    def forward(*xs: float) -> float:
        p = prepared()
        values, inner = p.run(xs)
        latest[0] = (xs, inner)
        return values[p.output]

    def partials(xs: Sequence[float], _out: float) -> list[float]:
        p = prepared()
        seen = latest[0]
        inner = seen[1] if seen is not None and seen[0] == tuple(xs) else p.run(xs)[1]
        grad = p.gradients(inner)
        return [grad[slot] for slot in p.param_slots]

    def call(args: Sequence[str]) -> str:
        return f"{name}({', '.join(args)})"

    return Op(name=name, symbol=name, title=name, min_arity=len(params), max_arity=len(params),
              forward=forward, partials=partials, python=call,
              python_partials=lambda a, o: [f"{name}_partials({', '.join(a)})[{i}]" for i in range(len(a))],
              torch=call, ports=params, category=BLOCK_CATEGORY)


def _body_problem(block: Block) -> str | None:
    from cgeditor.model.evaluate import OutputError, resolve_output
    from cgeditor.model.validate import ProblemCode, validate

    problems = [p for p in validate(block.body)
                if not (p.code is ProblemCode.MISSING_VALUE and p.owners[0] in block.params)]
    if problems:
        return problems[0].message
    if block.body.output is None:
        try:
            resolve_output(block.body)
        except OutputError as e:
            return str(e)
    return None

"""The joint decoder's core: which readings of the open rows lie on a best consistent table.

A layered dynamic programme walks the open rows in order. Its state is what
every rule that spans several rows still lacks (the residual of Σ found − Σ
expected over the cells read so far) and which of those rules have an unknown
cell on either side (an unknown may close a gap of its sign). A reading's step
adds its known cells to the rules it touches. Rules inside one row (a row's
总计) are settled per reading before the walk: a reading that breaks its own
row's sum is dropped (strict) or counted as broken (soft).

Strict: states from which no consistent table can be reached are pruned by
interval bounds of the rows still to come, and only consistent final states
count. Soft (no consistent table exists): every state is kept and the final
objective is the number of broken rules first, the cost second.

Forward, each state keeps its least cost; backward from the best final states,
every reading on a best path is marked. The walk is bounded by
:data:`MAX_EDGES` steps; past it the answer is None (the caller leaves the open
rows null with a warning).
"""

from __future__ import annotations

from dataclasses import dataclass

from gip_data.extract.candidates import Candidate

MAX_EDGES = 40000
BIG = 10**12
BROKEN = 1000.0  # one broken rule outweighs any reading cost

Term = tuple[str, int, int]  # (row, cell index, coefficient)
State = tuple[tuple[int, ...], int, int]  # (residual per rule, rules with an unknown on +, on −)


@dataclass(frozen=True, slots=True)
class _Step:
    """What one reading adds: per touched rule its known sum, and the rules it leaves an unknown in."""

    delta: tuple[tuple[int, int], ...]  # (rule index, amount)
    plus: int
    minus: int
    cost: float


class Layers:
    """The layered programme over the open rows (module docstring)."""

    def __init__(
        self,
        options: dict[str, list[Candidate]],
        order: list[str],
        fixed: dict[str, Candidate],
        rules: list[list[Term]],
        strict: bool,
    ) -> None:
        self.order = order
        self.strict = strict
        opened = set(order)
        spanning = [r for r in rules if any(t[0] in opened for t in r) and len({t[0] for t in r}) > 1]
        local = {key: [r for r in rules if {t[0] for t in r} == {key}] for key in order}
        self.rules = spanning
        self.options: dict[str, list[Candidate]] = {}
        self.steps: dict[str, list[_Step]] = {}
        for key in order:
            kept = [(c, _local_broken(c, local[key])) for c in options[key]]
            kept = [(c, b) for c, b in kept if b == 0 or not strict]
            self.options[key] = [c for c, _ in kept]
            self.steps[key] = [self._step_of(key, c, b) for c, b in kept]
        self.start = self._start(fixed)
        self.touched = {k: sorted({i for s in self.steps[k] for i, _ in s.delta} | self._flags(k)) for k in order}
        self.bounds = self._suffix_bounds()

    def _flags(self, key: str) -> set[int]:
        return {i for s in self.steps[key] for i in range(len(self.rules)) if (s.plus | s.minus) >> i & 1}

    def _start(self, fixed: dict[str, Candidate]) -> State:
        base = [0] * len(self.rules)
        plus = minus = 0
        for k, rule in enumerate(self.rules):
            for row, index, coef in rule:
                if row in fixed:
                    value = fixed[row].values[index]
                    if value is None:
                        plus, minus = (plus | 1 << k, minus) if coef > 0 else (plus, minus | 1 << k)
                    else:
                        base[k] += coef * value
        return tuple(base), plus, minus

    def _step_of(self, key: str, candidate: Candidate, broken: int) -> _Step:
        delta: dict[int, int] = {}
        plus = minus = 0
        for k, rule in enumerate(self.rules):
            for row, index, coef in rule:
                if row != key:
                    continue
                value = candidate.values[index]
                if value is None:
                    plus, minus = (plus | 1 << k, minus) if coef > 0 else (plus, minus | 1 << k)
                else:
                    delta[k] = delta.get(k, 0) + coef * value
        return _Step(tuple(delta.items()), plus, minus, candidate.cost + BROKEN * broken)

    def _suffix_bounds(self) -> list[list[tuple[int, int]]]:
        """For each layer, the range the rows still to come can add to each rule."""
        count = len(self.rules)
        bounds = [[(0, 0)] * count for _ in range(len(self.order) + 1)]
        for i in range(len(self.order) - 1, -1, -1):
            steps = self.steps[self.order[i]]
            layer = list(bounds[i + 1])
            for k in range(count):
                adds = [dict(s.delta).get(k, 0) for s in steps]
                low = min((-BIG if s.minus >> k & 1 else a) for s, a in zip(steps, adds, strict=True))
                high = max((BIG if s.plus >> k & 1 else a) for s, a in zip(steps, adds, strict=True))
                layer[k] = (layer[k][0] + low, layer[k][1] + high)
            bounds[i] = layer
        return bounds

    def _feasible(self, state: State, layer: int, rules: list[int]) -> bool:
        residual, plus, minus = state
        bounds = self.bounds[layer]
        for k in rules:
            low, high = bounds[k]
            value = residual[k]
            if minus >> k & 1:
                low = -BIG
            if plus >> k & 1:
                high = BIG
            if not value + low <= 0 <= value + high:
                return False
        return True

    def _broken(self, state: State) -> int:
        residual, plus, minus = state
        return sum(
            1
            for k, value in enumerate(residual)
            if not ((value <= 0 or minus >> k & 1) and (value >= 0 or plus >> k & 1))
        )

    @staticmethod
    def _apply(state: State, step: _Step) -> State:
        residual, plus, minus = state
        if step.delta:
            changed = list(residual)
            for k, amount in step.delta:
                changed[k] += amount
            residual = tuple(changed)
        return residual, plus | step.plus, minus | step.minus

    def support(self) -> dict[str, list[Candidate]] | None:
        """The readings of each open row that lie on a best table; None when the bound was hit."""
        if any(not self.options[k] for k in self.order):
            return {k: [] for k in self.order}
        layers: list[dict[State, float]] = [{self.start: 0.0}]
        edges = 0
        for i, key in enumerate(self.order):
            following: dict[State, float] = {}
            touched = self.touched[key]
            for state, cost in layers[-1].items():
                edges += len(self.steps[key])
                if edges > MAX_EDGES:
                    return None
                for step in self.steps[key]:
                    nxt = self._apply(state, step)
                    if self.strict and not self._feasible(nxt, i + 1, touched):
                        continue
                    total = cost + step.cost
                    if total < following.get(nxt, float("inf")):
                        following[nxt] = total
            layers.append(following)
        return self._mark(layers)

    def _mark(self, layers: list[dict[State, float]]) -> dict[str, list[Candidate]]:
        """Walk back from the best final states, keeping the readings on best paths."""
        final = {s: c + BROKEN * self._broken(s) for s, c in layers[-1].items()}
        if self.strict:
            final = {s: c for s, c in final.items() if self._broken(s) == 0}
        support: dict[str, list[Candidate]] = {k: [] for k in self.order}
        if not final:
            return support
        best = min(final.values())
        marked = {s for s, c in final.items() if c == best}
        for i in range(len(self.order) - 1, -1, -1):
            key = self.order[i]
            keep: set[int] = set()
            previous: set[State] = set()
            for state, cost in layers[i].items():
                for n, step in enumerate(self.steps[key]):
                    nxt = self._apply(state, step)
                    if nxt in marked and layers[i + 1][nxt] == cost + step.cost:
                        keep.add(n)
                        previous.add(state)
            support[key] = [self.options[key][n] for n in sorted(keep)]
            marked = previous
        return support


def _local_broken(candidate: Candidate, rules: list[list[Term]]) -> int:
    """How many of its own row's rules a reading breaks (an unknown may close a gap of its sign)."""
    broken = 0
    for rule in rules:
        rest = sum(coef * (candidate.values[i] or 0) for _r, i, coef in rule)
        signs = {coef for _r, i, coef in rule if candidate.values[i] is None}
        if (rest != 0 and not signs) or (rest > 0 and signs == {1}) or (rest < 0 and signs == {-1}):
            broken += 1
    return broken

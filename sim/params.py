"""Parameter registry: the one place that holds every model default.

Each :class:`Param` carries its default (a fixed value or a distribution), its unit, the
credible range documented in the sources, hard bounds that any value must respect, and the
source it traces to (IDs from the project's reference tables, e.g. ``KG-15``, or a citation).
A scenario file only says what differs from here.

The registry itself (the list of parameters) lives in :mod:`sim.registry`; this module holds
the machinery: validation of user values and the inverse-transform sampler.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from .distributions import _Dist, is_distribution
from .ensemble import shared_slots
from .formatting import format_param_value, format_range

if TYPE_CHECKING:
    from .streams import Streams

Kind = Literal["float", "int", "date", "bool", "choice"]

#: The largest magnitude any number a parameter takes may have, whatever its own bounds say.
#: The model's largest quantities (men, tonnes) are near a million; far beyond that its
#: arithmetic, and the statistics of its results, would overflow to infinity.
MAX_MAGNITUDE = 1e12


@dataclass(frozen=True)
class Param:
    """One model parameter.

    ``name`` is the dotted key used in scenario files and ``--set`` (``khalkhin_gol.enabled``).
    ``credible`` is the documented (low, high) range from the sources: values outside it are
    allowed but flagged by ``sim show``.  ``bounds`` are hard limits (a fraction in [0, 1], men
    >= 0) and a value outside them is an error.
    """

    name: str
    default: Any
    unit: str
    source: str
    description: str
    kind: Kind = "float"
    credible: tuple[Any, Any] | None = None
    bounds: tuple[Any, Any] | None = None
    choices: tuple[Any, ...] | None = None

    @property
    def group(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def _unit_note(self) -> str:
        """' (men)' for error messages, or nothing for unitless parameters such as dates."""
        return f" ({self.unit})" if self.unit else ""

    def check(self, value: Any) -> Any:
        """Return ``value`` normalised to this parameter's kind, or raise ``ValueError``."""
        if is_distribution(value):
            self._check_distribution(value)
            return value
        return self._check_scalar(value)

    def _check_scalar(self, value: Any) -> Any:
        kind = self.kind
        if kind == "bool":
            if not isinstance(value, bool):
                raise ValueError(f"expected true or false, got {format_param_value(value)}")
            return value
        if kind == "date":
            if isinstance(value, dt.datetime):
                value = value.date()
            if not isinstance(value, dt.date):
                raise ValueError(
                    f"expected an ISO date such as 1941-07-02, got {format_param_value(value)}"
                )
            self._check_bounds(value)
            return value
        if kind == "choice":
            assert self.choices is not None
            if value not in self.choices:
                opts = ", ".join(str(c) for c in self.choices)
                raise ValueError(f"expected one of {opts}, got {format_param_value(value)}")
            return value
        # numbers
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(
                f"expected a number{self._unit_note}, got {format_param_value(value)}"
            )
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"expected a finite number{self._unit_note}, got {value}")
        if kind == "int" and isinstance(value, float) and not value.is_integer():
            raise ValueError(f"expected a whole number{self._unit_note}, got {value}")
        # before any conversion: an int too large for a float compares exactly
        self._check_bounds(value)
        if not abs(value) <= MAX_MAGNITUDE:
            raise ValueError(
                f"expected a number{self._unit_note} of magnitude at most "
                f"{MAX_MAGNITUDE:g}, got {_number_text(value)}"
            )
        return int(value) if kind == "int" else float(value)

    def _check_bounds(self, value: Any) -> None:
        if self.bounds is None:
            return
        lo, hi = self.bounds
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise ValueError(
                f"expected a value {_bounds_text(lo, hi)}{self._unit_note}, "
                f"got {_number_text(value)}"
            )

    def _check_distribution(self, d: _Dist) -> None:
        if self.kind == "bool":
            values = getattr(d, "values", None)
            if values is None or not all(isinstance(v, bool) for v in values):
                raise ValueError("a true/false parameter can only take a `choice` of true/false")
            return
        if self.kind == "choice":
            values = getattr(d, "values", None)
            if values is None:
                raise ValueError("a categorical parameter can only take a `choice` distribution")
            for v in values:
                self._check_scalar(v)
            return
        if getattr(d, "dist", None) == "choice":
            for v in d.values:  # type: ignore[attr-defined]
                self._check_scalar(v)
            return
        lo, hi = d.draw_range()
        is_date = isinstance(lo, dt.date)
        if (self.kind == "date") != is_date:
            want = "ISO dates" if self.kind == "date" else "numbers"
            raise ValueError(f"distribution bounds must be {want} for this parameter")
        if not is_date and (math.isnan(lo) or math.isnan(hi)):  # NaN passes every comparison
            raise ValueError(
                f"{d.describe()} gives no number at the ends of its range (its fields are "
                "too far apart for floating-point arithmetic); narrow it"
            )
        if self.bounds is not None:
            blo, bhi = self.bounds
            if (blo is not None and lo < blo) or (bhi is not None and hi > bhi):
                raise ValueError(
                    f"{d.describe()} can fall outside the allowed range "
                    f"{format_range(blo, bhi)}{self._unit_note}; "
                    "truncate it or narrow it"
                )
        if not is_date:
            extreme = hi if abs(hi) >= abs(lo) else lo
            if not abs(extreme) <= MAX_MAGNITUDE:
                raise ValueError(
                    f"{d.describe()} can reach {_number_text(extreme)}, beyond the largest "
                    f"magnitude a parameter may take ({MAX_MAGNITUDE:g}); "
                    "narrow it"
                )

    def describe_default(self) -> str:
        return describe_value(self.default)


def describe_value(value: Any) -> str:
    """A fixed value or a distribution as ``sim show`` and error messages write it."""
    if is_distribution(value):
        return value.describe()
    return format_param_value(value)


def _number_text(value: Any) -> str:
    """A number quoted in a message: an integer too long to print as itself by its size."""
    if isinstance(value, int) and abs(value) >= 10**15:  # str() refuses past 4,300 digits
        digits = int(value.bit_length() * math.log10(2)) + 1
        return f"{'minus ' if value < 0 else ''}an integer of about {digits:,} digits"
    return format_param_value(value)


def _bounds_text(lo: Any, hi: Any) -> str:
    """'in [lo, hi]', '>= lo' or '<= hi' (a bound of None is open)."""
    text = format_range(lo, hi)
    return f"in {text}" if lo is not None and hi is not None else text


@dataclass
class Registry:
    """An ordered, immutable collection of parameters, looked up by dotted name.

    Each parameter owns one slot of the uniform vector a replication draws, in name order.
    ``reserved`` names parameters withdrawn from the model whose slots are kept, so that
    withdrawing one does not change any other parameter's draw.
    """

    params: list[Param]
    reserved: tuple[str, ...] = ()
    _by_name: dict[str, Param] = field(init=False, repr=False)
    _slot: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.params = sorted(self.params, key=lambda p: p.name)
        self._by_name = {p.name: p for p in self.params}
        if set(self.reserved) & set(self._by_name):
            raise ValueError("a reserved slot's name is also a parameter")
        self._slot = {name: i for i, name in
                      enumerate(sorted([*self._by_name, *self.reserved]))}
        if len(self._by_name) != len(self.params):
            seen: set[str] = set()
            dup = next(p.name for p in self.params if p.name in seen or seen.add(p.name))  # type: ignore[func-returns-value]
            raise ValueError(f"duplicate parameter {dup}")
        for p in self.params:
            p.check(p.default)  # a broken default is a bug, caught at import

    def __getitem__(self, name: str) -> Param:
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __iter__(self) -> Iterator[Param]:
        return iter(self.params)

    def __len__(self) -> int:
        return len(self.params)

    def names(self) -> list[str]:
        return [p.name for p in self.params]

    def groups(self) -> list[str]:
        return sorted({p.group for p in self.params})

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    @property
    def slots(self) -> int:
        """Length of the uniform vector a replication draws (parameters + reserved slots)."""
        return len(self._slot)

    def index(self, name: str) -> int:
        """Position of a parameter in the uniform vector the sampler consumes."""
        self._by_name[name]  # an unknown name is a KeyError, not a reserved slot
        return self._slot[name]


class Sampler:
    """Turns a fully resolved value table into concrete draws, one replication at a time.

    Replication *i* draws one uniform per registry parameter (in registry order) from its
    ``parameters`` stream; uncertain parameters map their uniform through ``ppf``.  Because the
    uniform for a parameter does not depend on which other parameters are uncertain, two
    scenarios share their draws wherever their assumptions agree.
    """

    def __init__(self, registry: Registry, values: Mapping[str, Any]) -> None:
        self.registry = registry
        self.n = registry.slots
        self.fixed = {name: v for name, v in values.items() if not is_distribution(v)}
        self.uncertain: list[tuple[int, str, _Dist, Kind]] = [
            (registry.index(name), name, v, registry[name].kind)
            for name, v in values.items()
            if is_distribution(v)
        ]
        # the parameters of one posterior ensemble share one uniform: one row for them all
        joint = shared_slots(self.uncertain)
        self.uncertain = [(joint.get(name, idx), name, dist, kind)
                          for idx, name, dist, kind in self.uncertain]
        self._compile()

    def _compile(self) -> None:
        """Each draw's quantile function and whether it rounds, worked out once (and again
        where a pickled sampler arrives: a quantile function may be a closure)."""
        self._draws = [(idx, name, dist.quantile_function(), kind == "int")
                       for idx, name, dist, kind in self.uncertain]

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_draws"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._compile()

    def draw(self, u: np.ndarray | Iterable[float]) -> dict[str, Any]:
        """Concrete parameter values for one replication from its uniform vector ``u``."""
        out = dict(self.fixed)
        # Python floats once (``tolist``: the same values), not a numpy scalar per parameter
        u = (u.astype(np.float64, copy=False).tolist() if isinstance(u, np.ndarray)
             else [float(x) for x in u])
        for idx, name, ppf, rounds in self._draws:
            x = ppf(u[idx])
            if rounds:
                x = int(round(x))
            out[name] = x
        return out

    def draw_for(self, streams: "Streams") -> dict[str, Any]:
        """Replication ``streams.replication``'s values: one uniform per registry parameter
        from its ``parameters`` stream.  The engine, ``run_replication`` and traces all go
        through here, so they can never disagree on a replication's assumptions."""
        return self.draw(streams["parameters"].random(self.n))

    def central(self) -> dict[str, Any]:
        """Values with each distribution at its median (u = 0.5): a readable 'typical' run."""
        return self.draw(np.full(self.n, 0.5))

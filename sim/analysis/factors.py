"""The documented causal factors behind Japan's choice, and the counterfactual that removes each.

This is the one place where a factor is declared: its name, a label for charts, the parameter
overrides that switch it to its counterfactual setting, the question that counterfactual asks,
and the reference IDs it rests on.  ``sim explain`` attributes the change in an outcome between
the scenario as written (normally history) and the world with every chosen factor switched, and
``sim discover`` samples the same switches alongside the uncertain assumptions.

Users add their own factors on the command line (``--factor name:key=value,key2=value2``) or
in Python by building a :class:`Factor`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from sim.errors import UserError, did_you_mean
from sim.formatting import format_setting
from sim.scenario.quoting import clip


@dataclass(frozen=True)
class Factor:
    """One switchable cause: the overrides that move the world to its counterfactual."""

    name: str
    label: str
    overrides: Mapping[str, Any]
    question: str
    sources: tuple[str, ...] = ()
    documented: bool = field(default=True, compare=False)

    def describe_overrides(self) -> str:
        return ", ".join(f"{k}={format_setting(v)}" for k, v in self.overrides.items())


#: The documented factors, in the order charts show them.
FACTORS: dict[str, Factor] = {
    f.name: f
    for f in (
        Factor(
            name="khalkhin_gol",
            label="Khalkhin Gol",
            overrides={"khalkhin_gol.enabled": False},
            question="What if the 1939 border war on the Khalkha river had not been fought "
            "(no defeat to teach the Kwantung Army respect for Soviet armour and logistics)?",
            sources=("KG-01", "KG-03", "KG-08", "KG-13", "KG-15", "KG-19"),
        ),
        Factor(
            name="molotov_ribbentrop",
            label="Molotov-Ribbentrop pact",
            overrides={"molotov_ribbentrop.enabled": False},
            question="What if Germany had not signed its non-aggression pact with the USSR on "
            "23 August 1939, in the middle of the Soviet offensive at Khalkhin Gol?",
            sources=("DIP-04", "DIP-05", "DIP-06"),
        ),
        Factor(
            name="neutrality_pact",
            label="Neutrality pact",
            overrides={"neutrality_pact.enabled": False},
            question="What if Matsuoka had not signed the Soviet-Japanese Neutrality Pact of "
            "13 April 1941?",
            sources=("NP-01", "NP-02", "NP-05"),
        ),
        Factor(
            name="embargo",
            label="US oil embargo",
            overrides={"embargo.enabled": False},
            question="What if the US had frozen Japanese assets in July 1941 but granted the "
            "licences to pay for oil, as Roosevelt and Hull meant it, instead of the total "
            "embargo Acheson's Foreign Funds Control made of it (about 80% of Japan's oil came "
            "from the US)?",
            sources=("US-01", "US-02", "EMB-03", "EMB-04", "EMB-05", "OIL-01", "OIL-04"),
        ),
        Factor(
            name="china_drain",
            label="China war drain",
            overrides={"china.drain_multiplier": 0.0},
            question="What if the China war had not tied down men and oil (22 divisions and "
            "~41,000 dead a year)?",
            sources=("CHN-01", "CHN-03", "CHN-04"),
        ),
        Factor(
            name="barbarossa",
            label="Barbarossa's course",
            overrides={"barbarossa.moscow_falls": True},
            question="What if Barbarossa had gone Germany's way and Moscow had fallen in "
            "autumn 1941, the 'ripe persimmon' Japan was waiting for?",
            sources=("BAR-01", "BAR-02", "BAR-03", "KT-06", "SFE-06", "SFE-07"),
        ),
        Factor(
            name="german_strength",
            label="German strength in the east",
            overrides={"barbarossa.pressure": 1.3},
            question="What if Germany had pressed the USSR 30% harder in 1941-42 (Moscow then "
            "falls in about a quarter of the runs instead of one in thirteen)?",
            sources=("EF-01", "EF-03", "EF-11", "EF-16"),
        ),
        Factor(
            name="us_stance",
            label="US stance on a northern war",
            overrides={"united_states.war_if_north": 1.0},
            question="What if the United States had gone to war with Japan over an attack on "
            "the USSR, which its chiefs advised against in November 1941?",
            sources=("US-07", "US-10", "US-12", "US-13"),
        ),
    )
}

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
#: The longest name of a factor of one's own: it labels a bar of the waterfall chart.
MAX_FACTOR_NAME = 40


def parse_factor(spec: str) -> Factor:
    """Parse ``name:key=value,key2=value2`` from the command line into a user factor.

    Values are read as YAML scalars, so ``false``, ``0.5`` and ``1941-08-01`` get their types.
    """
    name, sep, body = spec.partition(":")
    name = name.strip()
    example = "e.g. no_tripartite:tripartite.enabled=false"
    if not sep or not _NAME.match(name) or not body.strip():
        raise UserError(f"--factor {clip(spec)!r}: expected name:key=value[,key2=value2] ({example})")
    if len(name) > MAX_FACTOR_NAME:
        raise UserError(f"--factor {clip(spec)!r}: the name is {len(name):,} characters long; "
                        f"expected at most {MAX_FACTOR_NAME}")
    overrides: dict[str, Any] = {}
    for item in body.split(","):
        key, eq, raw = item.partition("=")
        key = key.strip()
        if not eq or not key:
            raise UserError(f"--factor {clip(spec)!r}: `{clip(item.strip(), 40)}` is not key=value ({example})")
        try:
            value = yaml.safe_load(raw.strip()) if raw.strip() else ""
        except yaml.YAMLError:
            value = raw.strip()
        overrides[key] = value
    return Factor(
        name=name,
        label=name.replace("_", " "),
        overrides=overrides,
        question=f"What if {', '.join(f'{k} = {format_setting(v)}' for k, v in overrides.items())}?",
        sources=(),
        documented=False,
    )


def select_factors(
    names: Sequence[str] | str | None = None, extra: Iterable[Factor | str] = ()
) -> list[Factor]:
    """The documented factors named in ``names`` (all when None) followed by user factors.

    ``names`` may be a comma-separated string; ``extra`` holds :class:`Factor` objects or
    ``--factor`` specs.  A user factor with a documented name replaces the documented one.
    """
    if isinstance(names, str):
        names = [n.strip() for n in names.split(",") if n.strip()]
    extras = [parse_factor(e) if isinstance(e, str) else e for e in extra]
    extra_names = {f.name for f in extras}
    chosen = list(FACTORS) if names is None else list(names)
    out: list[Factor] = []
    for name in chosen:
        if name in extra_names:
            continue
        if name not in FACTORS:
            raise UserError(
                f"--factors: unknown factor `{clip(name, 60)}`{did_you_mean(name, FACTORS)}; "
                f"expected some of {', '.join(FACTORS)} (or define one with --factor)"
            )
        out.append(FACTORS[name])
    out.extend(extras)
    seen: set[str] = set()
    for f in out:
        if f.name in seen:
            raise UserError(f"factor `{f.name}` is given twice")
        seen.add(f.name)
    if not out:
        raise UserError("no factors to attribute; choose some with --factors or --factor")
    return out


def combined_overrides(factors: Sequence[Factor], active: Iterable[int]) -> dict[str, Any]:
    """The overrides of the active factors merged; two factors may not set one key differently."""
    merged: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for i in active:
        factor = factors[i]
        for key, value in factor.overrides.items():
            if key in merged and merged[key] != value:
                raise UserError(
                    f"factors `{owner[key]}` and `{factor.name}` both set `{key}` "
                    f"({format_setting(merged[key])} vs {format_setting(value)}); a factor's switch must be its own"
                )
            merged[key] = value
            owner[key] = factor.name
    return merged

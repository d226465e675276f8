"""Packaging that pyproject.toml cannot declare: the wheel ships the project's top-level
``scenarios/`` folder as the package data ``sim/scenarios/`` (mapped in pyproject.toml), so
that ``sim run historical`` works for someone who only installed the package.  Everything
else is declared in pyproject.toml."""

from setuptools import find_namespace_packages, setup

setup(packages=[*find_namespace_packages(include=["sim", "sim.*"], exclude=["*.__pycache__"]),
                "sim.scenarios"])

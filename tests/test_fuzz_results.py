"""Adversarial fuzzing of results folders, the way a careless or hostile sender would damage
them: each file truncated, garbled, replaced, given wrong types, deleted, swapped with another
run's, turned into a folder, a FIFO or a link to /dev/zero; the manifest optionally resealed
with fresh checksums (a forger), so that the checks behind the checksums are reached too.

Every reader then runs through ``sim.cli.main``: load, plot, report, reproduce, compare, trace
and resume.  Each must end with exit 0, or 2 and one ``error:`` line (``reproduce`` may also
answer 1: a row found different, or the model's own error, which it shows in full); never a
traceback of ours, never a hang (a per-case timeout), never a memory blow-up (the peak
resident size is checked after each case).

Case counts (derandomized, the suite's ``ci`` profile): :data:`READER_CASES` for the readers
that do not draw, :data:`FIGURE_CASES` for ``plot`` and ``report``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.cli import main
from sim.results import manifest_checksum, write_npz
from sim.results.io import file_sha256
from test_cli_run import TOY
from test_hardening_results import interrupted_run, run_toy

READER_CASES = 300
FIGURE_CASES = 8
#: Seconds a case may take before it counts as a hang.
CASE_TIMEOUT = 30
#: Growth of the peak resident size a case may cause.
MEMORY_GROWTH_MB = 400

RESULT_FILES = ["manifest.json", "runs.csv", "summary.json", "outcomes.npz", "series.npz",
                "runs.parquet", "ledger.jsonl", ".lock"]
#: What the figures read.
FIGURE_FILES = ["manifest.json", "summary.json", "outcomes.npz", "series.npz", "runs.parquet"]
RUN_FILES = ["manifest.json", "ledger.jsonl", "chunks/chunk-000000000000.csv",
             "chunks/chunk-000000000000.npz", "chunks/chunk-000000000100.npz", "chunks",
             ".lock"]


class CaseTimedOut(BaseException):
    """A case ran past :data:`CASE_TIMEOUT` (a BaseException: no handler of ours takes it)."""


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two complete runs that differ (seed and size) and one interrupted run."""
    base = tmp_path_factory.mktemp("fuzz")
    run_toy(base / "a", runs=200, seed=1)
    run_toy(base / "b", runs=300, seed=2)
    with pytest.MonkeyPatch.context() as patch:
        interrupted_run(base / "c", patch, runs=400, seed=3, after=2)
    return {"a": base / "a", "b": base / "b", "c": base / "c"}


# --------------------------------------------------------------------------------------
# damage
# --------------------------------------------------------------------------------------

odd_json = st.none() | st.booleans() | st.integers(-2, 3) | st.sampled_from(
    [10**30, -10**20, 1e308, -0.0, "", "x", "1", [], {}, [[[]]], {"a": None}]) | st.floats()


def _json_paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _json_paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value[:5]):
            yield from _json_paths(v, (*prefix, i))


def _set(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    value[path[0]] = _set(value[path[0]], path[1:], new)
    return value


@st.composite
def damage(draw: st.DrawFn, names: list[str]) -> tuple[str, str, Any]:
    """(file, how, details) for one piece of damage."""
    name = draw(st.sampled_from(names))
    how = draw(st.sampled_from(["truncate", "garble", "replace", "retype", "delete", "swap",
                                "folder", "fifo", "device", "empty"]))
    if how == "truncate":
        return name, how, draw(st.floats(0, 1))
    if how == "garble":
        return name, how, draw(st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=1,
                                                                          max_size=4)),
                                        min_size=1, max_size=4))
    if how == "replace":
        return name, how, draw(st.binary(max_size=200) | st.sampled_from(
            [b"PK\x03\x04" + bytes(40), b"\x93NUMPY\x01\x00v\x00{'descr': '<f8', "
             b"'fortran_order': False, 'shape': (1000000000000,), }\n", b"[" * 5000,
             b'{"format": 2}', b"replication\n" + b"1," * 5000]))
    if how == "retype":
        return name, how, (draw(st.integers(0, 10**6)), draw(odd_json),
                           draw(st.sampled_from(["dtype", "shape", "drop", "extra"])))
    return name, how, None


def _apply(folder: Path, other: Path, name: str, how: str, details: Any) -> None:
    """Damage ``folder/name`` (nothing when earlier damage made that impossible, e.g. the
    file's folder became a FIFO)."""
    with contextlib.suppress(OSError):
        _damage(folder / name, other / name, how, details)


def _damage(path: Path, other: Path, how: str, details: Any) -> None:
    if how in ("delete", "folder", "fifo", "device", "swap"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
        if how == "folder":
            path.mkdir(parents=True)
        elif how == "fifo":
            path.parent.mkdir(parents=True, exist_ok=True)
            os.mkfifo(path)
        elif how == "device":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.symlink_to("/dev/zero")
        elif how == "swap" and other.is_file():
            shutil.copyfile(other, path)
        return
    if not path.is_file() or path.is_symlink():
        return
    data = path.read_bytes()
    if how == "empty":
        path.write_bytes(b"")
    elif how == "truncate":
        path.write_bytes(data[: int(len(data) * details)])
    elif how == "garble":
        buf = bytearray(data)
        for where, junk in details:
            at = int(len(buf) * where)
            buf[at: at + len(junk)] = junk
        path.write_bytes(bytes(buf))
    elif how == "replace":
        path.write_bytes(details)
    else:
        _retype(path, data, *details)


def _retype_table(path: Path, pick: int, change: str) -> None:
    """Give one column of runs.parquet another type or length, drop it, or add one."""
    try:
        table = pq.read_table(path)
    except Exception:  # noqa: BLE001 - already damaged past retyping: leave it so
        return
    i = pick % table.num_columns
    column = table.column(i)
    if change == "dtype":
        table = table.set_column(i, table.field(i).name, column.cast(pa.string()))
    elif change == "shape":
        table = table.slice(0, max(0, table.num_rows - 1 - pick % 7))
    elif change == "drop":
        table = table.remove_column(i)
    else:
        table = table.append_column("extra", pa.array([1] * table.num_rows))
    pq.write_table(table, path)


def _retype(path: Path, data: bytes, pick: int, new: Any, change: str) -> None:
    """Give one value of a JSON file, or one member of an NPZ or column of a Parquet file,
    another type or shape."""
    if path.suffix == ".parquet":
        _retype_table(path, pick, change)
        return
    if path.suffix == ".npz":
        try:
            with np.load(path) as npz:
                arrays = {k: npz[k] for k in npz.files}
        except Exception:  # noqa: BLE001 - already damaged past retyping: leave it so
            return
        if not arrays:
            return
        key = sorted(arrays)[pick % len(arrays)]
        if change == "dtype":
            arrays[key] = arrays[key].astype(np.int8 if arrays[key].dtype != np.int8 else float)
        elif change == "shape":
            arrays[key] = arrays[key].reshape(-1)[: max(0, arrays[key].size - 1 - pick % 7)]
        elif change == "drop":
            del arrays[key]
        else:
            arrays["extra"] = np.arange(3)
        with open(path, "wb") as f:
            write_npz(f, arrays)
        return
    try:
        value = json.loads(data)
    except ValueError:
        return
    paths = list(_json_paths(value))
    where = paths[pick % len(paths)]
    path.write_text(json.dumps(_set(value, where, new)))


def _reseal(folder: Path) -> None:
    """Recompute the manifest's checksums after the damage, as a forger would."""
    path = folder / "manifest.json"
    if not path.is_file() or path.is_symlink():
        return  # not a manifest any more (and a FIFO would block the reading)
    try:
        manifest = json.loads(path.read_text())
        files = manifest.get("files")
        if isinstance(files, dict):
            manifest["files"] = {n: file_sha256(folder / n) if (folder / n).is_file() else h
                                 for n, h in files.items()}
        manifest["checksum"] = manifest_checksum(manifest)
        path.write_text(json.dumps(manifest))
    except (ValueError, TypeError, AttributeError, RecursionError):
        pass  # not a manifest any more: nothing to reseal


# --------------------------------------------------------------------------------------
# running a reader
# --------------------------------------------------------------------------------------

@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise CaseTimedOut(f"a case took over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_reader(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            time_limit(CASE_TIMEOUT):
        try:
            main(argv)
            code = 0
        except SystemExit as exc:
            code = 0 if exc.code is None else int(exc.code)
    return code, out.getvalue(), err.getvalue()


def check_outcome(reader: str, code: int, stdout: str, stderr: str) -> None:
    if code == 1 and reader == "reproduce":
        assert "DIFFERENT" in stdout or "no stored row" in stdout or \
            stderr.startswith("replication 3 raised"), (stdout, stderr)
        return
    assert "Traceback" not in stderr, stderr
    assert code in (0, 2), (code, stderr)
    if code == 2:
        lines = stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), stderr


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fuzz_case(folders: dict[str, Path], source: str, damages: list[tuple[str, str, Any]],
              reseal: bool, reader: str, argv_of: Callable[[Path, Path], list[str]]) -> None:
    """Copy the folder, damage it, run the reader on it, check the answer."""
    before = _peak_mb()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(shutil.copytree(folders[source], Path(tmp) / "run"))
        other = folders["b" if source != "b" else "a"]
        for name, how, details in damages:
            _apply(folder, other, name, how, details)
        if reseal:
            _reseal(folder)
        code, stdout, stderr = run_reader(argv_of(folder, other))
        check_outcome(reader, code, stdout, stderr)
    assert _peak_mb() - before < MEMORY_GROWTH_MB


READERS: dict[str, Callable[[Path, Path], list[str]]] = {
    # compare writes its tables (into a scratch folder beside the folders, replaced each time)
    "load": lambda f, o: ["compare", str(f), str(f), "--out", str(f.parent / "cmp"), "--force",
                          "--no-plots"],
    "reproduce": lambda f, o: ["reproduce", str(f), "--replication", "3", "--model", TOY],
    "compare": lambda f, o: ["compare", str(o), str(f), "--out", str(f.parent / "cmp"),
                             "--force", "--no-plots"],
    "trace": lambda f, o: ["trace", str(f), "--replication", "3", "--model", TOY],
    "resume": lambda f, o: ["run", "--resume", str(f), "--model", TOY, "--quiet"],
}
FIGURES: dict[str, Callable[[Path, Path], list[str]]] = {
    "plot": lambda f, o: ["plot", str(f), "--format", "png"],
    "report": lambda f, o: ["report", str(f)],
}


@settings(max_examples=READER_CASES)
@given(data=st.data())
@pytest.mark.timeout(900)
def test_damaged_folders_never_crash_a_reader(folders: dict[str, Path],
                                              data: st.DataObject) -> None:
    source = data.draw(st.sampled_from(["a", "c"]), label="folder")
    names = RESULT_FILES if source == "a" else RUN_FILES
    damages = data.draw(st.lists(damage(names), min_size=1, max_size=3), label="damage")
    reseal = data.draw(st.booleans(), label="reseal")
    reader = data.draw(st.sampled_from(sorted(READERS)), label="reader")
    fuzz_case(folders, source, damages, reseal, reader, READERS[reader])


@settings(max_examples=FIGURE_CASES)
@given(data=st.data())
@pytest.mark.timeout(900)
def test_damaged_folders_never_crash_plot_or_report(folders: dict[str, Path],
                                                    data: st.DataObject) -> None:
    """Fewer cases: a folder that is still valid after its damage is drawn in full."""
    damages = data.draw(st.lists(damage(FIGURE_FILES), min_size=1, max_size=2), label="damage")
    reseal = data.draw(st.booleans(), label="reseal")
    reader = data.draw(st.sampled_from(sorted(FIGURES)), label="reader")
    fuzz_case(folders, "a", damages, reseal, reader, FIGURES[reader])


def test_the_damage_strategies_reach_every_check(folders: dict[str, Path]) -> None:
    """The fuzzer's damage does reach past the checksums to the schemas (a sanity check of
    the strategies themselves, on fixed cases)."""
    for name, how, details, message in [
        ("manifest.json", "retype", (5, "x", "dtype"), "manifest.json `"),
        ("outcomes.npz", "retype", (0, None, "shape"), "outcomes.npz `"),
        ("summary.json", "retype", (3, [], "dtype"), "summary.json is not a summary"),
        ("runs.parquet", "retype", (4, None, "dtype"), "runs.parquet does not have the"),
        ("runs.parquet", "retype", (4, None, "shape"), "runs.parquet holds 195 rows"),
    ]:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(shutil.copytree(folders["a"], Path(tmp) / "run"))
            _apply(folder, folders["b"], name, how, details)
            _reseal(folder)
            code, _, stderr = run_reader(READERS["load"](folder, folders["b"]))
            assert code == 2 and message in stderr, stderr

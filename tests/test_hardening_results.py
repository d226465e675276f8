"""Results folders against hostile or careless use (issue 13, items 1, 2, 9, 10, 11, 12): one
writer at a time, a folder is data and never code, damage is one line, a failing disk keeps
what it can and says how to go on, option abuse is refused up front, nothing is left behind.
"""

from __future__ import annotations

import builtins
import errno
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sim import engine
from sim.errors import ResultsError
from sim.results import (
    ChunkLedger, FolderLock, Results, load_results, manifest_checksum,
)
from sim.cli import main
from test_cli_run import TOY, call
from test_engine import toy_model, toy_scenario_on_registry
from test_resume import FILES, ledger_lines, sim_cmd, sim_env, write_scenario

SLOW = "test_engine:slow_toy_model"


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------

def run_toy(out: Path, runs: int = 300, seed: int = 5, **options: object) -> Results:
    return engine.run(toy_scenario_on_registry(), runs=runs, seed=seed, workers=1, out=out,
                      model=toy_model, progress=False, plots=False, chunk_size=100,
                      **options)  # type: ignore[arg-type]


def interrupted_run(out: Path, monkeypatch: pytest.MonkeyPatch, *, runs: int = 600,
                    seed: int = 5, after: int = 3, **options: object) -> None:
    """A folder run stopped by Ctrl-C after ``after`` chunks, as a user would leave it."""
    real_record = ChunkLedger.record
    calls = {"n": 0}

    def record_then_interrupt(self: ChunkLedger, chunk: object) -> object:
        calls["n"] += 1
        if calls["n"] > after:
            raise KeyboardInterrupt
        return real_record(self, chunk)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(ChunkLedger, "record", record_then_interrupt)
        with pytest.raises(engine.RunInterrupted):
            run_toy(out, runs=runs, seed=seed, **options)


def edit_manifest(folder: Path, edit: Callable[[dict], object], *, reseal: bool) -> None:
    """Change the manifest; ``reseal`` recomputes its checksum (what a careful forger, or a
    bug, would do), so that the schema behind the checksum is what is tested."""
    data = json.loads((folder / "manifest.json").read_text())
    edit(data)
    if reseal:
        data["checksum"] = manifest_checksum(data)
    (folder / "manifest.json").write_text(json.dumps(data))


def reseal_files(folder: Path) -> None:
    """Record the files' current checksums in the manifest, as a forger would."""
    from sim.results.io import file_sha256

    def update(m: dict) -> None:
        m["files"] = {n: file_sha256(folder / n) if (folder / n).is_file() else h
                      for n, h in m["files"].items()}
    edit_manifest(folder, update, reseal=True)


def one_line(code: int, err: str, *fragments: str) -> None:
    """Exit 2 with exactly one `error: ...` line holding every fragment, no traceback."""
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    for fragment in fragments:
        assert fragment in err, (fragment, err)


def same_files(a: Path, b: Path) -> None:
    for name in FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def leftovers(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if ".tmp-" in p.name)


@pytest.fixture(scope="module")
def complete(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hardening") / "done"
    run_toy(out)
    return out


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What :func:`interrupted_run` gives when it is not interrupted."""
    out = tmp_path_factory.mktemp("hardening") / "clean"
    run_toy(out, runs=600)
    return out


@pytest.fixture()
def done(complete: Path, tmp_path: Path) -> Path:
    """A private copy of a complete results folder."""
    return Path(shutil.copytree(complete, tmp_path / "done"))


# --------------------------------------------------------------------------------------
# 1. one writer at a time: the lock covers the folder a run writes or replaces
# --------------------------------------------------------------------------------------

def test_force_is_refused_while_another_run_writes_the_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 13.1: a --force run started while a run writes DIR used to swap DIR away under
    it (the first run died with FileNotFoundError, DIR mixed two runs)."""
    scenario = write_scenario(tmp_path)
    out = tmp_path / "conc2"
    first = subprocess.Popen(
        sim_cmd("run", str(scenario), "--runs", "1500", "--seed", "7", "--workers", "1",
                "--chunk-size", "100", "--out", str(out), "--quiet", "--no-plots",
                "--model", SLOW), env=sim_env(), cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while ledger_lines(out) < 1:
            assert first.poll() is None and time.monotonic() < deadline, first.communicate()
            time.sleep(0.02)
        code, _, err = call(["run", str(scenario), "--runs", "200", "--seed", "9",
                             "--workers", "1", "--out", str(out), "--force", "--quiet",
                             "--no-plots", "--model", TOY], capsys)
        one_line(code, err, f"{out} is being written by another process",
                 f"process {first.pid}", "`sim run`", "started ")
    finally:
        _, first_err = first.communicate(timeout=120)
    assert first.returncode == 0, first_err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 7 and manifest["status"] == "complete"
    assert not (tmp_path / "conc2.partial").exists()
    code, stdout, _ = call(["reproduce", str(out), "-r", "1234", "--model", SLOW], capsys)
    assert code == 0 and "identical" in stdout


def test_every_writer_is_refused_while_the_folder_is_held(
        done: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    scenario = write_scenario(tmp_path)
    stopped = tmp_path / "stopped"
    interrupted_run(stopped, monkeypatch)
    for folder, argv in [
        (done, ["run", str(scenario), "--runs", "100", "--out", str(done), "--force",
                "--model", TOY, "--workers", "1", "--quiet", "--no-plots"]),
        (stopped, ["run", "--resume", str(stopped), "--model", TOY, "--quiet"]),
        (done, ["plot", str(done), "--format", "png"]),
        (done, ["report", str(done)]),
    ]:
        with FolderLock(folder, "a test holding it"):
            code, _, err = call(argv, capsys)
        one_line(code, err, "is being written by another process", f"process {os.getpid()}",
                 "`a test holding it`")
    before = (done / "runs.csv").read_bytes()
    with FolderLock(done, "a test holding it"):
        with pytest.raises(ResultsError, match="being written by another process"):
            load_results(done).write(done, force=True, plots=False)
    assert (done / "runs.csv").read_bytes() == before
    # the folder a --force run builds in (DIR.partial) is held as well
    (tmp_path / "done.partial").mkdir()
    with FolderLock(tmp_path / "done.partial", "a test holding it"):
        code, _, err = call(["run", str(scenario), "--runs", "100", "--out", str(done),
                             "--force", "--model", TOY, "--workers", "1", "--quiet",
                             "--no-plots"], capsys)
    one_line(code, err, "done.partial is being written by another process")


def test_a_stale_lock_of_a_dead_process_is_taken_over(
        clean: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    stopped = tmp_path / "stopped"
    interrupted_run(stopped, monkeypatch)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from sim.results import FolderLock; FolderLock(Path(sys.argv[1]), 'sim run').acquire();"
         " print('held', flush=True); time.sleep(60)", str(stopped)],
        env=sim_env(), stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    code, _, err = call(["run", "--resume", str(stopped), "--model", TOY, "--quiet"], capsys)
    one_line(code, err, f"process {holder.pid}")
    holder.kill()  # as kill -9 would: its lock file stays, naming a process that is gone
    holder.wait()
    assert json.loads((stopped / ".lock").read_text())["pid"] == holder.pid
    code, _, err = call(["run", "--resume", str(stopped), "--model", TOY, "--quiet"], capsys)
    assert code == 0, err
    assert not (stopped / ".lock").exists()
    same_files(stopped, clean)


def test_resuming_a_partial_holds_and_replaces_only_its_sibling(
        done: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    partial = tmp_path / "done.partial"
    interrupted_run(done, monkeypatch, seed=8, force=True)
    manifest = json.loads((partial / "manifest.json").read_text())
    assert manifest["status"] == "interrupted" and manifest["target"] == str(done)
    assert json.loads((done / "manifest.json").read_text())["seed"] == 5  # untouched
    with FolderLock(done, "a test holding it"):
        code, _, err = call(["run", "--resume", str(partial), "--model", TOY, "--quiet"],
                            capsys)
    one_line(code, err, f"{done} is being written by another process")
    # a partial's manifest cannot make the resume replace any other folder
    elsewhere = tmp_path / "precious"
    shutil.copytree(done, elsewhere)
    edit_manifest(partial, lambda m: m.update(target=str(elsewhere)), reseal=True)
    code, _, err = call(["run", "--resume", str(partial), "--model", TOY, "--quiet"], capsys)
    one_line(code, err, "`target`", "is built beside it as FOLDER.partial")
    edit_manifest(partial, lambda m: m.update(target=str(done)), reseal=True)
    code, _, err = call(["run", "--resume", str(partial), "--model", TOY, "--quiet"], capsys)
    assert code == 0, err
    assert json.loads((done / "manifest.json").read_text())["seed"] == 8
    assert not partial.exists() and (elsewhere / "runs.csv").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".done.")]


# --------------------------------------------------------------------------------------
# 2. a results folder is data, never code
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("reader", ["resume", "reproduce", "trace"])
def test_a_folder_never_chooses_the_code_that_runs(
        reader: str, done: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 13.2: `"model": "os:system"` in a manifest had os.system called on --resume and
    reproduce."""
    folder = done
    if reader == "resume":
        folder = tmp_path / "stopped"
        interrupted_run(folder, monkeypatch)
    edit_manifest(folder, lambda m: m.update(model="os:system"), reseal=True)
    called: list[object] = []
    monkeypatch.setattr(os, "system", lambda *args: called.append(args))
    argv = {"resume": ["run", "--resume", str(folder), "--quiet"],
            "reproduce": ["reproduce", str(folder), "--replication", "3"],
            "trace": ["trace", str(folder), "--replication", "3"]}[reader]
    code, _, err = call(argv, capsys)
    one_line(code, err, "was run with the model `os:system`",
             "a results folder never chooses the code that runs")
    code, _, err = call([*argv, "--model", TOY], capsys)
    one_line(code, err, f"--model {TOY}:", "expected the same model")
    assert called == []


def test_the_model_is_named_by_whoever_runs_it(done: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = call(["reproduce", str(done), "-r", "3"], capsys)
    one_line(code, err, f"was run with the model `{TOY}`", f"--model {TOY}")
    code, stdout, _ = call(["reproduce", str(done), "-r", "3", "--model", TOY], capsys)
    assert code == 0 and "identical" in stdout
    code, stdout, err = call(["trace", str(done), "--replication", "3", "--model", TOY],
                             capsys)
    assert code == 0 and stdout.startswith("Replication 3 of 'toy'"), err


# --------------------------------------------------------------------------------------
# 9. damaged or edited folders: one line naming the folder, the file and what is wrong
# --------------------------------------------------------------------------------------

def _readers(folder: Path, other: Path) -> dict[str, list[str]]:
    return {
        "plot": ["plot", str(folder), "--format", "png", "--out", str(folder.parent / "figs")],
        "report": ["report", str(folder), "--out", str(folder.parent / "r.html")],
        "reproduce": ["reproduce", str(folder), "--replication", "3", "--model", TOY],
        "compare": ["compare", str(other), str(folder)],
        "trace": ["trace", str(folder), "--replication", "3", "--model", TOY],
        "resume": ["run", "--resume", str(folder), "--model", TOY, "--quiet"],
    }


def _bytes(edit: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / "manifest.json"
        path.write_bytes(edit(path.read_bytes()))
    return apply


def _field(**changes: object) -> Callable[[Path], None]:
    return lambda folder: edit_manifest(folder, lambda m: m.update(changes), reseal=False)


def _forged(**changes: object) -> Callable[[Path], None]:
    return lambda folder: edit_manifest(folder, lambda m: m.update(changes), reseal=True)


MANIFEST_DAMAGE = {
    "not UTF-8": (_bytes(lambda b: b"\xff\xfe" + b), "manifest.json is not UTF-8 text"),
    "truncated": (_bytes(lambda b: b[:100]), "manifest.json is not JSON"),
    "a JSON list": (_bytes(lambda b: b"[1, 2]"), "manifest.json holds a JSON list"),
    "entropy as text": (_field(entropy="5"), "`entropy`: input should be a valid integer"),
    "runs_requested as text": (_field(runs_requested="300"), "`runs_requested`"),
    "chunk_size as text": (_field(chunk_size="100"), "`chunk_size`"),
    "chunk_size 0": (_forged(chunk_size=0), "`chunk_size`: input should be greater than"),
    "runs_requested -1": (_forged(runs_requested=-1), "`runs_requested`"),
    "entropy edited": (_field(entropy=6, seed=6), "does not match its checksum"),
    "entropy forged": (_forged(entropy=6), "`entropy` 6 is not the root entropy of seed 5"),
    "a folder": (lambda f: ((f / "manifest.json").unlink(), (f / "manifest.json").mkdir()),
                 "manifest.json is not a regular file"),
}


@pytest.mark.parametrize("damage", MANIFEST_DAMAGE)
def test_a_damaged_manifest_is_one_line_for_every_reader(
        damage: str, complete: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 13.9: 43 tracebacks in 140 tries, and two edits silently accepted."""
    edit, message = MANIFEST_DAMAGE[damage]
    folder = Path(shutil.copytree(complete, tmp_path / "broken"))
    edit(folder)
    for reader, argv in _readers(folder, complete).items():
        code, _, err = call(argv, capsys)
        one_line(code, err, f"{folder} is not a valid results folder: ", message)


def test_edited_counts_and_entropy_no_longer_resume_silently(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """`runs_requested: -1` marked a part of the rows complete and an edited `entropy` mixed
    two random streams; both resumed with exit 0."""
    for edit, message in [(_field(runs_requested=-1), "`runs_requested`"),
                          (_field(entropy=6, seed=6), "does not match its checksum"),
                          (_forged(entropy=6), "is not the root entropy")]:
        folder = tmp_path / "stopped"
        shutil.rmtree(folder, ignore_errors=True)
        interrupted_run(folder, monkeypatch)
        edit(folder)
        code, _, err = call(["run", "--resume", str(folder), "--model", TOY, "--quiet"], capsys)
        one_line(code, err, message)
        assert not (folder / "runs.csv").exists()


@pytest.mark.parametrize("name", ["outcomes.npz", "series.npz", "summary.json", "runs.csv",
                                  "runs.parquet"])
@pytest.mark.parametrize("forged", [False, True], ids=["garbage", "garbage-resealed"])
def test_a_damaged_results_file_is_one_line_for_every_reader(
        name: str, forged: bool, complete: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = Path(shutil.copytree(complete, tmp_path / "broken"))
    if name == "runs.csv":  # read only when outcomes.npz and runs.parquet are missing
        (folder / "outcomes.npz").unlink()
        (folder / "runs.parquet").unlink()
    (folder / name).write_bytes(b"PK\x03\x04 not what it should be \xff\n" * 20)
    if forged:
        reseal_files(folder)
    message = {False: f"{name} does not match its checksum",
               True: {"outcomes.npz": "outcomes.npz is not a readable NPZ archive",
                      "series.npz": "series.npz is not a readable NPZ archive",
                      "summary.json": "summary.json is not a summary of this version",
                      "runs.csv": "runs.csv",
                      "runs.parquet": "runs.parquet is not a readable Parquet file"}[name]}[forged]
    for reader, argv in _readers(folder, complete).items():
        if reader in ("reproduce", "resume"):
            continue  # they do not read the results files: below
        code, _, err = call(argv, capsys)
        one_line(code, err, f"{folder} is not a valid results folder: ", message)
    code, stdout, err = call(_readers(folder, complete)["reproduce"], capsys)
    assert code in (0, 1) and "Traceback" not in err  # a damaged row is shown as different
    assert ("identical" in stdout) == (name != "runs.csv")


def test_a_resealed_manifest_cannot_make_a_reader_allocate_or_crash(
        complete: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Counts and codes that the checksums agree with but the files do not."""
    import numpy as np

    from sim.results import write_npz

    for label, edit, message in [
        ("more runs", _forged(runs_completed=10**12, runs_requested=10**12), "outcomes.npz"),
        ("category codes", None, "holds code 99, which is no category"),
    ]:
        folder = Path(shutil.copytree(complete, tmp_path / label.replace(" ", "-")))
        if edit is not None:
            edit(folder)
        else:
            with np.load(folder / "outcomes.npz") as data:
                arrays = {k: data[k] for k in data.files}
            arrays["decision"] = np.full_like(arrays["decision"], 99)
            with open(folder / "outcomes.npz", "wb") as f:
                write_npz(f, arrays)
            reseal_files(folder)
        code, _, err = call(["plot", str(folder), "--format", "png", "--out",
                             str(tmp_path / "figs")], capsys)
        one_line(code, err, "is not a valid results folder", message)


def test_a_damaged_ledger_only_costs_recomputation(
        clean: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Ledger lines that are not UTF-8 (or torn, or not entries), missing chunks: the resume
    redoes those chunks and gives the uninterrupted run's files, byte for byte."""
    for damage in ("not UTF-8", "not entries", "chunks missing", "chunk changed"):
        folder = tmp_path / "stopped"
        shutil.rmtree(folder, ignore_errors=True)
        interrupted_run(folder, monkeypatch)
        ledger = folder / "ledger.jsonl"
        lines = ledger.read_bytes().splitlines(keepends=True)
        if damage == "not UTF-8":
            ledger.write_bytes(lines[0] + b"\xff\xfe{\"start\": 100}\n" + b"".join(lines[1:])
                               + b"\x80torn")
        elif damage == "not entries":
            ledger.write_bytes(b'{"start": 0, "stop": -5}\n[]\n"x"\n' + b"".join(lines[1:])
                               + b'{"start": 100, "stop": 700, "completed": 600}\n')
        elif damage == "chunks missing":
            shutil.rmtree(folder / "chunks")
        else:
            (folder / "chunks" / "chunk-000000000100.csv").write_text("100,edited\n")
        code, _, err = call(["run", "--resume", str(folder), "--model", TOY, "--quiet"], capsys)
        assert code == 0, (damage, err)
        same_files(folder, clean)
        assert not (folder / "chunks").exists()


@pytest.mark.parametrize("damage, message", [
    ("chunks a file", "chunks is not a folder"),
    (".lock a folder", ".lock is not a file"),
    (".lock a link", ".lock is not a file"),
])
def test_a_folder_that_cannot_be_written_safely_is_refused(
        damage: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "stopped"
    interrupted_run(folder, monkeypatch)
    if damage == "chunks a file":
        shutil.rmtree(folder / "chunks")
        (folder / "chunks").write_text("x")
    elif damage == ".lock a folder":
        (folder / ".lock").mkdir()
    else:
        (folder / ".lock").symlink_to("/dev/zero")
    code, _, err = call(["run", "--resume", str(folder), "--model", TOY, "--quiet"], capsys)
    one_line(code, err, f"{folder} is not a valid results folder: {message}")


def test_a_torn_ledger_line_does_not_swallow_the_next_entry(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run killed mid-line leaves a line without its end; the next entry used to be
    appended to it, so that the resumed run's first chunk was lost again."""
    folder = tmp_path / "stopped"
    interrupted_run(folder, monkeypatch)
    ledger = ChunkLedger(folder)
    ledger.path.write_bytes(ledger.path.read_bytes() + b'{"start": 300, "sto')
    payload = engine.Payload.for_scenarios([toy_scenario_on_registry()], TOY,
                                           engine.root_entropy(5), 5, False)
    ledger.record(engine.compute_chunk(payload, 0, 300, 400))
    assert sorted(ledger.entries(runs=600, chunk_size=100)) == [0, 100, 200, 300]


# --------------------------------------------------------------------------------------
# 10 and 12. read-only and full disks: one line, what was kept, how to go on; no leftovers
# --------------------------------------------------------------------------------------

class FaultyDisk:
    """The file system under ``root`` refuses every write with ``code`` (ENOSPC: full,
    EROFS: read-only) once ``budget`` writes went through: opening a file to write, creating
    a file or folder, renaming, flushing to disk.  Root ignores file permissions, so faults
    are injected rather than made with chmod."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, root: Path, code: int,
                 budget: int = 0) -> None:
        self.root, self.code, self.budget = str(root), code, budget
        real_open, real_os_open = builtins.open, os.open
        real_replace, real_mkdir, real_fsync = os.replace, os.mkdir, os.fsync

        def open_(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
            if any(c in mode for c in "wax+"):
                self.spend(file)
            return real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]

        def os_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
            if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
                self.spend(path)
            return real_os_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

        def replace(src: object, dst: object, **kwargs: object) -> None:
            self.spend(dst)
            real_replace(src, dst, **kwargs)  # type: ignore[arg-type]

        def mkdir(path: object, *args: object, **kwargs: object) -> None:
            self.spend(path)
            real_mkdir(path, *args, **kwargs)  # type: ignore[arg-type]

        def fsync(fd: int) -> None:
            if self.budget < 0:
                raise OSError(self.code, os.strerror(self.code))
            real_fsync(fd)

        for module in (builtins, io):
            monkeypatch.setattr(module, "open", open_)
        for name, fake in (("open", os_open), ("replace", replace), ("mkdir", mkdir),
                           ("fsync", fsync)):
            monkeypatch.setattr(os, name, fake)

    def spend(self, path: object) -> None:
        if isinstance(path, (str, os.PathLike)) and os.fspath(path).startswith(self.root):
            self.budget -= 1
            if self.budget < 0:
                raise OSError(self.code, os.strerror(self.code), os.fspath(path))


RESUME = re.compile(r"`sim (run --resume [^`]+)`")
REMEDIES = {errno.ENOSPC: "once there is room on the disk",
            errno.EROFS: "once the file system is writable"}


@pytest.fixture(scope="module")
def toy_cli_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], Path]:
    """The command line of a small run, and the folder it gives when nothing goes wrong."""
    tmp = tmp_path_factory.mktemp("clean")
    argv = ["run", str(write_scenario(tmp)), "--runs", "400", "--seed", "5", "--workers", "1",
            "--chunk-size", "100", "--model", TOY, "--quiet", "--no-plots", "--out"]
    with pytest.raises(SystemExit) as done:
        main([*argv, str(tmp / "clean")])
    assert done.value.code in (0, None)
    return argv, tmp / "clean"


@pytest.mark.parametrize("code, budget", [
    (errno.ENOSPC, 0), (errno.ENOSPC, 1), (errno.ENOSPC, 3), (errno.ENOSPC, 5),
    (errno.ENOSPC, 11), (errno.ENOSPC, 19), (errno.ENOSPC, 28), (errno.EROFS, 3),
    (errno.EROFS, 28)])
def test_a_failing_disk_keeps_what_it_can_and_says_how_to_go_on(
        code: int, budget: int, toy_cli_run: tuple[list[str], Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 13.10 and 13.12: tracebacks from run and resume, a 0-byte .manifest.json.tmp-PID
    left behind, and temporary files left in the folder a later --resume finished.  The
    budget is the number of writes the disk allows: the first folder, its lock, the
    manifest, the chunks, the last files."""
    argv, clean = toy_cli_run
    out = tmp_path / "r"
    with monkeypatch.context() as patch:
        FaultyDisk(patch, tmp_path, code, budget)
        status, _, err = call([*argv, str(out)], capsys)
    one_line(status, err, os.strerror(code))
    if not out.exists():
        assert "nothing was written" in err
        return
    assert leftovers(out) == [] and not (out / ".lock").exists()
    command = RESUME.search(err)
    assert command is not None and REMEDIES[code] in err, err
    assert call(command.group(1).split(), capsys)[0] == 0
    assert leftovers(out) == [] and sorted(p.name for p in out.iterdir()) == [
        "ledger.jsonl", "manifest.json", "outcomes.npz", "runs.csv", "runs.parquet",
        "series.npz", "summary.json"]
    same_files(out, clean)


@pytest.mark.parametrize("budget", [0, 3, 12])
def test_a_failing_disk_during_force_leaves_the_old_results_alone(
        budget: int, done: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    scenario = write_scenario(tmp_path)
    before = {p.name: p.read_bytes() for p in done.iterdir()}
    with monkeypatch.context() as patch:
        FaultyDisk(patch, tmp_path, errno.ENOSPC, budget)
        code, _, err = call(["run", str(scenario), "--runs", "600", "--seed", "8",
                             "--workers", "1", "--chunk-size", "100", "--out", str(done),
                             "--force", "--model", TOY, "--quiet", "--no-plots"], capsys)
    one_line(code, err, "No space left on device")
    assert {p.name: p.read_bytes() for p in done.iterdir()} == before
    partial = tmp_path / "done.partial"
    assert not partial.exists() or leftovers(partial) == []
    command = RESUME.search(err)
    if command is not None:  # the new run was kept beside the old results: finish it
        assert call(command.group(1).split(), capsys)[0] == 0
        assert json.loads((done / "manifest.json").read_text())["seed"] == 8


def test_a_failing_disk_during_resume_and_at_the_last_files(
        clean: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    for budget in (2, 6, 40):
        out = tmp_path / "stopped"
        shutil.rmtree(out, ignore_errors=True)
        interrupted_run(out, monkeypatch, after=2)
        with monkeypatch.context() as patch:
            disk = FaultyDisk(patch, tmp_path, errno.ENOSPC, budget)
            code, _, err = call(["run", "--resume", str(out), "--model", TOY, "--quiet"],
                                capsys)
        if disk.budget >= 0:  # the resume needed fewer writes than the disk allowed
            assert code == 0, err
        else:
            one_line(code, err, "No space left on device", f"in {out}")
            assert leftovers(out) == []
            command = RESUME.search(err)
            assert command is not None, err
            assert call(command.group(1).split(), capsys)[0] == 0, err
        same_files(out, clean)
        assert leftovers(out) == []


@pytest.mark.parametrize("command, code, budget", [
    ("plot", errno.EROFS, 0), ("plot", errno.ENOSPC, 1), ("report", errno.EROFS, 0),
    ("report", errno.ENOSPC, 1)])
def test_plot_and_report_on_a_failing_disk(
        command: str, code: int, budget: int, done: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Refused at the folder's lock (budget 0), or at the first figure or the report."""
    before = {p.name: p.read_bytes() for p in done.iterdir() if p.is_file()}
    argv = [command, str(done)] + (["--format", "png"] if command == "plot" else [])
    # what is tested is the writing: a page of the report's size, without drawing it
    monkeypatch.setattr("sim.report.build_report", lambda results, title: "<p>x</p>" * 50_000)
    with monkeypatch.context() as patch:
        FaultyDisk(patch, tmp_path, code, budget)
        status, _, err = call(argv, capsys)
    one_line(status, err, os.strerror(code), f"the results in {done} are unchanged",
             "write elsewhere with --out")
    assert {p.name: p.read_bytes() for p in done.iterdir() if p.is_file()} == before
    assert leftovers(done) == [] and not (done / "report.html").exists()


def test_resume_removes_what_dead_writers_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 13.12: after kill -9 or a full disk then a successful --resume, the finished
    folder kept .outcomes.npz.tmp-PID (1.4 MB), .series.npz.tmp-PID, .manifest.json.tmp-PID."""
    out = tmp_path / "stopped"
    interrupted_run(out, monkeypatch)
    for name in (".outcomes.npz.tmp-4242", ".series.npz.tmp-4242", ".manifest.json.tmp-17",
                 "chunks/.chunk-000000000300.npz.tmp-4242"):
        (out / name).write_bytes(b"x" * 1000)
    (out / "notes.tmp-1").write_text("not ours: kept")
    assert call(["run", "--resume", str(out), "--model", TOY, "--quiet"], capsys)[0] == 0
    assert leftovers(out) == ["notes.tmp-1"]


# --------------------------------------------------------------------------------------
# 11. option abuse for run and resume
# --------------------------------------------------------------------------------------

def test_a_run_too_big_for_memory_is_refused_up_front(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--runs 1000000000000` ended in an ArrayMemoryError traceback (7.28 TiB)."""
    scenario = write_scenario(tmp_path)
    for argv in (["run", str(scenario), "--runs", "1000000000000", "--out", str(tmp_path / "r")],
                 ["run", str(scenario), "--precision", "0.0001", "--max-runs",
                  "1000000000000", "--out", str(tmp_path / "r")],
                 ["compare", str(scenario), str(scenario), "--runs", "1000000000000"]):
        code, _, err = call(argv, capsys)
        one_line(code, err, "1,000,000,000,000: a run this size needs about", "of memory",
                 "expected at most about")
    assert not (tmp_path / "r").exists()


def test_an_out_folder_inside_a_file_is_one_line(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """`--out scenarios/historical.yaml/sub` ended in NotADirectoryError."""
    scenario = write_scenario(tmp_path)
    for out, message in [(f"{scenario}/sub", f"{scenario} is a file, not a folder"),
                         (f"{tmp_path}/{'x' * 300}", "File name too long")]:
        code, _, err = call(["run", str(scenario), "--runs", "100", "--out", out], capsys)
        one_line(code, err, message, "choose another --out")


def test_a_scheduler_that_is_not_an_address_is_refused_at_once(tmp_path: Path) -> None:
    """`--scheduler 'not a url'` printed the error, then 40 s later a Client.__del__
    TimeoutError traceback."""
    pytest.importorskip("distributed")
    scenario = write_scenario(tmp_path)
    started = time.monotonic()
    done = subprocess.run(sim_cmd("run", str(scenario), "--runs", "100", "--out",
                                  str(tmp_path / "r"), "--scheduler", "not a url"),
                          env=sim_env(), capture_output=True, text=True, timeout=60)
    one_line(done.returncode, done.stderr, "--scheduler not a url: missing port number",
             "tcp://10.0.0.5:8786")
    assert time.monotonic() - started < 30 and not (tmp_path / "r").exists()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's SigIgn")
def test_the_fork_server_and_its_workers_ignore_ctrl_c() -> None:
    """Ctrl-C reaches the whole process group: a fork server still importing its preloads
    died of it with a traceback (and the pool's starting thread with EOFError).  It starts
    with Ctrl-C blocked, and ignores it once started."""
    from multiprocessing import forkserver

    from sim.engine.executors import process_context

    process_context()
    pid = forkserver._forkserver._forkserver_pid  # type: ignore[attr-defined]
    masks = {ln.split(":")[0]: int(ln.split()[1], 16)
             for ln in Path(f"/proc/{pid}/status").read_text().splitlines()
             if ln.startswith(("SigBlk", "SigIgn"))}
    assert (masks["SigBlk"] | masks["SigIgn"]) & (1 << (signal.SIGINT - 1))


def test_stopping_a_pool_with_chunks_in_flight_leaves_no_thread_traceback() -> None:
    """A future cancelled behind the pool's back made its manager thread raise
    InvalidStateError (CANCELLED) when the stopped pool was marked broken."""
    from sim.engine.executors import ProcessExecutor

    failures: list[object] = []
    previous = threading.excepthook
    threading.excepthook = failures.append
    try:
        for _ in range(3):
            payload = engine.Payload.for_scenarios([toy_scenario_on_registry()], SLOW, 1, 1,
                                                   False)
            pool = ProcessExecutor(payload, 2)
            chunks = pool.run([(0, start, start + 100) for start in range(0, 4000, 100)])
            next(chunks)
            chunks.close()
            pool.close(cancel=True)
    finally:
        threading.excepthook = previous
    assert failures == []


def ctrl_c_once(proc: subprocess.Popen[str], ready: Callable[[], bool], *, poll: float,
                then: float = 0.0) -> str:
    """Ctrl-C to ``proc``'s process group ``then`` seconds after ``ready()`` (looked at every
    ``poll`` seconds); its stderr once it has exited (killed if it does not within a minute)."""
    try:
        deadline = time.monotonic() + 60
        while not ready():
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(poll)
        time.sleep(then)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return err


def test_a_ctrl_c_cpython_drops_still_stops_the_run(tmp_path: Path) -> None:
    """A KeyboardInterrupt raised where CPython cannot raise it (a __del__, the import
    system's weakref callbacks) is printed as "Exception ignored" and dropped: the run went
    on and exited 0.  Now the next chunk stops it, with the one line of any Ctrl-C."""
    scenario = write_scenario(tmp_path)
    out = tmp_path / "r"
    proc = subprocess.run(
        sim_cmd("run", str(scenario), "--runs", "400", "--seed", "1", "--workers", "1",
                "--chunk-size", "100", "--out", str(out), "--quiet", "--no-plots",
                "--model", "test_engine:ctrl_c_dropped_toy_model"),
        env=sim_env(), cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 130, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "run interrupted" in proc.stderr and "Exception ignored" not in proc.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    assert ledger_lines(out) < 4


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux's /proc")
def test_ctrl_c_while_the_command_loads_is_one_line(tmp_path: Path) -> None:
    """Ctrl-C while `sim`'s modules are still loading (numpy's core is being mapped): it
    printed a KeyboardInterrupt traceback from inside the imports, or, caught, the process
    died of the signal (exit -2) after its line."""
    scenario = write_scenario(tmp_path)
    for attempt in range(3):
        proc = subprocess.Popen(
            sim_cmd("explain", str(scenario), "--runs", "50", "--factors", "embargo"),
            env=sim_env(), cwd=tmp_path, start_new_session=True, stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL, text=True)
        maps = Path(f"/proc/{proc.pid}/maps")
        err = ctrl_c_once(proc, lambda: "_multiarray_umath" in maps.read_text(),
                          poll=0.001 * attempt)
        assert proc.returncode == 130, err
        assert err.strip() == "aborted", err


def test_ctrl_c_while_the_pool_starts_is_one_line(tmp_path: Path) -> None:
    """Ctrl-C at any moment of a pool run: exit 130, one line, no traceback from the fork
    server, the pool's threads or the workers.  At 0.02 s a worker is being started (its
    traceback came from a fork server child the pool had not recorded); about 0.1 s in,
    this process imports what its first chunk needs (a Ctrl-C there was dropped, or left the
    import lock held and the run hanging)."""
    scenario = write_scenario(tmp_path)
    for attempt, delay in enumerate((0.0, 0.02, 0.1, 0.3)):
        out = tmp_path / f"r{attempt}"
        proc = subprocess.Popen(
            sim_cmd("run", str(scenario), "--runs", "3000", "--seed", "1", "--workers", "2",
                    "--chunk-size", "100", "--out", str(out), "--quiet", "--no-plots",
                    "--model", SLOW),
            env=sim_env(), cwd=tmp_path, start_new_session=True, stderr=subprocess.PIPE,
            text=True)
        err = ctrl_c_once(proc, (out / "manifest.json").exists, poll=0.01, then=delay)
        assert proc.returncode == 130, err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
        assert "run interrupted" in err and "--resume" in err

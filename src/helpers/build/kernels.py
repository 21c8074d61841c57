"""Fresh kernels, fast: a zygote that has imported the libraries once forks a kernel per report.

Starting a ``python3`` kernel and importing pandas, matplotlib and ``helpers`` costs seconds;
executing a report costs less. So the build starts one *zygote* process ahead of need, which
imports all that once (and the notebooks' own imports, and reads their data), then, on request,
forks a child that becomes a fresh ``IPKernelApp`` on the connection file jupyter_client wrote.
Every report still runs in its own new kernel process (nothing a notebook does reaches another),
but none pays for the imports. A change to the ``helpers`` source or to ``data/`` restarts the
zygote before its next fork (:func:`source_stamp`). :func:`fork_provisioner` plugs this into
jupyter_client, so nbclient drives these kernels exactly as it drives launched ones.

Killing the build kills its kernels: the zygote and each kernel ask Linux to SIGKILL them when
their parent dies (``prctl(PR_SET_PDEATHSIG)``), so a SIGKILL of the build leaves no process
behind that could go on writing.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import importlib
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterable
from pathlib import Path

#: Imported by the zygote before it forks: what every report's first cells import anyway, and
#: what a kernel imports as it starts (ipykernel's debugger pulls in debugpy and pydevd, about
#: 0.15 s a kernel). The notebooks' own imports are added (:func:`notebook_imports`).
PRELOAD = (
    "pandas",
    "matplotlib.pyplot",
    "IPython",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "matplotlib_inline.backend_inline",
    "sqlite3",
    "pdb",
    # Imported on first use by every report that shows a table or a figure (measured: the
    # modules a report's kernel had imported by its end that the zygote had not).
    "pandas.io.formats.html",
    "pandas.io.formats.string",
    "pandas.core.reshape.reshape",
    "PIL.PngImagePlugin",
    "PIL.BmpImagePlugin",
    "PIL.GifImagePlugin",
    "PIL.JpegImagePlugin",
    "PIL.PpmImagePlugin",
    "helpers",
    "helpers.display",
    "helpers.profile",
)
#: Arguments every forked kernel starts with: what nbclient passes a launched kernel (history in
#: memory, so concurrent kernels never queue on one SQLite file in ~/.ipython).
KERNEL_ARGS = ("--HistoryManager.hist_file=:memory:",)
_PR_SET_PDEATHSIG = 1
# The zygote loads this file alone, not as helpers.build.kernels: the package's __init__ would
# import the build's own machinery (nbformat, jsonschema, nbconvert), which no kernel needs.
_ZYGOTE = (
    "import sys, json, importlib.util as u; "
    "s = u.spec_from_file_location('helpers_build_zygote', sys.argv[3]); "
    "m = u.module_from_spec(s); s.loader.exec_module(m); "
    "m.serve(int(sys.argv[1]), json.loads(sys.argv[2]))"
)


def notebook_imports(notebooks: Iterable[Path]) -> list[str]:
    """The modules the notebooks' code cells import (``from a import b`` gives ``a`` and ``a.b``).

    Read with :mod:`ast`, cell by cell; a cell that is not plain Python (magics) is skipped.
    ``a.b`` may be a name rather than a module: the zygote skips what does not import.
    """
    import ast

    from helpers.build.plan import read_cells  # not at the top: the zygote loads this file alone

    found: dict[str, None] = {}
    for path in notebooks:
        try:
            cells = read_cells(path)
        except Exception:  # noqa: BLE001 - an unreadable notebook fails in its own report
            continue
        for cell_type, source in cells:
            if cell_type != "code":
                continue
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found.update(dict.fromkeys(a.name for a in node.names))
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found[node.module] = None
                    found.update(dict.fromkeys(f"{node.module}.{a.name}" for a in node.names))
    return list(found)


def source_stamp() -> tuple:
    """What the zygote's preloaded code and data came from: the helpers source and data/ files.

    (path, inode, size, mtime, ctime) of each: a file replaced, or rewritten with its old size and
    mtime put back, changes it too. A zygote started under another stamp is restarted before it
    forks again, so no kernel ever runs code or reads a cache older than the files.
    """
    from helpers import paths

    roots = [(paths.PACKAGE_DIR, "*.py"), (paths.data_dir(), "*")]
    store = paths.datastore_dir()
    stamp = []
    for root, pattern in roots:
        if not root.exists():
            continue
        for file in sorted(root.rglob(pattern)):
            if store in file.parents or "__pycache__" in file.parts:
                continue
            with contextlib.suppress(OSError):
                if (file_stamp := paths.file_stamp(file)) is not None:
                    stamp.append((str(file), *file_stamp))
    return tuple(stamp)


def _warm_caches(modules: Iterable[str]) -> None:
    """Read the data the notebooks read, once, in the zygote: forked kernels inherit it.

    Through the same public calls the notebooks make, each cached against the stamps of the
    files it read (:mod:`helpers.cache`), so a kernel uses what the zygote read only while the
    files are unchanged, and reads them again otherwise. A fork gives each kernel its own
    copy-on-write pages: what one report changes, no other sees.

    - :func:`helpers.joint.tables.tables`, the joint-inspection tables;
    - :func:`helpers.care.tables.shared`, the care-services tables the profiles and the
      what-changed reports read, and what they compute from them: the profiles' lowest
      grades and comparison dates (through :func:`helpers.profile.care_registered`, which
      computes them for every area at once) and :func:`helpers.care.changes.between` for the
      latest two snapshots.

    Each is read only if some notebook imports its module (``modules``). A notebook that calls
    :func:`helpers.care.tables.load` gets a copy of its own, read from the files.
    """
    from helpers.areas import COUNCIL_AREAS

    modules = set(modules)
    calls = []
    if any(m.startswith("helpers") for m in modules):
        calls.append(("joint.tables", "tables", ()))
    if {"helpers.care.tables", "helpers.profile", "helpers.care.changes"} & modules:
        calls.append(("care.tables", "shared", ()))
    if "helpers.profile" in modules:
        calls.append(("profile", "care_registered", (min(COUNCIL_AREAS),)))
    if "helpers.care.changes" in modules:
        calls.append(("care.changes", "between", ()))
    for module, name, args in calls:
        with contextlib.suppress(Exception):  # a notebook that needs it fails in its own report
            getattr(importlib.import_module(f"helpers.{module}"), name)(*args)


def die_with_parent(parent_pid: int | None = None) -> None:
    """Have Linux SIGKILL this process when its parent dies; exit now if it is already gone."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(1)  # the parent died before the request above took effect


def _become_kernel(connection_file: str, cwd: str, env: dict, zygote_pid: int) -> None:
    """In a forked child of the zygote: run an IPython kernel until it is shut down."""
    code = 0
    try:
        die_with_parent(zygote_pid)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the zygote ignores it; kernels must not
        os.setpgid(0, 0)  # interrupts and kills reach this kernel and its children only
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(devnull, 1)  # fd 1 is the zygote's pipe to the build
        os.environ.clear()
        os.environ.update(env)
        os.chdir(cwd)
        from ipykernel.kernelapp import IPKernelApp

        argv = ["-f", connection_file, *KERNEL_ARGS]
        sys.argv = ["ipykernel_launcher", *argv]
        app = IPKernelApp.instance()
        app.initialize(argv)
        app.start()
    except BaseException as error:  # noqa: BLE001 - report and leave, whatever it was
        print(f"kernel {os.getpid()} failed: {type(error).__name__}: {error}", file=sys.stderr)
        code = 1
    finally:
        os._exit(code)


def _as_in_a_kernel() -> None:
    """Undo what importing in a plain interpreter set differently from a kernel: pandas takes
    a terminal's width for ``display.max_columns`` (0, 'fit the terminal') unless it is imported
    inside a kernel (20), which changes every wide table's text."""
    pandas = sys.modules.get("pandas")
    if pandas is not None:
        pandas.set_option("display.max_columns", 20)


def serve(parent_pid: int, modules: Iterable[str] = ()) -> None:
    """The zygote: preload, then fork a kernel for each request line; answer with its pid."""
    die_with_parent(parent_pid)
    modules = list(modules)
    for name in (*PRELOAD, *modules):
        try:
            __import__(name)
        except Exception:  # noqa: BLE001 - renamed, not written yet, or a name: kernels see it
            pass
    _as_in_a_kernel()
    _warm_caches(modules)
    # What the zygote holds is never freed in a kernel: keep it out of the collector's sight,
    # so a kernel's collections neither walk it nor copy its pages (about 5% of kernels' time).
    gc.collect()
    gc.freeze()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    answer = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # stray prints must not corrupt the answers
    print(json.dumps({"ready": os.getpid()}), file=answer, flush=True)
    zygote_pid = os.getpid()
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _become_kernel(request["connection_file"], request["cwd"], request["env"], zygote_pid)
        print(json.dumps({"pid": pid}), file=answer, flush=True)


class Zygote:
    """The build's side of the zygote: started at once (it preloads while the build plans), or
    with ``start=False`` by :meth:`start` or the first fork (a build that may find nothing to do
    then starts no process: the no-change rebuild stays well under a second)."""

    def __init__(self, modules: Iterable[str] = (), *, start: bool = True):
        self.modules = list(modules)
        self._lock = threading.Lock()
        self._retired: list[subprocess.Popen] = []
        self.process: subprocess.Popen | None = None
        if start:
            self.start()

    def start(self) -> None:
        """Start preloading now, if not started yet."""
        with self._lock:
            if self.process is None:
                self._start()

    def _start(self) -> None:
        self.stamp = source_stamp()
        env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-c", _ZYGOTE, str(os.getpid()), json.dumps(self.modules), __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        self._ready = False

    def fork(self, connection_file: str, cwd: str, env: dict) -> int:
        """A new kernel process on ``connection_file``, working in ``cwd``: its pid."""
        return self.fork_stamped(connection_file, cwd, env)[0]

    def fork_stamped(self, connection_file: str, cwd: str, env: dict) -> tuple[int, tuple]:
        """As :meth:`fork`, with the :func:`source_stamp` the kernel's code and data are from."""
        request = {"connection_file": connection_file, "cwd": cwd, "env": dict(env)}
        with self._lock:
            if self.process is None:
                self._start()
            elif self.process.poll() is not None or source_stamp() != self.stamp:
                # Died (killed, out of memory: every later fork would meet a broken pipe), or
                # helpers or data/ changed: start another. A live one is retired, not killed:
                # its kernels (running a report, or waiting in the pool) die with their parent,
                # and a report would hang.
                self._retired.append(self.process)
                self._start()
            if not self._ready:
                ready = self.process.stdout.readline()
                if not ready:
                    raise RuntimeError("the kernel zygote failed to start (see stderr)")
                self._ready = True
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            answer = self.process.stdout.readline()
            stamp = self.stamp
        if not answer:
            raise RuntimeError("the kernel zygote died (see stderr)")
        return json.loads(answer)["pid"], stamp

    def close(self) -> None:
        """Stop the zygote and any retired ones (kernels still running are stopped by their
        managers)."""
        started = [self.process] if self.process is not None else []
        for process in [*self._retired, *started]:
            if process.poll() is None:
                process.kill()
            process.wait()
            for pipe in (process.stdin, process.stdout):
                pipe.close()
        self._retired = []


class ForkedProcess:
    """Enough of ``subprocess.Popen`` for jupyter_client, for a kernel the zygote forked."""

    def __init__(self, pid: int):
        self.pid = pid
        self.stdin = self.stdout = self.stderr = None

    def poll(self) -> int | None:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return 0  # gone (the zygote reaps it): its status is not ours to know
        return None

    def wait(self, timeout: float | None = None) -> int:
        while self.poll() is None:
            threading.Event().wait(0.02)
        return 0

    def send_signal(self, signum: int) -> None:
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


@functools.lru_cache(maxsize=1)
def fork_provisioner() -> type:
    """The kernel provisioner class that asks the zygote for a forked kernel instead of
    launching one (defined on first use: jupyter_client is not needed by a build with nothing
    to do, nor by the zygote)."""
    from jupyter_client.provisioning import LocalProvisioner

    class ForkProvisioner(LocalProvisioner):
        """A kernel provisioner that asks :attr:`zygote` for a forked kernel."""

        zygote: Zygote | None = None
        #: The :func:`source_stamp` of the zygote the kernel was forked from.
        source: tuple | None = None

        async def launch_kernel(self, cmd: list[str], **kwargs):
            """Fork the kernel (``cmd`` is not run: the zygote is that command, imported)."""
            env = kwargs.get("env") or os.environ
            cwd = str(kwargs.get("cwd") or Path.cwd())
            pid, self.source = self.zygote.fork_stamped(self.parent.connection_file, cwd, env)
            self.process = ForkedProcess(pid)
            self.pid, self.pgid, self.cwd = pid, None, cwd
            return self.connection_info

    return ForkProvisioner

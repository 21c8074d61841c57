"""Execute a notebook in a fresh ``python3`` kernel, its working directory in ``notebooks/``.

Kernels are forked by the build's zygote (:mod:`helpers.build.kernels`) when one is given, else
launched the usual way. They talk over IPC (Unix sockets named after the connection file) rather
than TCP: kernels started at the same moment cannot race for a free port. A failure names the
notebook, the cell (index as written, and first line) and the error.
"""

from __future__ import annotations

import copy
import os
import queue
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from helpers import cache
from helpers.atomic import atomic_write
from helpers.build.kernels import Zygote, fork_provisioner, source_stamp

if TYPE_CHECKING:
    import nbformat

KERNEL_NAME = "python3"
#: Kernel starts tried before a notebook is reported as failed.
KERNEL_START_ATTEMPTS = 3
#: Kernel environment: no GUI backend; quiet the debugger's frozen-modules warning in stderr.
KERNEL_ENV = {"MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


class NotebookError(RuntimeError):
    """A notebook failed: names the notebook, the cell (index and first line) and the error."""


def load(source: Path, parameters: dict | None) -> nbformat.NotebookNode:
    """The notebook, with papermill's parameters cell injected after ``parameters``, if any."""
    import nbformat

    if not parameters:
        return nbformat.read(source, as_version=4)
    from papermill.parameterize import parameterize_notebook

    try:
        nb = copy.deepcopy(_template(source))
        return parameterize_notebook(nb, parameters, kernel_name=KERNEL_NAME, language="python")
    except Exception as error:
        raise NotebookError(
            f"{source.name} {parameters}: could not inject the parameters: "
            f"{type(error).__name__}: {error}"
        ) from None


@cache.cached_on(lambda path: [path], maxsize=8)
def _template(path: Path) -> nbformat.NotebookNode:
    """A template as papermill loads it (with the metadata, tags on every cell, its injector
    expects), read once for all its reports while the file is unchanged: copy it before
    changing it."""
    from papermill.iorw import load_notebook_node

    return load_notebook_node(str(path))


def _original_index(nb: nbformat.NotebookNode, index: int) -> int:
    """A cell's index in the notebook as written, not counting papermill's injected cell."""
    tags = [c.get("metadata", {}).get("tags", []) for c in nb.cells[: index + 1]]
    return index - sum("injected-parameters" in t for t in tags)


def describe_failure(nb, source: Path, parameters: dict | None, index, error) -> str:
    """'<notebook> [params]: cell N (`first line`): Error: message'."""
    where = "before any cell ran (kernel start)"
    if index is not None:
        first = next((ln for ln in nb.cells[index].source.splitlines() if ln.strip()), "")
        where = f"cell {_original_index(nb, index)} (`{first.strip()[:80]}`)"
    label = source.name + (f" {parameters}" if parameters else "")
    ename = getattr(error, "ename", None) or type(error).__name__
    evalue = getattr(error, "evalue", None)
    if evalue is None:
        lines = str(error).strip().splitlines() or [""]
        # nbclient's timeout says what happened first, then quotes the cell between rules.
        evalue = lines[0] if isinstance(error, TimeoutError) else lines[-1]
    return f"{label}: {where}: {ename}: {evalue}"


def _manager(zygote: Zygote | None):
    """A kernel manager on IPC, forking from ``zygote`` if there is one."""
    from jupyter_client.manager import KernelManager
    from jupyter_core.paths import jupyter_runtime_dir

    # The socket path must be absolute: the kernel runs in notebooks/, this process elsewhere.
    os.makedirs(jupyter_runtime_dir(), exist_ok=True)
    manager = KernelManager(
        kernel_name=KERNEL_NAME,
        transport="ipc",
        ip=os.path.join(jupyter_runtime_dir(), f"build-{uuid.uuid4().hex[:12]}"),
        # nbclient's coroutines await the client's channels: a blocking client's wait for
        # output (no timeout) would stop its event loop, so a kernel dying mid-cell (killed,
        # out of memory, os._exit) would never be noticed and the build would hang for ever.
        client_class="jupyter_client.asynchronous.AsyncKernelClient",
    )
    if zygote is not None:
        manager.kernel_id = str(uuid.uuid4())
        manager.provisioner = fork_provisioner()(
            kernel_id=manager.kernel_id, kernel_spec=manager.kernel_spec, parent=manager
        )
        manager.provisioner.zygote = zygote
    return manager


class KernelPool:
    """Kernels started ahead of need: the next report finds its fresh kernel already running.

    A thread keeps ``ahead`` kernels forked from ``zygote`` (each working in ``cwd``) waiting;
    :meth:`take` hands one out (each once: a kernel runs one report and is then stopped) and
    the thread forks the next. So a kernel's start overlaps other reports' execution instead of
    delaying its own, and stopping it (:meth:`discard`) happens off the report's path too.
    """

    def __init__(self, zygote: Zygote, cwd: Path, ahead: int = 2):
        self.zygote, self.cwd = zygote, str(cwd)
        self._ready: queue.Queue = queue.Queue()
        self._slots = threading.Semaphore(max(ahead, 1))
        self._closed = threading.Event()
        self._stopping: list[threading.Thread] = []
        self._thread = threading.Thread(target=self._fill, daemon=True, name="kernel-pool")
        self._thread.start()

    def _fill(self) -> None:
        while True:
            self._slots.acquire()
            if self._closed.is_set():
                return
            manager = _manager(self.zygote)
            try:
                manager.start_kernel(cwd=self.cwd)
            except Exception as error:  # the taker retries with a kernel of its own
                _shutdown(manager)
                manager = error
            self._ready.put(manager)

    def take(self, cwd: Path):
        """A started kernel's manager for a notebook in ``cwd`` (one of its own if elsewhere)."""
        if str(cwd) != self.cwd or self._closed.is_set():
            return _manager(self.zygote)
        manager = self._ready.get()
        self._slots.release()  # the thread forks the next one now
        if isinstance(manager, Exception):
            return _manager(self.zygote)  # nbclient starts it, with its usual retries
        if getattr(manager.provisioner, "source", None) != source_stamp():
            # Forked before helpers or data/ changed: no report runs code older than the files.
            self.discard(manager)
            return _manager(self.zygote)
        return manager

    def discard(self, manager) -> None:
        """Stop a used kernel in the background."""
        thread = threading.Thread(target=_shutdown, args=(manager,), daemon=True)
        thread.start()
        self._stopping = [t for t in self._stopping if t.is_alive()] + [thread]

    def close(self) -> None:
        """Stop the kernels still waiting and wait for those being stopped."""
        self._closed.set()
        self._slots.release()
        self._thread.join(timeout=30)
        while not self._ready.empty():
            manager = self._ready.get_nowait()
            if not isinstance(manager, Exception):
                _shutdown(manager)
        for thread in self._stopping:
            thread.join(timeout=30)


async def wait_for_ready(kc, timeout: float) -> None:
    """jupyter_client's ``wait_for_ready`` without its closing 0.2 s of silence on IOPub.

    As there: ask for kernel_info until the kernel answers and IOPub has delivered a message
    (so the subscription is live and no output of the first cell is lost). jupyter_client then
    waits until IOPub has been quiet for 0.2 s, a fixed cost per kernel; nbclient ignores
    messages that are not about its own requests anyway, so this only drains what is there.
    ``kc`` is an asynchronous client (see :func:`_manager`).
    """
    deadline = time.monotonic() + timeout
    while True:
        kc.kernel_info()
        try:
            reply = await kc.shell_channel.get_msg(timeout=1)
        except queue.Empty:
            pass
        else:
            if reply["msg_type"] == "kernel_info_reply":
                try:
                    await kc.iopub_channel.get_msg(timeout=0.2)  # returns as soon as one arrives
                except queue.Empty:
                    pass
                else:
                    kc._handle_kernel_info_reply(reply)
                    break
        if not await kc.is_alive():
            raise RuntimeError("Kernel died before replying to kernel_info")
        if time.monotonic() > deadline:
            raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
    while await kc.iopub_channel.msg_ready():
        await kc.iopub_channel.get_msg(timeout=0)


def _client_class():
    from nbclient import NotebookClient
    from nbclient.util import run_hook

    class Client(NotebookClient):
        """nbclient's client, connecting to a kernel without the fixed 0.2 s wait."""

        async def async_start_new_kernel_client(self):
            self.kc = self.km.client()
            try:
                self.kc.start_channels()
                await wait_for_ready(self.kc, self.startup_timeout)
            except Exception:
                await self._async_cleanup_kernel()
                raise
            self.kc.allow_stdin = False
            await run_hook(self.on_notebook_start, notebook=self.nb)
            return self.kc

    return Client


def _shutdown(manager) -> None:
    """Stop a kernel and remove its sockets: nbclient only stops the kernels it creates itself."""
    try:
        if manager.has_kernel:
            manager.shutdown_kernel(now=True)
    except Exception:  # a kernel that already died: nothing left to stop
        pass
    manager.cleanup_resources()


def _run(nb, manager, source: Path, timeout: int, record_timing: bool, progress: dict) -> None:
    """Execute ``nb`` in ``manager``'s kernel (started if it is not yet). ``progress`` gets the
    cell running (``index``) and when the kernel answered (``started``)."""
    client = _client_class()(
        nb,
        km=manager,
        timeout=timeout,
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(source.parent)}},
        record_timing=record_timing,
        on_cell_execute=lambda cell_index, **_: progress.update(index=cell_index),
        on_notebook_start=lambda **_: progress.setdefault("started", time.perf_counter()),
    )
    client.execute()


def execute_notebook(
    source: Path,
    parameters: dict | None = None,
    timeout: int = 600,
    record_timing: bool = True,
    zygote: Zygote | None = None,
    pool: KernelPool | None = None,
    timings: dict | None = None,
) -> nbformat.NotebookNode:
    """Execute a notebook in a fresh kernel; return it executed.

    Parameters
    ----------
    source
        The notebook.
    parameters
        Injected by papermill after the cell tagged ``parameters``.
    timeout
        Seconds allowed per cell.
    record_timing
        Whether cells get execution timestamps (off for notebooks written back to the repo).
    zygote
        Fork the kernel from this (fast); else launch one.
    pool
        Take an already started kernel from this (faster still); it is stopped afterwards.
    timings
        If given, filled with seconds spent: ``kernel`` (until the kernel answered) and
        ``cells`` (executing).

    Raises
    ------
    NotebookError
        Naming the notebook, the cell (index and first line of source) and the error.
    """
    import nbformat

    pristine = load(source, parameters)
    os.environ.update(KERNEL_ENV)  # the kernel inherits this process's environment
    timings = {} if timings is None else timings
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        nb, progress, t0 = nbformat.from_dict(pristine), {"index": None}, time.perf_counter()
        fresh = pool is not None and attempt == 1
        manager = pool.take(source.parent) if fresh else _manager(zygote)
        try:
            _run(nb, manager, source, timeout, record_timing, progress)
        except Exception as error:
            if progress["index"] is None and attempt < KERNEL_START_ATTEMPTS:
                continue  # the kernel died starting (a machine under load): try again
            message = describe_failure(nb, source, parameters, progress["index"], error)
            raise NotebookError(message) from None
        else:
            started = progress.get("started", t0)
            timings.update(kernel=started - t0, cells=time.perf_counter() - started)
            return nb
        finally:
            if pool is not None:
                pool.discard(manager)
            else:
                _shutdown(manager)
    raise AssertionError("unreachable")  # the loop returns or raises


def cells_seconds(nb: nbformat.NotebookNode) -> float:
    """How long the notebook's own code ran, from nbclient's execution records: for each code
    cell, from the kernel taking it up (``iopub.execute_input``) to its reply. 0 without them."""
    total = 0.0
    for cell in nb.cells:
        record = cell.get("metadata", {}).get("execution", {})
        start, end = record.get("iopub.execute_input"), record.get("shell.execute_reply")
        if start and end:
            total += (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
    return total


def execute_in_place(path: Path, timeout: int = 600, zygote: Zygote | None = None) -> None:
    """Re-execute a notebook and write it back atomically, metadata (kernelspec) kept."""
    import nbformat

    nb = execute_notebook(path, timeout=timeout, record_timing=False, zygote=zygote)
    for cell in nb.cells:
        # Timestamps left by another runner (nbconvert --execute): they would make every re-run
        # a change in git, and nbval ignores them anyway.
        cell.metadata.pop("execution", None)
    atomic_write(path, lambda tmp: nbformat.write(nb, str(tmp)))

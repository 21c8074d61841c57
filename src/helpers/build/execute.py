"""Execute a notebook in a fresh ``python3`` kernel, its working directory in ``notebooks/``.

Kernels are forked by the build's zygote (:mod:`helpers.build.kernels`) when one is given, else
launched the usual way. They talk over IPC (Unix sockets named after the connection file) rather
than TCP: kernels started at the same moment cannot race for a free port. A failure names the
notebook, the cell (index as written, and first line) and the error.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import nbformat

from helpers.atomic import atomic_write
from helpers.build.kernels import ForkProvisioner, Zygote

KERNEL_NAME = "python3"
#: Kernel starts tried before a notebook is reported as failed.
KERNEL_START_ATTEMPTS = 3
#: Kernel environment: no GUI backend; quiet the debugger's frozen-modules warning in stderr.
KERNEL_ENV = {"MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


class NotebookError(RuntimeError):
    """A notebook failed: names the notebook, the cell (index and first line) and the error."""


def load(source: Path, parameters: dict | None) -> nbformat.NotebookNode:
    """The notebook, with papermill's parameters cell injected after ``parameters``, if any."""
    if not parameters:
        return nbformat.read(source, as_version=4)
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    try:
        # papermill's loader adds the metadata (tags on every cell) its injector expects.
        nb = load_notebook_node(str(source))
        return parameterize_notebook(nb, parameters, kernel_name=KERNEL_NAME, language="python")
    except Exception as error:
        raise NotebookError(
            f"{source.name} {parameters}: could not inject the parameters: "
            f"{type(error).__name__}: {error}"
        ) from None


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
        evalue = str(error).strip().splitlines()[-1] if str(error).strip() else ""
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
    )
    if zygote is not None:
        manager.kernel_id = str(uuid.uuid4())
        manager.provisioner = ForkProvisioner(
            kernel_id=manager.kernel_id, kernel_spec=manager.kernel_spec, parent=manager
        )
        manager.provisioner.zygote = zygote
    return manager


def _shutdown(manager) -> None:
    """Stop a kernel and remove its sockets: nbclient only stops the kernels it creates itself."""
    try:
        if manager.has_kernel:
            manager.shutdown_kernel(now=True)
    except Exception:  # a kernel that already died: nothing left to stop
        pass
    manager.cleanup_resources()


def execute_notebook(
    source: Path,
    parameters: dict | None = None,
    timeout: int = 600,
    record_timing: bool = True,
    zygote: Zygote | None = None,
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

    Raises
    ------
    NotebookError
        Naming the notebook, the cell (index and first line of source) and the error.
    """
    from nbclient import NotebookClient

    pristine = load(source, parameters)
    os.environ.update(KERNEL_ENV)  # the kernel inherits this process's environment
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        nb = nbformat.from_dict(pristine)
        current = {"index": None}
        manager = _manager(zygote)
        client = NotebookClient(
            nb,
            km=manager,
            timeout=timeout,
            kernel_name=KERNEL_NAME,
            resources={"metadata": {"path": str(source.parent)}},
            record_timing=record_timing,
            on_cell_execute=lambda cell_index, _c=current, **_: _c.update(index=cell_index),
        )
        try:
            client.execute()
            return nb
        except Exception as error:
            if current["index"] is None and attempt < KERNEL_START_ATTEMPTS:
                continue  # the kernel died starting (a machine under load): try again
            message = describe_failure(nb, source, parameters, current["index"], error)
            raise NotebookError(message) from None
        finally:
            _shutdown(manager)
    raise AssertionError("unreachable")  # the loop returns or raises


def execute_in_place(path: Path, timeout: int = 600, zygote: Zygote | None = None) -> None:
    """Re-execute a notebook and write it back atomically, metadata (kernelspec) kept."""
    nb = execute_notebook(path, timeout=timeout, record_timing=False, zygote=zygote)
    for cell in nb.cells:
        # Timestamps left by another runner (nbconvert --execute): they would make every re-run
        # a change in git, and nbval ignores them anyway.
        cell.metadata.pop("execution", None)
    atomic_write(path, lambda tmp: nbformat.write(nb, str(tmp)))

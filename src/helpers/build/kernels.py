"""Fresh kernels, fast: a zygote that has imported the libraries once forks a kernel per report.

Starting a ``python3`` kernel and importing pandas, matplotlib and ``helpers`` costs seconds;
executing a report costs less. So the build starts one *zygote* process  ahead of need, which imports all that once and then, on request, forks
a child that becomes a fresh ``IPKernelApp`` on the connection file jupyter_client wrote. Every
report still runs in its own new kernel process (nothing a notebook does reaches another), but
none pays for the imports. :class:`ForkProvisioner` plugs this into jupyter_client, so nbclient
drives these kernels exactly as it drives launched ones.

Killing the build kills its kernels: the zygote and each kernel ask Linux to SIGKILL them when
their parent dies (``prctl(PR_SET_PDEATHSIG)``), so a SIGKILL of the build leaves no process
behind that could go on writing.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from jupyter_client.provisioning import LocalProvisioner

#: Imported by the zygote before it forks: what every report's first cells import anyway.
PRELOAD = (
    "pandas",
    "matplotlib.pyplot",
    "IPython",
    "ipykernel.kernelapp",
    "helpers",
    "helpers.display",
    "helpers.profile",
)
_PR_SET_PDEATHSIG = 1
_ZYGOTE = "import sys; from helpers.build.kernels import serve; serve(int(sys.argv[1]))"


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

        sys.argv = ["ipykernel_launcher", "-f", connection_file]
        app = IPKernelApp.instance()
        app.initialize(["-f", connection_file])
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


def serve(parent_pid: int) -> None:
    """The zygote: preload, then fork a kernel for each request line; answer with its pid."""
    die_with_parent(parent_pid)
    for name in PRELOAD:
        try:
            __import__(name)
        except ImportError:  # a module renamed or not written yet: its kernels import it
            pass
    _as_in_a_kernel()
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
    """The build's side of the zygote: start it now (it preloads while the build plans)."""

    def __init__(self):
        env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-c", _ZYGOTE, str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        self._lock = threading.Lock()
        self._ready = False

    def fork(self, connection_file: str, cwd: str, env: dict) -> int:
        """A new kernel process on ``connection_file``, working in ``cwd``: its pid."""
        request = {"connection_file": connection_file, "cwd": cwd, "env": dict(env)}
        with self._lock:
            if not self._ready:
                ready = self.process.stdout.readline()
                if not ready:
                    raise RuntimeError("the kernel zygote failed to start (see stderr)")
                self._ready = True
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            answer = self.process.stdout.readline()
        if not answer:
            raise RuntimeError("the kernel zygote died (see stderr)")
        return json.loads(answer)["pid"]

    def close(self) -> None:
        """Stop the zygote (kernels still running are stopped by their managers)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            pipe.close()


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


class ForkProvisioner(LocalProvisioner):
    """A kernel provisioner that asks :attr:`zygote` for a forked kernel instead of launching."""

    zygote: Zygote | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs):
        """Fork the kernel (``cmd`` is not run: the zygote is that command, already imported)."""
        env = kwargs.get("env") or os.environ
        cwd = str(kwargs.get("cwd") or Path.cwd())
        pid = self.zygote.fork(self.parent.connection_file, cwd, env)
        self.process = ForkedProcess(pid)
        self.pid, self.pgid, self.cwd = pid, None, cwd
        return self.connection_info

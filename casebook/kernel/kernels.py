"""Kernels for templates: quiet, isolated from the caller's folder, limited, and never left running.

Every kernel that renders a template

- talks to us over IPC sockets in a private folder (no TCP port, so ipykernel has no reason to warn
  about unencrypted TCP); Windows, where ZeroMQ lacks IPC, keeps TCP on localhost;
- starts in that private, empty folder with ``PYTHONSAFEPATH`` set and the folder holding the
  installed ``casebook``, ``evidence``, ``geo`` and ``safeio`` packages first on ``PYTHONPATH``: a
  ``geo/`` or ``casebook/`` folder wherever the user stands cannot shadow them;
- runs under :mod:`casebook.kernel.kernel_guard`, which caps memory and time and kills the kernel's
  whole process group on timeout, on error and when this process dies;
- is used for one notebook only, and costs a fork: on POSIX each process keeps a
  :mod:`casebook.kernel.kernel_zygote` that has imported ipykernel, pandas, geo and evidence once and forks
  a fresh kernel per notebook (no cell has run in it; nothing passes between cases). Where fork is
  missing (Windows) or for another kernel than ``casebook``, the kernel starts from scratch under
  the guard. A batch worker also makes the next case's kernel while the current case runs
  (:func:`take_kernel` with ``warm_next``).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

import safeio

__all__ = ["DEFAULT_MEMORY_MB", "DEFAULT_SECONDS", "PRELOAD", "GuardedKernelManager", "KernelLimits",
           "KernelZygote", "discard_spare", "limits_note", "package_root", "take_kernel"]

DEFAULT_MEMORY_MB = 4096  # a dossier kernel peaks near 1 GiB of address space; a runaway stops at 4
DEFAULT_SECONDS = 1800
# What a dossier needs before its first cell; imported while the kernel starts.
PRELOAD = "import casebook.sections, evidence.labels.label_report, geo"
GUARD = Path(__file__).resolve().with_name("kernel_guard.py")


@dataclass(frozen=True)
class KernelLimits:
    """Address-space cap (MiB) and wall-clock cap (s) for one kernel and everything it starts.

    ``CASEBOOK_KERNEL_MEMORY_MB`` and ``CASEBOOK_KERNEL_SECONDS`` change the defaults; 0 lifts a cap.
    """

    memory_mb: int = field(default_factory=lambda: _env_int("CASEBOOK_KERNEL_MEMORY_MB", DEFAULT_MEMORY_MB))
    seconds: int = field(default_factory=lambda: _env_int("CASEBOOK_KERNEL_SECONDS", DEFAULT_SECONDS))


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() else default


def package_root() -> Path:
    """The folder that holds the installed ``safeio``, ``evidence``, ``geo`` and ``casebook`` packages."""
    return Path(safeio.__file__).resolve().parents[1]


def _ipc_available() -> bool:
    import zmq

    return sys.platform != "win32" and bool(zmq.has("ipc"))


def limits_note() -> str:
    """Which of the kernel limits hold on this system, in one line for summaries and logs."""
    if sys.platform == "win32":
        return ("cell timeout only: Windows has no setrlimit, process groups or parent-death signal, "
                "so memory and the kernel's children are not capped")
    held = ["memory (RLIMIT_AS)", "CPU time (RLIMIT_CPU)", "wall clock", "process group killed at the end"]
    if sys.platform.startswith("linux"):
        held.append("parent-death signal")
    else:
        held.append("no parent-death signal on this system: a killed caller may leave the kernel running")
    return ", ".join(held)


def _kernel_env() -> dict[str, str]:
    """The caller's environment with our packages first on the import path and no cwd on it."""
    env = dict(os.environ)
    root = str(package_root())
    rest = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and os.path.isabs(p) and p != root]
    env["PYTHONPATH"] = os.pathsep.join([root, *rest])
    env["PYTHONSAFEPATH"] = "1"  # Python 3.11+: neither the cwd nor a script's folder goes first
    env.pop("PYTHONSTARTUP", None)
    return env


class _ZygoteChild:
    """A kernel forked by the zygote, seen through the parts of ``Popen`` jupyter_client uses."""

    stdin = stdout = stderr = None

    def __init__(self, zygote: KernelZygote, pid: int) -> None:
        self.zygote, self.pid, self.returncode = zygote, pid, None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self.zygote.request({"status": self.pid}).get("returncode")
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(["kernel"], timeout)
            time.sleep(0.05)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        os.killpg(self.pid, signum)

    def kill(self) -> None:
        self.zygote.request({"kill": self.pid})

    terminate = kill


class KernelZygote:
    """One :mod:`casebook.kernel.kernel_zygote` process: libraries imported once, a fork per kernel."""

    def __init__(self, python: list[str]) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix="casebook-zygote-"))
        self.process = subprocess.Popen(
            [*python, "-m", "casebook.kernel.kernel_zygote", "--parent", str(os.getpid())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=self.workdir, env=_kernel_env(),
            start_new_session=True)
        if self._line(timeout=300) != "ready":
            self.close()
            raise RuntimeError("the kernel zygote did not start")

    def _line(self, timeout: float = 30) -> str:
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        return self.process.stdout.readline().decode().strip() if ready else ""

    def alive(self) -> bool:
        return self.process.poll() is None

    def request(self, message: dict) -> dict:
        self.process.stdin.write((json.dumps(message) + "\n").encode())
        self.process.stdin.flush()
        answer = self._line()
        if not answer:
            raise RuntimeError("the kernel zygote did not answer")
        return json.loads(answer)

    def close(self) -> None:
        """Close the pipe: the zygote kills what it still runs and exits."""
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        if self.process.poll() is None:
            self.process.kill()
        shutil.rmtree(self.workdir, ignore_errors=True)


_zygotes: dict[tuple[str, ...], KernelZygote] = {}


def _zygote_for(python: list[str]) -> KernelZygote | None:
    """This process's zygote for the kernel interpreter (started on first use); None without fork."""
    if not hasattr(os, "fork") or os.environ.get("CASEBOOK_KERNEL_ZYGOTE", "1") == "0":
        return None
    key = tuple(python)
    zygote = _zygotes.get(key)
    if zygote is None or not zygote.alive():
        zygote = _zygotes[key] = KernelZygote(python)
        import atexit

        atexit.register(zygote.close)
    return zygote


class GuardedKernelManager(AsyncKernelManager):
    """A kernel manager for one notebook: its kernel forked by the zygote, or started under the guard.

    Either way the kernel gets a private empty working folder (which also holds its IPC sockets),
    our import path, the caps of :class:`KernelLimits`, and a process group killed in :meth:`finish`.
    """

    def __init__(self, limits: KernelLimits | None = None, *, kernel_name: str = "casebook",
                 preload: str = PRELOAD, **kwargs) -> None:
        ipc = _ipc_available()
        super().__init__(kernel_name=kernel_name, transport="ipc" if ipc else "tcp", **kwargs)
        self.limits = limits or KernelLimits()
        self.preload = preload
        self.workdir = Path(tempfile.mkdtemp(prefix="casebook-kernel-"))
        if ipc:
            self.ip = str(self.workdir / "ipc")  # sockets ipc-1 ... ipc-5: an absolute, private path
        self._clients: list = []
        self.pgid: int | None = None
        self.used_cpu: float | None = None

    def _split_cmd(self, cmd: list[str]) -> tuple[list[str], list[str]] | None:
        """(interpreter and its flags, kernel arguments) of an ipykernel command, else None."""
        if "ipykernel_launcher" not in cmd or self.kernel_name != "casebook":
            return None
        at = cmd.index("ipykernel_launcher")
        if at < 1 or cmd[at - 1] != "-m":
            return None
        return cmd[:at - 1], cmd[at + 1:]

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        extra = list(extra_arguments or [])
        if self.preload:
            extra.append(f"--IPKernelApp.exec_lines={self.preload}")
        cmd = super().format_kernel_cmd(extra_arguments=extra)
        split = self._split_cmd(cmd)
        if split is not None and _zygote_for(split[0]) is not None:
            return cmd  # forked by the zygote in _async_launch_kernel
        return [cmd[0], "-I", str(GUARD), "--memory-mb", str(self.limits.memory_mb), "--seconds",
                str(self.limits.seconds), "--parent", str(os.getpid()), "--", *cmd]

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        split = self._split_cmd(kernel_cmd)
        zygote = _zygote_for(split[0]) if split is not None else None
        if zygote is None:
            await super()._async_launch_kernel(kernel_cmd, **kw)
            return
        answer = zygote.request({"fork": split[1], "cwd": str(self.workdir), "env": _kernel_env(),
                                 "memory_mb": self.limits.memory_mb, "seconds": self.limits.seconds})
        provisioner = self.provisioner
        provisioner.process = _ZygoteChild(zygote, int(answer["pid"]))
        provisioner.pid = provisioner.pgid = provisioner.process.pid  # a session of its own
        provisioner.cwd = str(self.workdir)
        self._reconcile_connection_info(provisioner.connection_info)

    async def start_kernel(self, **kwargs) -> None:
        kwargs["cwd"] = str(self.workdir)
        kwargs["env"] = _kernel_env()
        await super().start_kernel(**kwargs)
        process = getattr(self.provisioner, "process", None)
        if isinstance(process, _ZygoteChild):
            self.pgid = process.pid  # its own session, perhaps not yet entered: never ask getpgid
        elif process is not None and hasattr(os, "getpgid"):
            with contextlib.suppress(OSError):
                self.pgid = os.getpgid(process.pid)

    def client(self, **kwargs):
        kc = super().client(**kwargs)
        self._clients.append(kc)  # closed in finish(): a worker renders hundreds of cases
        return kc

    def cpu_seconds(self) -> float | None:
        """CPU time the kernel has used so far (Linux ``/proc``; None elsewhere or when it is gone)."""
        process = getattr(self.provisioner, "process", None) if self.provisioner else None
        if process is None or not sys.platform.startswith("linux"):
            return None
        pids = [process.pid]
        if not isinstance(process, _ZygoteChild):  # the guard: the kernel is its child
            with contextlib.suppress(OSError):
                pids += [int(p) for p in Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()]
        total = 0.0
        for pid in pids:
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # utime..cstime
        return round(total, 3)

    async def finish(self) -> None:
        """Stop the kernel now, kill anything left in its process group, remove its private folder."""
        self.used_cpu = self.cpu_seconds()
        for kc in self._clients:
            with contextlib.suppress(Exception):
                kc.stop_channels()
        self._clients.clear()
        with contextlib.suppress(Exception):
            if self.has_kernel:
                await self.shutdown_kernel(now=True)
        if self.pgid is not None and hasattr(os, "killpg"):
            with contextlib.suppress(OSError):
                os.killpg(self.pgid, signal.SIGKILL)  # whatever the kernel started and left behind
        with contextlib.suppress(Exception):
            await self.cleanup_resources()
        shutil.rmtree(self.workdir, ignore_errors=True)


_spare: GuardedKernelManager | None = None


def _run(coro):
    from jupyter_core.utils import run_sync

    async def wrapper():
        return await coro

    return run_sync(wrapper)()


def take_kernel(limits: KernelLimits, kernel_name: str, *, warm_next: bool = False) -> GuardedKernelManager:
    """A started kernel for one notebook: the spare started earlier when it fits, else a new one.

    With ``warm_next`` a spare for the next notebook starts right away, in the background.
    """
    global _spare
    km = None
    if _spare is not None and _spare.limits == limits and _spare.kernel_name == kernel_name:
        km, _spare = _spare, None
        if not _run(km.is_alive()):
            _run(km.finish())
            km = None
    discard_spare()
    if km is None:
        km = GuardedKernelManager(limits, kernel_name=kernel_name)
        _run(km.start_kernel())
    if warm_next:
        spare = GuardedKernelManager(limits, kernel_name=kernel_name)
        _run(spare.start_kernel())
        _spare = spare
    return km


def discard_spare() -> None:
    """Stop the spare kernel, if one is waiting (no more notebooks to run here)."""
    global _spare
    if _spare is not None:
        spare, _spare = _spare, None
        _run(spare.finish())

"""Kernels for templates: quiet, isolated from the caller's folder, limited, and never left running.

Every kernel that renders a template

- talks to us over IPC sockets in a private folder (no TCP port, so ipykernel has no reason to warn
  about unencrypted TCP); Windows, where ZeroMQ lacks IPC, keeps TCP on localhost;
- starts in that private, empty folder with ``PYTHONSAFEPATH`` set and the folder holding the
  installed ``casebook``, ``evidence``, ``geo`` and ``safeio`` packages first on ``PYTHONPATH``: a
  ``geo/`` or ``casebook/`` folder wherever the user stands cannot shadow them;
- runs under :mod:`casebook.kernel_guard`, which caps memory and time and kills the kernel's
  whole process group on timeout, on error and when this process dies;
- is used for one notebook only. A batch worker starts the next case's kernel while the current
  case runs (:func:`take_kernel` with ``warm_next``), so the kernel's start and its imports of
  pandas, geo and evidence overlap with work instead of adding to it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

import safeio

__all__ = ["DEFAULT_MEMORY_MB", "DEFAULT_SECONDS", "PRELOAD", "GuardedKernelManager", "KernelLimits",
           "discard_spare", "limits_note", "package_root", "take_kernel"]

DEFAULT_MEMORY_MB = 4096  # a dossier kernel peaks near 1 GiB of address space; a runaway stops at 4
DEFAULT_SECONDS = 1800
# What a dossier needs before its first cell; imported while the kernel starts.
PRELOAD = "import casebook.sections, evidence.label_report, geo"
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
    env["MPLBACKEND"] = "Agg"
    return env


class GuardedKernelManager(AsyncKernelManager):
    """A kernel manager that starts its kernel under :mod:`casebook.kernel_guard` in a private folder."""

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

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        extra = list(extra_arguments or [])
        if self.preload:
            extra.append(f"--IPKernelApp.exec_lines={self.preload}")
        cmd = super().format_kernel_cmd(extra_arguments=extra)
        return [cmd[0], "-I", str(GUARD), "--memory-mb", str(self.limits.memory_mb), "--seconds",
                str(self.limits.seconds), "--parent", str(os.getpid()), "--", *cmd]

    async def start_kernel(self, **kwargs) -> None:
        kwargs["cwd"] = str(self.workdir)
        kwargs["env"] = _kernel_env()
        await super().start_kernel(**kwargs)
        process = getattr(self.provisioner, "process", None)
        if process is not None and hasattr(os, "getpgid"):
            with contextlib.suppress(OSError):
                self.pgid = os.getpgid(process.pid)

    def client(self, **kwargs):
        kc = super().client(**kwargs)
        self._clients.append(kc)  # closed in finish(): a worker renders hundreds of cases
        return kc

    async def finish(self) -> None:
        """Stop the kernel now, kill anything left in its process group, remove its private folder."""
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

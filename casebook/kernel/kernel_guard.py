"""Start one Jupyter kernel under limits, and take its whole process tree down with it.

Run as ``python -I kernel_guard.py --memory-mb M --seconds S --parent PID -- KERNEL ARGV...``
(``-I``: the guard imports nothing but the standard library, whatever the working folder holds).
The kernel manager starts it in a new session, so the guard leads a process group that holds the
kernel and everything the kernel starts. The guard

- caps the address space of itself and the kernel (``RLIMIT_AS``) and their CPU time;
- dies with its parent: Linux delivers SIGTERM when the process that started it ends
  (``prctl(PR_SET_PDEATHSIG)``), and the kernel gets SIGKILL when the guard ends;
- on SIGTERM, SIGHUP or when the wall-clock limit passes, kills its whole process group.

Where a POSIX feature is missing (Windows has no setrlimit, process groups or prctl) the kernel
runs without that limit; :func:`casebook.kernel.kernels.limits_note` states which ones hold.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import subprocess
import sys

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def parent_death_signal(signum: int) -> bool:
    """Ask Linux to send ``signum`` to this process when its parent ends; False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _kill_group(*_args) -> None:
    try:
        os.killpg(os.getpgrp(), signal.SIGKILL)  # the kernel, its children and this guard
    finally:
        os._exit(137)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memory-mb", type=int, default=0)
    parser.add_argument("--seconds", type=int, default=0)
    parser.add_argument("--parent", type=int, default=0)
    parser.add_argument("kernel", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.kernel[1:] if args.kernel[:1] == ["--"] else args.kernel
    if not command:
        parser.error("no kernel command after --")
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGTERM, _kill_group)
        signal.signal(signal.SIGHUP, _kill_group)
        signal.signal(signal.SIGINT, lambda *_: None)  # an interrupt is for the kernel, not the guard
        if parent_death_signal(signal.SIGTERM) and args.parent and os.getppid() != args.parent:
            _kill_group()  # the parent ended before the signal was armed
    try:
        import resource

        if args.memory_mb > 0:
            limit = args.memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        if args.seconds > 0:  # CPU time: a backstop for the wall-clock limit below
            cpu = args.seconds * max(os.cpu_count() or 1, 1)
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    except ImportError:  # Windows: no resource module
        pass
    if args.seconds > 0 and hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, _kill_group)
        signal.alarm(args.seconds)
    preexec = (lambda: parent_death_signal(signal.SIGKILL)) if sys.platform.startswith("linux") else None
    kernel = subprocess.Popen(command, preexec_fn=preexec)  # preexec_fn is safe here: the guard has one thread
    while True:
        try:
            return kernel.wait()
        except InterruptedError:  # pragma: no cover - PEP 475 retries; kept for old interpreters
            continue


if __name__ == "__main__":
    sys.exit(main())

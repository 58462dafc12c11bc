"""Import the libraries once, then fork a fresh kernel per notebook: the cost of a kernel is a fork.

``python -m casebook.kernel.kernel_zygote --parent PID`` imports ipykernel, pandas, geo, evidence and the
dossier sections, says ``ready``, and then serves one JSON request per line on stdin:

- ``{"fork": [kernel args], "cwd": DIR, "env": {...}, "memory_mb": M, "seconds": S}`` -> ``{"pid": PID}``: a child
  in a session of its own (its process group holds everything it starts), with its address space
  capped, its wall-clock time watched, and the parent-death signal set; it runs the IPython kernel.
- ``{"status": PID}`` -> ``{"returncode": CODE or null}``; ``{"kill": PID}`` kills that child's group.

Each kernel is a new process that has run no cell before: a fork of a process that only imported
modules, so no state passes from one case to the next. The zygote dies with its parent and takes
every kernel it made with it (Linux parent-death signal). multiprocessing's forkserver does the
same for its workers; it cannot start a Jupyter kernel, hence this small loop.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import signal
import sys
import time

from casebook.kernel.kernel_guard import parent_death_signal

_children: dict[int, float] = {}  # pid -> deadline (monotonic; 0: none)
_finished: dict[int, int] = {}


def _kill_all(*_args) -> None:
    for pid in list(_children):
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
    os._exit(0)


def _preload() -> None:
    # what ipykernel sets before the first cell; matplotlib reads it once, at import, here
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    import ipykernel.kernelapp  # noqa: F401 - the kernel itself

    from casebook.kernel.kernels import PRELOAD

    exec(PRELOAD, {})  # noqa: S102 - a fixed import line of our own


def _run_kernel(args: list[str], cwd: str, env: dict | None, memory_mb: int, seconds: int) -> None:
    """In the forked child: become a fresh session under limits, then run the IPython kernel."""
    os.setsid()
    if env is not None:  # the caller's environment now, not the one the zygote started with
        os.environ.clear()
        os.environ.update(env)
        os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    for signum in (signal.SIGTERM, signal.SIGCHLD, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    parent_death_signal(signal.SIGKILL)
    if memory_mb > 0:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        if seconds > 0:
            cpu = seconds * max(os.cpu_count() or 1, 1)
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    os.chdir(cwd)
    if "numpy" in sys.modules:  # a fork shares the parent's global generator state (random reseeds itself)
        sys.modules["numpy"].random.seed()
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(2, 1)  # C-level output of the kernel goes where the zygote's errors go
    # the zygote is the parent to watch (as jupyter_client's launcher arranges); it also silences the banner
    args = [*args, f"--IPKernelApp.parent_handle={os.getppid()}"]
    sys.argv = ["ipykernel_launcher", *args]
    code = 0
    try:
        from ipykernel.kernelapp import IPKernelApp

        IPKernelApp.launch_instance(argv=args)
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 0
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _reap() -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _children.pop(pid, None)
        _finished[pid] = os.waitstatus_to_exitcode(status)


def _answer(request: dict) -> dict:
    if "fork" in request:
        deadline = time.monotonic() + request["seconds"] if request.get("seconds") else 0.0
        pid = os.fork()
        if pid == 0:
            _run_kernel(list(request["fork"]), request["cwd"], request.get("env"),
                        int(request.get("memory_mb") or 0), int(request.get("seconds") or 0))
        _children[pid] = deadline
        return {"pid": pid}
    if "status" in request:
        _reap()
        pid = int(request["status"])
        return {"returncode": _finished.get(pid) if pid not in _children else None}
    if "kill" in request:
        pid = int(request["kill"])
        if pid in _children:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
        return {"killed": pid}
    return {"error": "unknown request"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parent", type=int, default=0)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _kill_all)
    signal.signal(signal.SIGHUP, _kill_all)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent_death_signal(signal.SIGTERM) and args.parent and os.getppid() != args.parent:
        return 1
    _preload()
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    stdin = sys.stdin.fileno()
    pending = b""
    while True:
        readable, _, _ = select.select([stdin], [], [], 0.5)
        _reap()
        now = time.monotonic()
        for pid, deadline in list(_children.items()):
            if deadline and now > deadline:  # the wall-clock limit: the kernel and all it started
                try:
                    os.killpg(pid, signal.SIGKILL)
                except OSError:
                    pass
        if not readable:
            continue
        chunk = os.read(stdin, 65536)
        if not chunk:  # the parent closed the pipe: no more kernels to make
            _kill_all()
        pending += chunk
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            out.write(json.dumps(_answer(json.loads(line))) + "\n")
            out.flush()


if __name__ == "__main__":
    sys.exit(main())

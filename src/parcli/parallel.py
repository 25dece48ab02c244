"""Worker processes for jobs made of many independent files (writing workbooks, for now).

:func:`run_in_workers` maps a function over argument tuples in a process pool and yields the results
in order.  It never fails because of the pool: when the pool cannot start, breaks, or a worker raises
:class:`WorkerUnavailable`, it simply stops, and the caller does the rest in its own process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


class WorkerUnavailable(Exception):
    """Raised by a worker that cannot do the job (its initializer found different inputs); the caller takes over."""


def die_with_parent() -> None:
    """Make this worker process end when its parent dies (Linux); a killed merge leaves no worker behind."""
    import sys

    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return


JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x2000
JOB_OBJECT_EXTENDED_LIMIT_INFORMATION = 9
_JOB: list[Any] = []  # the Windows job object, kept open for the life of the process


def _limit_information() -> Any:
    """JOBOBJECT_EXTENDED_LIMIT_INFORMATION (winnt.h), as ctypes lays it out."""
    import ctypes

    class Basic(ctypes.Structure):
        _fields_ = [
            ("PerProcessUserTimeLimit", ctypes.c_int64),
            ("PerJobUserTimeLimit", ctypes.c_int64),
            ("LimitFlags", ctypes.c_uint32),
            ("MinimumWorkingSetSize", ctypes.c_size_t),
            ("MaximumWorkingSetSize", ctypes.c_size_t),
            ("ActiveProcessLimit", ctypes.c_uint32),
            ("Affinity", ctypes.c_size_t),
            ("PriorityClass", ctypes.c_uint32),
            ("SchedulingClass", ctypes.c_uint32),
        ]

    class Extended(ctypes.Structure):
        _fields_ = [
            ("BasicLimitInformation", Basic),
            ("IoInfo", ctypes.c_uint64 * 6),
            ("ProcessMemoryLimit", ctypes.c_size_t),
            ("JobMemoryLimit", ctypes.c_size_t),
            ("PeakProcessMemoryUsed", ctypes.c_size_t),
            ("PeakJobMemoryUsed", ctypes.c_size_t),
        ]

    info = Extended()
    info.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
    return info


def tie_workers_to_this_process(kernel32: Any = None, *, windows: bool | None = None) -> bool:
    """Windows: put this process in a job object that kills its members when the job closes, so the worker
    processes it starts (which join its job) die with it, as ``die_with_parent`` gives on Linux.  Once per
    process; False when not on Windows or when the job cannot be made (the workers then end on their own).
    ``kernel32`` is given by tests."""
    import sys

    if not (sys.platform == "win32" if windows is None else windows):
        return False
    if _JOB:
        return True
    import ctypes

    api = kernel32 if kernel32 is not None else ctypes.windll.kernel32  # type: ignore[attr-defined]
    job = api.CreateJobObjectW(None, None)
    if not job:
        return False
    info = _limit_information()
    if not api.SetInformationJobObject(
        job, JOB_OBJECT_EXTENDED_LIMIT_INFORMATION, ctypes.byref(info), ctypes.sizeof(info)
    ):
        api.CloseHandle(job)
        return False
    if not api.AssignProcessToJobObject(job, api.GetCurrentProcess()):  # e.g. already in a job that forbids it
        api.CloseHandle(job)
        return False
    _JOB.append(job)
    return True


def quiet_worker() -> None:
    """A worker prints nothing of the libraries' warnings (English, technical): the parent's command line
    silences them too, and says what matters of them itself."""
    import warnings

    warnings.simplefilter("ignore")


def _start_worker(initializer: Callable[..., None] | None, *initargs: Any) -> None:
    """Every worker's initializer: die with the parent, quiet, then run the caller's own."""
    die_with_parent()
    quiet_worker()
    if initializer is not None:
        initializer(*initargs)


def start_method() -> str:
    """fork when it is safe (Linux, no other thread: fast, nothing re-imported); else forkserver or spawn.

    A parent that runs threads (the CLI's progress bar) is never forked: a lock held by another thread
    at that moment would stay held in the child.
    """
    import multiprocessing
    import sys
    import threading

    methods = multiprocessing.get_all_start_methods()
    if sys.platform == "linux" and threading.active_count() == 1 and "fork" in methods:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def mp_context(preload: Sequence[str] = ()) -> Any:
    """The multiprocessing context of :func:`start_method`; a forkserver imports ``preload`` modules once."""
    import multiprocessing

    context = multiprocessing.get_context(start_method())
    if context.get_start_method() == "forkserver" and preload:
        context.set_forkserver_preload(list(preload))  # workers start with these modules imported
    return context


def run_in_workers(
    work: Callable[..., T],
    jobs: Sequence[tuple[Any, ...]],
    *,
    workers: int,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    preload: Sequence[str] = (),
) -> Iterator[T]:
    """Yield ``work(*job)`` for each job, in order, computed by ``workers`` processes.

    ``work`` and ``initializer`` must be module-level functions (they are pickled by name).  Stop early,
    without an error, when the pool cannot start or breaks or ``work`` raises :class:`WorkerUnavailable`:
    the jobs not yet yielded are left to the caller.
    """
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    tie_workers_to_this_process()
    try:
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=mp_context(preload),
            initializer=_start_worker,
            initargs=(initializer, *initargs),
        )
    except (OSError, ValueError, NotImplementedError):
        return
    try:
        chunk = max(1, min(8, len(jobs) // (workers * 8)))
        yield from pool.map(work, *zip(*jobs, strict=True), chunksize=chunk)
    except (WorkerUnavailable, BrokenProcessPool):
        return
    finally:
        pool.shutdown(wait=True, cancel_futures=True)

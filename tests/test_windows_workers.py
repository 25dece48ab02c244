"""Worker processes die with their parent on Windows too: the parent joins a job object that kills its members
when it closes (simulated: the kernel32 calls are recorded, as Windows would answer them)."""

from __future__ import annotations

import ctypes
from typing import Any

import pytest

import parcli.parallel
from parcli.parallel import JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE, tie_workers_to_this_process


class FakeKernel32:
    """Records the job-object calls and answers as Windows does (``assign``: whether the process may join)."""

    def __init__(self, *, assign: bool = True) -> None:
        self.assign = assign
        self.calls: list[str] = []
        self.limit = 0

    def CreateJobObjectW(self, _attributes: Any, _name: Any) -> int:
        self.calls.append("create")
        return 77

    def SetInformationJobObject(self, job: int, kind: int, info: Any, size: int) -> int:
        self.calls.append("set")
        structure = ctypes.cast(info, ctypes.POINTER(type(parcli.parallel._limit_information()))).contents
        self.limit = structure.BasicLimitInformation.LimitFlags
        return 1

    def GetCurrentProcess(self) -> int:
        return -1

    def AssignProcessToJobObject(self, job: int, process: int) -> int:
        self.calls.append("assign")
        return 1 if self.assign else 0

    def CloseHandle(self, handle: int) -> int:
        self.calls.append("close")
        return 1


@pytest.fixture(autouse=True)
def no_job(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parcli.parallel, "_JOB", [])


def test_the_parent_joins_a_job_that_kills_on_close() -> None:
    kernel32 = FakeKernel32()
    assert tie_workers_to_this_process(kernel32, windows=True)
    assert kernel32.calls == ["create", "set", "assign"]
    assert kernel32.limit == JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
    assert tie_workers_to_this_process(kernel32, windows=True) and kernel32.calls.count("create") == 1  # once


def test_a_job_that_cannot_be_joined_is_closed_and_left() -> None:
    kernel32 = FakeKernel32(assign=False)
    assert not tie_workers_to_this_process(kernel32, windows=True)
    assert kernel32.calls == ["create", "set", "assign", "close"]


def test_nothing_happens_elsewhere() -> None:
    assert not tie_workers_to_this_process(FakeKernel32(), windows=False)

"""Work done beside the build's own process: the audits, computed while the pages are rendered.

Each task runs in a fresh `python -m scoring.publish.workers` (not a fork: the build's process may run
threads, the live preview's server; and not `multiprocessing`, which would import the caller's main
script again in the worker). It reads the pickled function and arguments from a temporary file and
writes the pickled result to its standard output. On a machine with one core, or if the worker fails,
the work is done in the build's own process.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")


class Task(Generic[T]):
    """`compute()` running in a worker process; `result()` waits for it."""

    def __init__(self, compute: Callable[[], T]) -> None:
        self.compute = compute
        self.process: subprocess.Popen[bytes] | None = None
        if (os.cpu_count() or 1) < 2:
            return
        handle, name = tempfile.mkstemp(prefix="cyberpower-task-", suffix=".pickle")
        self.file = Path(name)
        with os.fdopen(handle, "wb") as out:
            pickle.dump(compute, out, protocol=pickle.HIGHEST_PROTOCOL)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scoring.publish.workers", name],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    def result(self) -> T:
        """The result: the worker's, or computed here where there was none or it failed."""
        if self.process is not None:
            output, _ = self.process.communicate()
            if self.process.returncode == 0:
                value: T = pickle.loads(output)  # our own worker's result
                return value
        return self.compute()

    def __del__(self) -> None:  # never waited for (the build failed first): stop the worker
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            self.process.communicate()
            self.file.unlink(missing_ok=True)  # if it was stopped before it read its task


if __name__ == "__main__":
    task = Path(sys.argv[1])
    try:
        compute = pickle.loads(task.read_bytes())
    finally:
        task.unlink()
    sys.stdout.buffer.write(pickle.dumps(compute(), protocol=pickle.HIGHEST_PROTOCOL))

"""A stand-in for Wan2GP's in-process API (`shared/api.py`, docs/API.md), for tests: the same
names and shapes (`init(...)`, `WanGPSession.submit_task(settings)`, `SessionJob.events`,
`.cancel()`, `.result()`, `.done`; events `started | status | progress | preview | output |
completed | error` carrying `ProgressUpdate`, `GenerationResult`, `GenerationError`), with the
generation itself faked by shared/fake_render.py. The session keeps one model "loaded" between
jobs and counts loads in `loads`, as the real one keeps the last model alive.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from shared import fake_render


@dataclass(frozen=True)
class ProgressUpdate:
    phase: str
    status: str
    progress: int
    current_step: int | None
    total_steps: int | None
    raw_phase: str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class PreviewUpdate:
    image: Any
    phase: str
    status: str
    progress: int
    current_step: int | None
    total_steps: int | None


@dataclass(frozen=True)
class SessionEvent:
    kind: str
    data: Any = None
    timestamp: float = field(default_factory=time.time)


@dataclass(frozen=True)
class GenerationError:
    message: str
    task_index: int | None = None
    task_id: Any = None
    stage: str | None = None

    def __str__(self) -> str:
        return self.message

    @property
    def cancelled(self) -> bool:
        return str(self.stage or "").lower() == "cancelled"


@dataclass(frozen=True)
class GenerationResult:
    success: bool
    generated_files: list
    errors: list
    total_tasks: int
    successful_tasks: int
    failed_tasks: int
    artifacts: tuple = ()

    @property
    def cancelled(self) -> bool:
        return len(self.errors) > 0 and all(e.cancelled for e in self.errors)


class SessionStream:
    def __init__(self) -> None:
        self._queue: queue.Queue = queue.Queue()
        self._closed = threading.Event()
        self._sentinel = object()

    def put(self, kind: str, data: Any = None) -> None:
        if not self._closed.is_set():
            self._queue.put(SessionEvent(kind=kind, data=data))

    def close(self) -> None:
        if not self._closed.is_set():
            self._closed.set()
            self._queue.put(self._sentinel)

    def get(self, timeout: float | None = None):
        try:
            item = self._queue.get(timeout=timeout)
        except queue.Empty:
            return None
        return None if item is self._sentinel else item

    def iter(self, timeout: float | None = None):
        while True:
            event = self.get(timeout=timeout)
            if event is None:
                if self._closed.is_set():
                    break
                continue
            yield event

    @property
    def closed(self) -> bool:
        return self._closed.is_set()


class SessionJob:
    def __init__(self) -> None:
        self.events = SessionStream()
        self._done = threading.Event()
        self._cancel_requested = threading.Event()
        self._result: GenerationResult | None = None

    def cancel(self) -> None:
        self._cancel_requested.set()

    def result(self, timeout: float | None = None) -> GenerationResult:
        if not self._done.wait(timeout=timeout):
            raise TimeoutError("WanGP session job timed out")
        assert self._result is not None
        return self._result

    @property
    def done(self) -> bool:
        return self._done.is_set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel_requested.is_set()


class WanGPSession:
    def __init__(self, *, root, output_dir=None, cli_args=(), **_ignored) -> None:
        self.root = os.path.abspath(str(root))
        self.output_dir = str(output_dir) if output_dir else os.path.join(self.root, "outputs")
        self.cli_args = list(cli_args)
        self.loaded_model: str | None = None
        self.loads = 0
        self.jobs: list[SessionJob] = []
        self._lock = threading.Lock()

    def submit_task(self, settings: dict, callbacks: object | None = None) -> SessionJob:
        job = SessionJob()
        self.jobs.append(job)
        fake_render.log_call(self.root, {"api": "submit_task", "settings": settings,
                                         "cli_args": self.cli_args})
        threading.Thread(target=self._run, args=(job, dict(settings)), daemon=True).start()
        return job

    def _run(self, job: SessionJob, settings: dict) -> None:
        # One generation at a time, as the real session runs one queue.
        with self._lock:
            job.events.put("started", None)
            errors: list[GenerationError] = []
            files: list[str] = []
            try:
                if self.loaded_model != settings.get("model_type"):
                    fake_render.validate(settings, self.root)
                    job.events.put("status", f"Loading model {settings['model_type']}")
                    self.loaded_model = settings["model_type"]
                    self.loads += 1

                def report(kind, data):
                    if kind == "step":
                        step, total, phase = data
                        job.events.put("progress", ProgressUpdate(
                            phase="inference", status=f"Prompt 1/1 | {phase}",
                            progress=int(step * 100 / total), current_step=step,
                            total_steps=total, raw_phase=phase))
                    else:
                        job.events.put("status", data)

                path = fake_render.render(settings, self.root, self.output_dir, report,
                                          job._cancel_requested.is_set)
                files.append(path)
                job.events.put("output", None)
            except fake_render.ValidationFailed as e:
                errors.append(GenerationError(str(e), 1, None, "validation"))
            except fake_render.Cancelled:
                errors.append(GenerationError("Generation was cancelled", 1, None, "cancelled"))
            except Exception as e:  # what a model raises mid-run
                errors.append(GenerationError(str(e), 1, None, "generation"))
            for error in errors:
                job.events.put("error", error)
            result = GenerationResult(
                success=not errors, generated_files=files, errors=errors, total_tasks=1,
                successful_tasks=0 if errors else 1, failed_tasks=1 if errors else 0)
            job._result = result
            job.events.put("completed", result)
            job.events.close()
            job._done.set()


def init(*, root=None, config_path=None, output_dir=None, callbacks=None, cli_args=(),
         console_output=True, console_isatty=True, webui_state=None) -> WanGPSession:
    """Creates the session, as the real `init` does (it also loads the runtime eagerly)."""
    return WanGPSession(root=root or os.getcwd(), output_dir=output_dir, cli_args=cli_args)

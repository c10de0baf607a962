"""Running a sweep's chunks on Dask distributed (the optional ``dask`` extra).

Each chunk is one task keyed by the sweep and its chunk number. A worker lost while
running a chunk makes the scheduler run that chunk again elsewhere; outputs are kept by
chunk number, so every grid point is in the result exactly once.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ..engine.progress import StopRequest
from ..errors import ParameterError
from .chunks import ChunkOutput, ChunkTask, run_chunk

#: How long to wait for an existing scheduler before giving up (s).
CONNECT_TIMEOUT = 10
#: How often the wait for chunks checks for Ctrl-C (s).
POLL = 0.2


def import_distributed() -> Any:
    """The ``distributed`` module, or an ImportError that names the extra to install.

    >>> import_distributed().__name__
    'distributed'
    """
    try:
        import distributed
    except ImportError as err:
        raise ImportError(
            "sweeps with workers= or scheduler= need Dask distributed: pip install 'lifkit[dask]'"
        ) from err
    return distributed


@contextmanager
def dask_client(workers: int | None, scheduler: Any) -> Iterator[Any]:
    """A Client of a new loopback ``LocalCluster`` of ``workers`` single-threaded processes,
    or of the scheduler at address ``scheduler`` (or ``scheduler`` itself if a Client).

    >>> import distributed
    >>> with distributed.Client(processes=False, n_workers=1, dashboard_address=":0") as client:
    ...     with dask_client(None, client) as given:
    ...         given is client
    True
    >>> with dask_client(None, "localhost"):  # doctest: +ELLIPSIS
    ...     pass
    Traceback (most recent call last):
    ...
    lifkit.errors.ParameterError: scheduler = 'localhost': cannot connect (missing port number...
    """
    distributed = import_distributed()
    if isinstance(scheduler, distributed.Client):
        yield scheduler
        return
    if scheduler is not None:
        try:
            client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, ValueError, TypeError) as err:
            raise ParameterError(
                "scheduler", scheduler, f"cannot connect ({err}); give a 'tcp://host:port' address"
            ) from None
        with client:
            yield client
        return
    with (
        distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def count_workers(client: Any) -> int:
    """Number of workers the scheduler knows now (at least 1).

    >>> import distributed
    >>> with distributed.Client(processes=False, n_workers=1, dashboard_address=":0") as client:
    ...     count_workers(client)
    1
    """
    return max(1, len(client.scheduler_info().get("workers", {})))


def warm_workers(client: Any, warm: Callable[..., Any], *args: Any) -> None:
    """Run ``warm(*args)`` on one worker, then on all: the first fills numba's on-disk cache
    alone, so workers sharing a cache folder never compile into it at the same time.

    >>> class Client:  # stands in for a distributed.Client with two workers
    ...     def scheduler_info(self):
    ...         return {"workers": {"tcp://w1": {}, "tcp://w2": {}}}
    ...     def run(self, function, *args, workers=None):
    ...         print("run on", workers or "all")
    >>> warm_workers(Client(), print)
    run on ['tcp://w1']
    run on all
    """
    workers = list(client.scheduler_info().get("workers", {}))
    if workers:
        client.run(warm, *args, workers=workers[:1])
        client.run(warm, *args)


def run_on_dask(
    client: Any,
    tasks: list[ChunkTask],
    *,
    report: Callable[[int], None],
    stop: StopRequest,
) -> dict[int, ChunkOutput]:
    """Run ``tasks`` on ``client``'s cluster; their outputs by chunk number.

    ``report`` gets the number of finished grid points after every chunk. Once
    ``stop.requested`` turns True (within :data:`POLL` seconds, even when a Ctrl-C in the
    terminal also stopped the local workers) the remaining tasks are cancelled and the
    outputs received so far returned. A task's own error is raised.

    >>> import distributed, numpy as np, lifkit as lk
    >>> task = ChunkTask(0, 0, 2, lk.LIF.preset("orhan"), lk.Constant([20.0, 30.0]),
    ...                  30.0, 0.1, 1, lk.Record(neurons=()), ())
    >>> with distributed.Client(processes=False, n_workers=1, dashboard_address=":0") as client:
    ...     outputs = run_on_dask(client, [task], report=print, stop=StopRequest())
    2
    >>> np.bincount(outputs[0].spike_points).tolist()  # 30 ms at 20 and 30 mV
    [2, 4]
    """
    distributed = import_distributed()
    sweep_id = uuid.uuid4().hex[:12]
    pending = [
        client.submit(run_chunk, task, key=f"lifkit-sweep-{sweep_id}-{task.chunk}", pure=False)
        for task in tasks
    ]
    sizes = {task.chunk: task.stop - task.start for task in tasks}
    outputs: dict[int, ChunkOutput] = {}
    try:
        while pending and not stop.requested:
            try:
                distributed.wait(pending, timeout=POLL, return_when="FIRST_COMPLETED")
            except TimeoutError:
                continue
            finished = [f for f in pending if f.done()]  # once: more may finish meanwhile
            pending = [f for f in pending if f not in finished]
            for future in finished:
                output = future.result()
                outputs.setdefault(output.chunk, output)
                future.release()
            report(sum(sizes[c] for c in outputs))
    finally:
        if pending:
            client.cancel(pending)
    return outputs

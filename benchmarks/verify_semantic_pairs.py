"""How often unrelated sentences pass ``semantic.min_cosine``: same-site sentence pairs of the corpus.

Draws sentences (10 to 40 words) at random from the 2022 releases of ``../shared/data/primary``, finds
for each the candidate sentences ``parley verify --semantic`` would compare (other releases of the
same site within 90 days, sharing at least ``semantic.min_share`` of the rare-word weight), keeps the
pairs that word matching does not accept, and prints JSON: how many pairs and sentences reach each
cosine, overall and for first-person sentences (what quotes are), and the best pairs to read by hand.

    pip install 'parley[embeddings]'
    python benchmarks/verify_semantic_pairs.py [SAMPLE_PER_CORPUS]
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path
from typing import Any

from parley.analysis.corroborate import Verifier, align
from parley.analysis.embeddings import load_encoder
from parley.ingest.jsonl import parse_record

CORPUS = Path(__file__).parents[1].parent / "shared" / "data" / "primary"
FIRST_PERSON = re.compile(r"\b(we|I|our|us|my)\b")


def pairs(corpus: Path, sample: int, rng: random.Random) -> list[dict[str, Any]]:
    """Return the candidate pairs of ``sample`` random sentences of ``corpus`` with their cosines."""
    encoder = load_encoder()
    lines = corpus.read_text(encoding="utf-8").splitlines()
    articles = [parse_record(json.loads(line), corpus.name, n) for n, line in enumerate(lines, start=1)]
    verifier = Verifier([a for a in articles if a.published and a.published.year == 2022], [])
    rules = verifier.rules
    primary = verifier.primary_articles
    texts = [verifier._text(a.text, reported=False) for a in primary]
    units = [(n, lo, hi) for n, text in enumerate(texts) for lo, hi in text.sentences if 10 <= hi - lo <= 40]
    found = []
    for n, lo, hi in rng.sample(units, min(sample, len(units))):
        text, day = texts[n], primary[n].published
        norms = text.norms(lo, hi)

        def allowed(unit: int, n: int = n, day: Any = day) -> bool:
            m = verifier._sentences[unit][0]
            return m != n and abs((primary[m].published - day).days) <= 90  # type: ignore[operator]

        best = verifier._sentence_index.best(
            norms, allowed, rules.semantic.candidates, rules.semantic.min_share
        )
        others = []
        for unit in best:
            m, k = verifier._sentences[unit]
            o_lo, o_hi = texts[m].sentences[k]
            alignment = align(norms, texts[m].norms(o_lo, o_hi))
            if not rules.grouping.accept(alignment, rules.grouping.min_content):
                others.append(texts[m].slice(o_lo, o_hi))
        if not others:
            continue
        query = text.slice(lo, hi)
        vectors = encoder.encode([query, *others])
        for other, cosine in zip(others, vectors[1:] @ vectors[0], strict=True):
            found.append({"cosine": round(float(cosine), 4), "sentence": query, "candidate": other})
    return found


def main() -> None:
    sample = int(sys.argv[1]) if len(sys.argv) > 1 else 150
    rng = random.Random(7)
    found = [p for name in ("zelenskyy", "putin") for p in pairs(CORPUS / f"{name}.jsonl", sample, rng)]
    first = [p for p in found if FIRST_PERSON.search(p["sentence"])]

    def reach(items: list[dict[str, Any]], cosine: float) -> dict[str, int]:
        hits = [p for p in items if p["cosine"] >= cosine]
        return {"pairs": len(hits), "sentences": len({p["sentence"] for p in hits})}

    print(
        json.dumps(
            {
                "sentences": len({p["sentence"] for p in found}),
                "pairs": len(found),
                "first_person_sentences": len({p["sentence"] for p in first}),
                "reach": {str(c): reach(found, c) for c in (0.75, 0.8, 0.85, 0.9)},
                "reach_first_person": {str(c): reach(first, c) for c in (0.75, 0.8, 0.85, 0.9)},
                "best": sorted(found, key=lambda p: -p["cosine"])[:25],
            },
            indent=1,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()

"""How long the actor knowledge takes to load and its matchers to build, once per process.

Compares the index Parley builds for the ~60,000 CAMEO/Phoenix dictionary forms (lower-cased token
sequences; only forms with punctuation go through the tokenizer) with a spaCy PhraseMatcher over
the same forms (every form tokenized), in the same run, and times matching the tests' primary-source
sample with both. Prints JSON; the ratios are what to compare across machines.

    python benchmarks/actor_matcher.py
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import spacy
from spacy.matcher import PhraseMatcher

from parley import nlp as parley_nlp
from parley.extract import actors as recognizer_module
from parley.knowledge.actors import load_actors, load_dictionary

SAMPLE = Path(__file__).parents[1] / "tests" / "fixtures" / "primary-sample.jsonl"


def main() -> None:
    nlp = spacy.load(parley_nlp.MODEL)
    t0 = time.perf_counter()
    load_dictionary()
    t1 = time.perf_counter()
    base = load_actors()
    t2 = time.perf_counter()
    recognizer_module._CACHE.clear()
    index = recognizer_module._matchers(nlp, base).index
    t3 = time.perf_counter()
    forms = base.dictionary_forms()
    phrase = PhraseMatcher(nlp.vocab, attr="LOWER")
    phrase.add("FORM", list(nlp.tokenizer.pipe(forms)))
    t4 = time.perf_counter()
    texts = [json.loads(line)["text"] for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    docs = [nlp.make_doc(t) for t in texts]
    t5 = time.perf_counter()
    for doc in docs:
        index.spans(doc)
    t6 = time.perf_counter()
    for doc in docs:
        phrase(doc)
    t7 = time.perf_counter()
    print(
        json.dumps(
            {
                "dictionary_actors": sum(1 for a in base if base.from_dictionary(a.id)),
                "dictionary_forms": len(forms),
                "load_dictionary_s": round(t1 - t0, 3),
                "load_actor_base_s": round(t2 - t1, 3),
                "build_parley_index_s": round(t3 - t2, 3),
                "build_phrase_matcher_s": round(t4 - t3, 3),
                "build_ratio_phrase_matcher_to_index": round((t4 - t3) / (t3 - t2), 1),
                "sample_docs": len(docs),
                "sample_tokens": sum(len(d) for d in docs),
                "match_index_ms": round((t6 - t5) * 1000, 1),
                "match_phrase_matcher_ms": round((t7 - t6) * 1000, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Build and review the hand-annotated attribution gold set (docs/annotation.md).

Annotations are written by hand as *strings* in ``data/gold/src/*.ann`` and this script turns them into
character offsets in ``data/gold/attribution-dev.jsonl``. It refuses anything it cannot locate exactly or
that is ambiguous, so a typo or a string that occurs twice never becomes a silently wrong span.

Source file format (one directive per line, ``#`` starts a comment line, blank lines are ignored)::

    doc: zelenskyy f2febb7779ebbe7f          # corpus (zelenskyy | putin | seed) and article id
    excerpt: FROM ~~ TO                      # optional: text = from the start of FROM to the end of TO
    note: free text for reviewers            # optional, repeatable, not exported

    @ indirect                               # one attribution: direct | indirect | mixed
    S: Prime Minister Denys Shmyhal          # speaker span
    C: said                                  # cue span
    T: last week the country recorded ...    # content part (repeat T: for a quote split by "he said")
    T: FROM ~~ TO                            # a long part given by its first and last words
    W: 800                                   # optional: search window for S and C (default 250)

    @turns                                   # a transcript: each label starts one direct attribution
    L: President of Russia Vladimir Putin    # speaker = label, cue = the colon right after it,
    L: Yury Chikhanchin                      # content = from the colon to the next label
    E: <end spec>                            # optional, after an L: line: that turn ends at the end of
                                             # this string (leaves out "<…>", "(Laughter)", narration)

String specs (for S, C, T, L, E and the ends of a ``~~`` range):

* plain text is matched exactly (case-sensitive) and on word boundaries: a spec that starts (ends) with a
  letter or digit cannot start (end) inside a word, so ``he`` never matches inside ``the``;
* ``[[...]]`` marks the span inside a longer context: ``he [[said]] that`` locates ``he said that`` and
  returns the span of ``said``;
* a trailing `` #N`` picks the N-th occurrence (1-based) instead of requiring a unique one.

Where they are searched:

* T (content) and excerpt ends: the whole document text; must be unique unless ``#N`` is given;
* S and C: the window ``[first content start - W, last content end + W]`` of their attribution, clipped to
  the text; must be unique in that window unless ``#N`` is given (then the N-th occurrence in the window);
* L: the first occurrence of the label followed by ``:`` (blanks allowed before it) after the previous
  turn's cue (turns are sequential by construction), and the script warns when a turn's text contains
  something that looks like a missed speaker label.

Commands::

    python scripts/gold_attribution.py build    # src/*.ann -> attribution-dev.jsonl (fails on any error)
    python scripts/gold_attribution.py show ID  # print a document's attributions for review
    python scripts/gold_attribution.py text ID  # print a source text with offsets, for annotating
    python scripts/gold_attribution.py stats    # counts per kind and per outlet
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SRC_DIR = ROOT / "data" / "gold" / "src"
OUT = ROOT / "data" / "gold" / "attribution-dev.jsonl"
SHARED = ROOT.parent / "shared" / "data"
SEED = ROOT / "examples" / "zelenskyy-ceasefire-territory.txt"
KINDS = ("direct", "indirect", "mixed")
MAX_CHARS = 8000
DEFAULT_WINDOW = 250
RANGE = " ~~ "
OCC = re.compile(r"\s#(\d+)$")
# "Firstname Lastname:" or "Question:" inside a turn: probably a speaker label that the L: list missed.
LABEL_LIKE = re.compile(
    r"(?<![A-Za-z])(?:[A-Z][a-z'\-]+ ){1,3}[A-Z][a-z'\-]+:|\bQuestion:|\bReply:|\bRemark:"
)


class AnnotationError(Exception):
    pass


@dataclass
class Spec:
    raw: str
    needle: str
    inner_start: int
    inner_end: int
    occurrence: int | None


def parse_spec(raw: str) -> Spec:
    raw = raw.strip()
    occurrence = None
    m = OCC.search(raw)
    if m:
        occurrence = int(m.group(1))
        raw_body = raw[: m.start()].rstrip()
    else:
        raw_body = raw
    if "[[" in raw_body or "]]" in raw_body:
        if (
            raw_body.count("[[") != 1
            or raw_body.count("]]") != 1
            or raw_body.index("[[") > raw_body.index("]]")
        ):
            raise AnnotationError(f"bad [[...]] markers in {raw!r}")
        a = raw_body.index("[[")
        b = raw_body.index("]]")
        needle = raw_body[:a] + raw_body[a + 2 : b] + raw_body[b + 2 :]
        inner_start, inner_end = a, b - 2
    else:
        needle = raw_body
        inner_start, inner_end = 0, len(needle)
    if not needle or inner_end <= inner_start:
        raise AnnotationError(f"empty spec {raw!r}")
    return Spec(raw, needle, inner_start, inner_end, occurrence)


def _occurrences(text: str, needle: str, lo: int, hi: int) -> list[int]:
    out = []
    i = text.find(needle, lo, hi)
    while i != -1:
        ok = True
        if needle[0].isalnum() and i > 0 and text[i - 1].isalnum():
            ok = False
        j = i + len(needle)
        if needle[-1].isalnum() and j < len(text) and text[j].isalnum():
            ok = False
        if ok:
            out.append(i)
        i = text.find(needle, i + 1, hi)
    return out


def locate(text: str, raw: str, lo: int = 0, hi: int | None = None, what: str = "") -> tuple[int, int]:
    """Span (start, end) of a spec inside text[lo:hi]; raises unless found exactly once (or #N given)."""
    spec = parse_spec(raw)
    hi = len(text) if hi is None else hi
    lo = max(lo, 0)
    hi = min(hi, len(text))
    occ = _occurrences(text, spec.needle, lo, hi)
    if spec.occurrence is not None:
        if spec.occurrence < 1 or spec.occurrence > len(occ):
            raise AnnotationError(f"{what} {raw!r}: occurrence #{spec.occurrence} of {len(occ)}")
        i = occ[spec.occurrence - 1]
    else:
        if not occ:
            raise AnnotationError(f"{what} {raw!r}: not found in [{lo}, {hi})")
        if len(occ) > 1:
            raise AnnotationError(f"{what} {raw!r}: ambiguous, {len(occ)} occurrences at {occ[:8]}")
        i = occ[0]
    return i + spec.inner_start, i + spec.inner_end


def locate_range(text: str, raw: str, lo: int = 0, hi: int | None = None, what: str = "") -> tuple[int, int]:
    if RANGE in raw:
        first, last = raw.split(RANGE, 1)
        s, _ = locate(text, first, lo, hi, what)
        _, e = locate(text, last, s, hi, what)
        return s, e
    return locate(text, raw, lo, hi, what)


# --------------------------------------------------------------------------------------------------
# sources


def load_source(corpus: str, doc_id: str, shared: Path) -> dict[str, Any]:
    if corpus == "seed":
        text = SEED.read_text(encoding="utf-8")
        return {
            "id": doc_id,
            "text": text,
            "published": None,
            "outlet": None,
            "url": None,
            "title": None,
            "path": "examples/zelenskyy-ceasefire-territory.txt",
        }
    path = shared / "primary" / f"{corpus}.jsonl"
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if d["id"] == doc_id:
                return d
    raise AnnotationError(f"{doc_id} not in {path}")


# --------------------------------------------------------------------------------------------------
# parsing .ann files


@dataclass
class RawAttribution:
    kind: str
    line: int
    speaker: str | None = None
    cue: str | None = None
    content: list[str] = field(default_factory=list)
    window: int = DEFAULT_WINDOW


@dataclass
class RawTurns:
    line: int
    # (line number, label spec, end spec or None): an E: line right after an L: line ends that turn early
    labels: list[tuple[int, str, str | None]] = field(default_factory=list)


@dataclass
class AnnFile:
    path: Path
    corpus: str = ""
    doc_id: str = ""
    excerpt: str | None = None
    blocks: list[RawAttribution | RawTurns] = field(default_factory=list)


def parse_ann(path: Path) -> AnnFile:
    ann = AnnFile(path)
    cur: RawAttribution | RawTurns | None = None
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        where = f"{path.name}:{n}"
        if stripped.startswith("@"):
            tag = stripped[1:].strip()
            if tag == "turns":
                cur = RawTurns(n)
            elif tag in KINDS:
                cur = RawAttribution(tag, n)
            else:
                raise AnnotationError(f"{where}: unknown block {stripped!r}")
            ann.blocks.append(cur)
            continue
        if ":" not in stripped:
            raise AnnotationError(f"{where}: expected 'KEY: value', got {stripped!r}")
        key, value = stripped.split(":", 1)
        key = key.strip()
        value = value.strip()
        if key == "doc":
            ann.corpus, ann.doc_id = value.split()
        elif key == "excerpt":
            ann.excerpt = value
        elif key == "note":
            pass
        elif isinstance(cur, RawAttribution) and key in {"S", "C", "T", "W"}:
            if key == "S":
                if cur.speaker is not None:
                    raise AnnotationError(f"{where}: second S: in one attribution")
                cur.speaker = value
            elif key == "C":
                if cur.cue is not None:
                    raise AnnotationError(f"{where}: second C: in one attribution")
                cur.cue = value
            elif key == "T":
                cur.content.append(value)
            else:
                cur.window = int(value)
        elif isinstance(cur, RawTurns) and key in {"L", "E"}:
            if key == "L":
                cur.labels.append((n, value, None))
            elif not cur.labels or cur.labels[-1][2] is not None:
                raise AnnotationError(f"{where}: E: must follow an L: line")
            else:
                cur.labels[-1] = (cur.labels[-1][0], cur.labels[-1][1], value)
        else:
            raise AnnotationError(f"{where}: unexpected {key!r} here")
    if not ann.corpus:
        raise AnnotationError(f"{path.name}: no doc: line")
    return ann


# --------------------------------------------------------------------------------------------------
# building


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def build_doc(ann: AnnFile, shared: Path) -> tuple[dict[str, Any], list[str]]:
    src = load_source(ann.corpus, ann.doc_id, shared)
    full = src["text"]
    warnings: list[str] = []
    start, end = 0, len(full)
    if ann.excerpt:
        start, end = locate_range(full, ann.excerpt, what="excerpt")
    text = full[start:end]
    if len(text) > MAX_CHARS:
        raise AnnotationError(f"{ann.path.name}: text has {len(text)} chars (max {MAX_CHARS})")
    attributions: list[dict[str, Any]] = []
    for block in ann.blocks:
        if isinstance(block, RawAttribution):
            where = f"{ann.path.name}:{block.line}"
            if block.speaker is None or block.cue is None or not block.content:
                raise AnnotationError(f"{where}: an attribution needs S:, C: and at least one T:")
            parts = [locate_range(text, t, what=f"{where} T") for t in block.content]
            lo = min(p[0] for p in parts) - block.window
            hi = max(p[1] for p in parts) + block.window
            sp = locate(text, block.speaker, lo, hi, what=f"{where} S")
            cu = locate(text, block.cue, lo, hi, what=f"{where} C")
            attributions.append(_attribution(sp, cu, parts, block.kind))
        else:
            where = f"{ann.path.name}:{block.line}"
            pos = 0
            turns: list[tuple[tuple[int, int], tuple[int, int], int]] = []
            ends: list[str | None] = []
            for line_no, label, end_spec in block.labels:
                ends.append(end_spec)
                spec = parse_spec(label)
                if spec.occurrence is not None:
                    raise AnnotationError(f"{ann.path.name}:{line_no}: no #N in turn labels")
                # the label, optional blanks, then the colon ("Prime Minister ... Federation :")
                m = re.compile(re.escape(spec.needle) + r"[ \t]*:").search(text, pos)
                while m and m.start() > 0 and spec.needle[0].isalnum() and text[m.start() - 1].isalnum():
                    m = re.compile(re.escape(spec.needle) + r"[ \t]*:").search(text, m.start() + 1)
                if not m:
                    raise AnnotationError(f"{ann.path.name}:{line_no}: label {label!r} not found after {pos}")
                i = m.start()
                sp = (i + spec.inner_start, i + spec.inner_end)
                colon = m.end() - 1
                turns.append((sp, (colon, colon + 1), i))
                pos = colon + 1
            for k, (sp, cu, _) in enumerate(turns):
                stop = turns[k + 1][2] if k + 1 < len(turns) else len(text)
                if ends[k] is not None:
                    _, stop = locate(text, ends[k], cu[1], stop, what=f"{where} E")
                content = _strip(text, cu[1], stop)
                if content[0] >= content[1]:
                    raise AnnotationError(f"{where}: empty turn for {text[sp[0] : sp[1]]!r}")
                body = text[content[0] : content[1]]
                for m in LABEL_LIKE.finditer(body):
                    warnings.append(
                        f"{ann.path.name}: turn of {text[sp[0] : sp[1]]!r} contains label-like {m.group(0)!r}"
                    )
                attributions.append(_attribution(sp, cu, [content], "direct"))
    attributions.sort(key=lambda a: (a["content"][0]["start"], a["speaker"]["start"]))
    doc = {
        "id": ann.doc_id if ann.corpus != "seed" else f"seed-{ann.doc_id}",
        "text": text,
        "published": src.get("published"),
        "outlet": src.get("outlet"),
        "title": src.get("title"),
        "url": src.get("url"),
        "source": {
            "corpus": ann.corpus,
            "id": ann.doc_id,
            "start": start,
            "end": end,
            "full_length": len(full),
        },
        "attributions": attributions,
    }
    problems = validate_doc(doc)
    if problems:
        raise AnnotationError(f"{ann.path.name}: " + "; ".join(problems))
    return doc, warnings


def _attribution(
    sp: tuple[int, int], cu: tuple[int, int], parts: list[tuple[int, int]], kind: str
) -> dict[str, Any]:
    return {
        "speaker": {"start": sp[0], "end": sp[1]},
        "cue": {"start": cu[0], "end": cu[1]},
        "content": [{"start": s, "end": e} for s, e in sorted(parts)],
        "kind": kind,
    }


def validate_doc(doc: dict[str, Any]) -> list[str]:
    """The same structural checks as tests/test_gold_attribution.py, with readable messages."""
    text = doc["text"]
    n = len(text)
    problems = []
    seen = set()
    for i, a in enumerate(doc["attributions"]):
        tag = f"#{i}"
        spans = [("speaker", a["speaker"]), ("cue", a["cue"])] + [("content", c) for c in a["content"]]
        for name, s in spans:
            if not (0 <= s["start"] < s["end"] <= n):
                problems.append(f"{tag} {name} {s} out of range or empty")
            elif text[s["start"]].isspace() or text[s["end"] - 1].isspace():
                problems.append(f"{tag} {name} {text[s['start'] : s['end']]!r} has outer whitespace")
        if a["kind"] not in KINDS:
            problems.append(f"{tag} bad kind {a['kind']!r}")
        parts = a["content"]
        for p, q in itertools.pairwise(parts):
            if p["end"] > q["start"]:
                problems.append(f"{tag} content parts overlap or unsorted")
        for name in ("speaker", "cue"):
            s = a[name]
            for c in parts:
                if s["start"] < c["end"] and c["start"] < s["end"]:
                    problems.append(f"{tag} {name} overlaps content")
        sp, cu = a["speaker"], a["cue"]
        if sp["start"] < cu["end"] and cu["start"] < sp["end"]:
            problems.append(f"{tag} speaker overlaps cue")
        key = json.dumps([sp, cu, parts], sort_keys=True)
        if key in seen:
            problems.append(f"{tag} duplicate attribution")
        seen.add(key)
    return problems


def build(shared: Path, out: Path) -> list[dict[str, Any]]:
    docs = []
    errors = []
    for path in sorted(SRC_DIR.glob("*.ann")):
        try:
            doc, warnings = build_doc(parse_ann(path), shared)
        except AnnotationError as exc:
            errors.append(str(exc))
            continue
        for w in warnings:
            print("warning:", w, file=sys.stderr)
        docs.append(doc)
    if errors:
        for e in errors:
            print("error:", e, file=sys.stderr)
        raise SystemExit(f"{len(errors)} file(s) refused; nothing written")
    ids = [d["id"] for d in docs]
    if len(set(ids)) != len(ids):
        raise SystemExit("duplicate document ids")
    docs.sort(key=lambda d: (d["outlet"] or "~", d["published"] or "", d["id"]))
    with out.open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    return docs


# --------------------------------------------------------------------------------------------------
# review helpers


def _load_out(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]


def show(doc_id: str, out: Path, width: int) -> None:
    for d in _load_out(out):
        if d["id"] != doc_id and d["source"]["id"] != doc_id:
            continue
        t = d["text"]
        n = len(d["attributions"])
        print(f"== {d['id']} {d['outlet']} {d['published']} {len(t)} chars, {n} attributions")
        for i, a in enumerate(d["attributions"]):
            sp = t[a["speaker"]["start"] : a["speaker"]["end"]]
            cu = t[a["cue"]["start"] : a["cue"]["end"]]
            print(f"[{i}] {a['kind']:8} S={sp!r} C={cu!r}")
            for c in a["content"]:
                body = t[c["start"] : c["end"]]
                if width and len(body) > width:
                    body = body[: width // 2] + " ... " + body[-width // 2 :]
                print(textwrap.indent(textwrap.fill(body, 110), "      | "))


def show_text(corpus: str, doc_id: str, shared: Path) -> None:
    t = load_source(corpus, doc_id, shared)["text"]
    for m in re.finditer(r"[^.!?]+(?:[.!?]+\"?|$)\s*", t):
        print(f"{m.start():6d} {m.group(0).strip()}")


def stats(out: Path) -> dict[str, Any]:
    docs = _load_out(out)
    per_kind: dict[str, int] = {}
    per_outlet: dict[str, dict[str, int]] = {}
    for d in docs:
        outlet = d["outlet"] or "seed"
        o = per_outlet.setdefault(outlet, {"documents": 0, "attributions": 0})
        o["documents"] += 1
        o["attributions"] += len(d["attributions"])
        for a in d["attributions"]:
            per_kind[a["kind"]] = per_kind.get(a["kind"], 0) + 1
            o[a["kind"]] = o.get(a["kind"], 0) + 1
    return {
        "documents": len(docs),
        "attributions": sum(per_kind.values()),
        "per_kind": per_kind,
        "per_outlet": per_outlet,
        "characters": sum(len(d["text"]) for d in docs),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=SHARED, help="shared data folder (with primary/)")
    ap.add_argument("--out", type=Path, default=OUT)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("build")
    p = sub.add_parser("show")
    p.add_argument("id")
    p.add_argument("--width", type=int, default=0, help="abbreviate content longer than this")
    p = sub.add_parser("text")
    p.add_argument("corpus")
    p.add_argument("id")
    sub.add_parser("stats")
    args = ap.parse_args(argv)
    if args.cmd == "build":
        docs = build(args.shared, args.out)
        print(json.dumps(stats(args.out)), file=sys.stderr)
        print(f"wrote {len(docs)} documents to {args.out}", file=sys.stderr)
    elif args.cmd == "show":
        show(args.id, args.out, args.width)
    elif args.cmd == "text":
        show_text(args.corpus, args.id, args.shared)
    else:
        print(json.dumps(stats(args.out), indent=2))


if __name__ == "__main__":
    main()

"""Build Parley's CAMEO/Phoenix actor knowledge from the PETRARCH dictionaries.

Reads the MIT-licensed Phoenix dictionaries of openeventdata/petrarch2 (countries, persons with
date-bounded roles, international organisations, non-state armed groups, agents) and writes them
in Parley's data format under ``src/parley/knowledge/data/phoenix/``:

- ``actors.jsonl.gz``: one actor per line (gzip, about 1 MB instead of 7), with the keys of
  ``actors.yaml`` (id, name, kind, country, sector, aliases) and ``roles`` holding the CAMEO codes
  (``{"title": "CAMEO RUSGOV", "country": "RUS", "sector": "GOV", "start", "end"}``);
- ``agents.json``: generic nouns ("troops", "police") -> PLOVER sector;
- ``verbs.json``: the CAMEO verb dictionary (``CAMEO.2.0.txt``): verb synsets with their default
  codes and word patterns, and the PLOVER reading of each code used, from PLOVER's
  ``CAMEO2PLOVER-2021.txt`` (CC BY-SA 4.0);
- ``LICENSE`` (the MIT licence of the dictionaries) and ``README.md`` (source and attribution).

Usage::

    python scripts/build_actor_base.py [--source ../shared/data/petrarch2] [--out DIR]

The output is deterministic: re-running on the same input gives the same files.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
from pathlib import Path

from parley.knowledge.actors import with_acronyms_split
from parley.knowledge.cameo import (
    ReadReport,
    convert_actors,
    country_codes,
    read_actors,
    read_agents,
    read_cameo2plover,
    read_verbs,
    sector_of,
    verb_rules_data,
)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "petrarch2"
DEFAULT_OUT = ROOT / "src" / "parley" / "knowledge" / "data" / "phoenix"
ACTOR_FILES = (
    "Phoenix.Countries.actors.txt",
    "Phoenix.International.actors.txt",
    "Phoenix.MilNonState.actors.txt",
)
AGENT_FILE = "Phoenix.agents.txt"
VERB_FILE = "CAMEO.2.0.txt"
DEFAULT_PLOVER = ROOT.parent / "shared" / "data" / "plover" / "CAMEO2PLOVER-2021.txt"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="petrarch2 dictionary folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--plover", type=Path, default=DEFAULT_PLOVER, help="CAMEO2PLOVER-2021.txt")
    args = parser.parse_args(argv)
    report = ReadReport()
    records = [r for name in ACTOR_FILES for r in read_actors(args.source / name, report)]
    for record in records:
        # "LIBERATION TIGERS OF TAMIL EELAM (LTTE)" -> also the name and the acronym on their own.
        record.forms = with_acronyms_split(record.forms)
    countries = country_codes(read_actors(args.source / ACTOR_FILES[0]))
    args.out.mkdir(parents=True, exist_ok=True)
    actors = convert_actors(records, countries)
    lines = "".join(json.dumps(actor, ensure_ascii=False) + "\n" for actor in actors)
    # mtime=0 and no file name in the header: the same input gives byte-identical output.
    with (
        (args.out / "actors.jsonl.gz").open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as out,
    ):
        out.write(lines.encode("utf-8"))
    agents = {
        phrase: sector
        for phrase, code in read_agents(args.source / AGENT_FILE, report).items()
        if (sector := sector_of(code)) is not None
    }
    (args.out / "agents.json").write_text(
        json.dumps(dict(sorted(agents.items())), ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
    )
    verbs = verb_rules_data(read_verbs(args.source / VERB_FILE, report), read_cameo2plover(args.plover))
    (args.out / "verbs.json").write_text(json.dumps(verbs, ensure_ascii=False) + "\n", encoding="utf-8")
    shutil.copyfile(args.source / "LICENSE", args.out / "LICENSE")
    for line in report.skipped:
        print(f"skipped {line}", file=sys.stderr)
    print(
        json.dumps(
            {
                "actors": len(actors),
                "forms": sum(1 + len(a["aliases"]) for a in actors),
                "agents": len(agents),
                "verb_synsets": len(verbs["synsets"]),
                "verb_patterns": sum(len(v["patterns"]) for v in verbs["synsets"]),
                "skipped": len(report.skipped),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

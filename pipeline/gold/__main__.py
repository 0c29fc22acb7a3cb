"""`python -m pipeline.gold check FILE.ann ...`: parse and validate authoring files (for annotators)."""

import sys

from pipeline.gold.authoring import AuthoringError, read_ann
from pipeline.gold.validate import validate_record


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("check", "stats"):
        print("usage: python -m pipeline.gold check|stats FILE.ann [FILE.ann ...]", file=sys.stderr)
        return 2
    if argv[0] == "stats":
        return stats(argv[1:])
    failed = 0
    for path in argv[1:]:
        try:
            record = read_ann(path)
        except AuthoringError as err:
            print(err)
            failed += 1
            continue
        problems = validate_record(record)
        for problem in problems:
            print(f"{path}: {problem}")
        failed += bool(problems)
        if not problems:
            words = len(record["text"].split())
            print(f"{path}: ok ({words} words, {len(record['spans'])} spans, {len(record['entities'])} entities, {len(record['relations'])} relations)")
    return 1 if failed else 0


def stats(paths: list[str]) -> int:
    from collections import Counter
    spans, relations, langs, groups = Counter(), Counter(), Counter(), set()
    words = 0
    for path in paths:
        record = read_ann(path)
        words += len(record["text"].split())
        langs[record["lang"]] += 1
        spans.update(s["label"] for s in record["spans"])
        relations.update(r["label"] for r in record["relations"])
        groups.update(e["name"] for e in record["entities"] if e["label"] == "CRIMINAL_GROUP")
    print(f"{len(paths)} documents, {words} words, languages {dict(langs)}, {len(groups)} distinct criminal groups")
    print("spans:", dict(sorted(spans.items())))
    print("relations:", dict(sorted(relations.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

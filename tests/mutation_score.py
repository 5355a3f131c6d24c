"""Print the score of the last `make mutate` run (mutmut 3 keeps each mutant's result in
mutants/**/*.meta): mutants killed out of those tested, per part, and the surviving ones per
function. `mutmut show NAME` prints a survivor's diff; docs/mutation.md says why those left
are left. Not a test module: run by `make mutate`.

    python tests/mutation_score.py 'taskforce.domain.*' ['taskforce.services.roster.*' …]
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from fnmatch import fnmatch
from pathlib import Path

GOAL = 90.0  # issue 10 §4: at least 90 % of the mutants of domain/ killed
# mutmut's exit codes: a failing test (1), pytest's internal error (3), a timeout and a type
# check all count as the mutant detected; 0 survived; 5/33 no test reached the mutated function.
KILLED = {1, 3, 24, -24, 36, 152, 255, 37}
SURVIVED = {0}
NO_TESTS = {5, 33}


def part_of(name: str) -> str:
    """'taskforce.domain.feedback.x_median__mutmut_3' → 'domain/'; services by module."""
    module = name.split(".x")[0].removeprefix("taskforce.")
    return "domain/" if module.startswith("domain.") else module.replace(".", "/") + ".py"


def function_of(name: str) -> str:
    return name.rsplit("__mutmut_", 1)[0].replace("ǁ", ".").replace(".x_", ".").replace(".x.", ".")


def main(patterns: list[str]) -> int:
    results: dict[str, int | None] = {}
    for meta in Path("mutants").glob("taskforce/**/*.meta"):
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            if any(fnmatch(name, p) for p in patterns):
                results[name] = code
    if not results:
        print("No mutation results: run `make mutate` first.")
        return 1
    parts: dict[str, Counter] = defaultdict(Counter)
    survivors: dict[str, list[str]] = defaultdict(list)
    for name, code in sorted(results.items()):
        part = parts[part_of(name)]
        part["total"] += 1
        if code in KILLED:
            part["killed"] += 1
        elif code is None:
            part["not run"] += 1
        else:
            part["no test" if code in NO_TESTS else "survived" if code in SURVIVED else "other"] += 1
            survivors[function_of(name)].append(name)
    print("Mutation score (mutants killed / mutants made):")
    for part, c in sorted(parts.items()):
        score = 100.0 * c["killed"] / c["total"]
        goal = f"   goal ≥ {GOAL:.0f} %" if part == "domain/" else ""
        rest = ", ".join(f"{c[k]} {k}" for k in ("survived", "no test", "other", "not run") if c[k])
        print(f"  {part:24} {c['killed']:5} / {c['total']:<5} {score:5.1f} %  ({rest or 'none left'}){goal}")
    out = Path("mutants/survivors.txt")
    out.write_text("".join(f"{n}\n" for names in survivors.values() for n in names), encoding="utf-8")
    if survivors:
        print(f"Survivors by function (all {sum(map(len, survivors.values()))} in {out}; "
              "`.venv/bin/mutmut show NAME` for one):")
        for function, names in sorted(survivors.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            print(f"  {len(names):4}  {function}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["taskforce.domain.*"]))

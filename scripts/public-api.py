#!/usr/bin/env python3
"""Lists the public API of the library modules from their symbol graphs, one declaration a line.

    scripts/public-api.py SYMBOLGRAPH_DIR OUT_DIR          # write api/<Module>.txt
    scripts/public-api.py SYMBOLGRAPH_DIR OUT_DIR --check  # fail, with a diff, if they differ

Only declarations written in the sources count (a member the compiler synthesizes, such as `!=` or
`hashValue`, does not), so the files change exactly when a public declaration is added, removed or changed.
"""
import difflib
import glob
import json
import os
import sys

MODULES = ["ConnectionCatalog", "CatalogSQL", "CatalogSQLSyntax", "CatalogStorage", "CatalogSealing", "CatalogBackup", "CatalogEtcd"]


def declarations(directory, module):
    lines = set()
    for path in glob.glob(os.path.join(directory, f"{module}.symbols.json")) + glob.glob(
        os.path.join(directory, f"{module}@*.symbols.json")
    ):
        with open(path) as file:
            graph = json.load(file)
        for symbol in graph["symbols"]:
            if symbol.get("accessLevel") != "public" or "location" not in symbol:
                continue
            if "::SYNTHESIZED::" in symbol["identifier"]["precise"]:
                continue
            fragments = "".join(fragment["spelling"] for fragment in symbol.get("declarationFragments", []))
            path_name = ".".join(symbol["pathComponents"])
            lines.add(f"{path_name}  {' '.join(fragments.split())}")
    return sorted(lines)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    directory, out, check = sys.argv[1], sys.argv[2], "--check" in sys.argv[3:]
    failed = False
    for module in MODULES:
        current = declarations(directory, module)
        target = os.path.join(out, f"{module}.txt")
        text = "".join(line + "\n" for line in current)
        if check:
            pinned = open(target).read() if os.path.exists(target) else ""
            if pinned != text:
                failed = True
                sys.stdout.writelines(
                    difflib.unified_diff(pinned.splitlines(True), text.splitlines(True), target, f"{module} (built)")
                )
        else:
            with open(target, "w") as file:
                file.write(text)
        print(f"{module}: {len(current)} public declarations")
    if failed:
        sys.exit("the public API differs from api/*.txt: if the change is meant, run `make api` and commit api/")


main()

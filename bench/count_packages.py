#!/usr/bin/env python3
"""Counts the packages each tool reported per lockfile in its CycloneDX JSON output.

Each tool records where a package came from differently:
- vouch: the `vouch:location` property (one or more lockfile paths),
- syft: `syft:location:N:path` properties,
- trivy: one `application` component per lockfile, with the packages reachable from it through
  `dependencies`,
- cdxgen: `SrcFile` properties or `evidence.occurrences[].location`.
Usage: count_packages.py TOOL FILE ROOT  -> prints JSON {lockfile: count}
"""
import collections
import os
import json
import sys


def relative(path, root):
    """The lockfile path relative to the scanned root, whatever form the tool wrote it in."""
    path = path.replace("\\", "/")
    # syft writes paths relative to the scanned root with a leading `/`.
    if path.startswith("/") and not os.path.exists(path):
        return path.lstrip("/")
    if os.path.isabs(path) or path.startswith(".."):
        path = os.path.relpath(os.path.realpath(path), os.path.realpath(root))
    return path.lstrip("/")


def properties(component):
    return [(p.get("name", ""), p.get("value", "")) for p in component.get("properties", [])]


def flatten(components):
    for component in components:
        yield component
        yield from flatten(component.get("components", []))


def count(tool, document, root):
    counts = collections.Counter()
    components = list(flatten(document.get("components", [])))
    if tool == "trivy":
        names = {c["bom-ref"]: c["name"] for c in components if c.get("type") == "application"}
        edges = {d["ref"]: d.get("dependsOn", []) for d in document.get("dependencies", [])}
        for ref, name in names.items():
            seen, pending = set(), list(edges.get(ref, []))
            while pending:
                current = pending.pop()
                if current in seen:
                    continue
                seen.add(current)
                pending.extend(edges.get(current, []))
            counts[relative(name, root)] = len(seen - set(names))
        return counts
    for component in components:
        # Every package with an identity counts, workspace members included (they are packages
        # too); components without a purl are the tools' own file or directory nodes.
        if "purl" not in component:
            continue
        paths = set()
        for name, value in properties(component):
            if tool == "vouch" and name == "vouch:location":
                paths.add(value.split(":")[0] if value.count(":") else value)
            elif tool == "syft" and name.startswith("syft:location:") and name.endswith(":path"):
                paths.add(value)
            elif tool == "cdxgen" and name == "SrcFile":
                paths.add(value)
        if tool in ("vouch", "cdxgen"):
            for occurrence in component.get("evidence", {}).get("occurrences", []):
                paths.add(occurrence.get("location", "").split("#")[0])
        for path in paths:
            if path:
                counts[relative(path, root)] += 1
    return counts


if __name__ == "__main__":
    tool, file, root = sys.argv[1:4]
    with open(file, encoding="utf-8") as handle:
        print(json.dumps(dict(sorted(count(tool, json.load(handle), root).items()))))

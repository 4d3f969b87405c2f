#!/usr/bin/env python3
"""Write a synthetic spec N times the size of a JSON spec: every path and
every component is copied N times under suffixed names, and the copies'
$refs point at their own copy. Used by scripts/bench-generate.sh to show how
generation cost grows with spec size.

    scripts/scale-spec.py IN.json N OUT.json
"""
import json
import sys


def suffixed(value, suffix):
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k == "$ref" and isinstance(v, str) and v.startswith("#/components/"):
                out[k] = v + suffix
            elif k == "operationId" and isinstance(v, str):
                out[k] = v + suffix
            else:
                out[k] = suffixed(v, suffix)
        return out
    if isinstance(value, list):
        return [suffixed(v, suffix) for v in value]
    return value


def main():
    src, n, dst = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(src) as f:
        spec = json.load(f)
    paths, components = {}, {}
    for i in range(n):
        suffix = "" if i == 0 else f"X{i}"
        for path, item in spec.get("paths", {}).items():
            paths[(f"/copy{i}" if i else "") + path] = suffixed(item, suffix)
        for kind, entries in spec.get("components", {}).items():
            bucket = components.setdefault(kind, {})
            for name, entry in entries.items():
                bucket[name + suffix] = suffixed(entry, suffix)
    spec["paths"], spec["components"] = paths, components
    with open(dst, "w") as f:
        json.dump(spec, f)


if __name__ == "__main__":
    main()

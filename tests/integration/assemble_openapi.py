#!/usr/bin/env python3
"""Assembles the OpenAPI document from the source fragments the way the server does
(`assemble_openapi` in src/gateway/ops.cpp), for checking the integration suite against the
fragments before a rebuild embeds them:

    python3 assemble_openapi.py /tmp/openapi-assembled.json
    SHOPD_OPENAPI_DOC=/tmp/openapi-assembled.json python3 -m pytest ...

The merge: start from src/gateway/openapi_core.json; for each module's openapi.json, in the
order the binary composes the modules (src/app/compose.hpp), every `paths[path][method]` and
every `components[kind][name]` is set, a later fragment replacing an earlier one's entry."""
import json
import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# src/app/compose.hpp: the order modules are added (and their fragments merged).
MODULES = ["user", "product", "order", "payment", "search", "analytics", "pages"]


def assemble(root=ROOT, modules=MODULES, version=None):
    with open(os.path.join(root, "src", "gateway", "openapi_core.json"), encoding="utf-8") as f:
        doc = json.load(f)
    if version is not None:
        doc["info"]["version"] = version
    for name in modules:
        with open(os.path.join(root, "modules", name, "openapi.json"), encoding="utf-8") as f:
            text = f.read()
        if not text:
            continue
        part = json.loads(text)
        for path, item in part.get("paths", {}).items():
            for method, op in item.items():
                doc.setdefault("paths", {}).setdefault(path, {})[method] = op
        for kind, entries in part.get("components", {}).items():
            for name_, value in entries.items():
                doc.setdefault("components", {}).setdefault(kind, {})[name_] = value
    return doc


def binary_version():
    bin_ = os.environ.get("SHOPD_BIN") or os.path.join(ROOT, "build", "src", "shopd")
    try:
        out = subprocess.run([bin_, "--version"], capture_output=True, text=True, timeout=10).stdout
        return out.split()[-1] if out.split() else None
    except OSError:
        return None


def main(argv):
    out = argv[1] if len(argv) > 1 else "-"
    text = json.dumps(assemble(version=binary_version()), indent=2) + "\n"
    if out == "-":
        sys.stdout.write(text)
    else:
        with open(out, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/python3
"""tests/schemas.py BIN -- every JSON document crac-cpu writes against its
JSON Schema (docs/schema/NAME-VERSION.schema.json, draft 2020-12), with
Debian's python3-jsonschema:

  - every schema is a valid draft 2020-12 schema;
  - every CLI case's standard output that is a JSON object with "schema"
    validates against the schema it names (a document naming a schema
    that does not exist fails);
  - the documents no CLI case prints on standard output: the sidecar of
    `crac-cpu stamp` and `layouts --identify --format json` (a fake JVM),
    made here;
  - strictness: each validated document with its first field after
    "schema" renamed must fail, so a renamed field cannot pass;
  - CHANGELOG.md's schema table names every schema;
  - one meaning per name: a field named "hosts" is always an array of host
    objects with a "name", a count of hosts is always "host_count" or
    "<what>_host_count" (an integer), and no other field says "hosts".

Prints "schemas: N passed, N failed" last, and SKIP without jsonschema.
"""
import json
import os
import pathlib
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:
    print("SKIP schemas: no python3-jsonschema (scripts/install-deps.sh --test)")
    sys.exit(0)

top = pathlib.Path(__file__).resolve().parent.parent
sdir = top / "docs" / "schema"
binary = sys.argv[1]
passed = failed = 0
store = {}


def fail(name, why):
    global failed
    failed += 1
    print(f"FAIL schemas/{name}: {why}")


for f in sorted(sdir.glob("*.schema.json")):
    s = json.loads(f.read_text())
    try:
        jsonschema.Draft202012Validator.check_schema(s)
        passed += 1
    except jsonschema.SchemaError as e:
        fail(f.name, e.message)
    store[s["$id"]] = s
    store[f.resolve().as_uri()] = s


def validator(name):
    path = sdir / (name.replace("/", "-") + ".schema.json")
    s = store.get(path.name)
    if s is None:
        return None
    resolver = jsonschema.RefResolver(base_uri=path.resolve().as_uri(),
                                      referrer=s, store=store)
    return jsonschema.Draft202012Validator(s, resolver=resolver)


counts = {}


def check(case, doc):
    global passed
    name = doc.get("schema")
    v = validator(name)
    if v is None:
        fail(case, f"no schema for '{name}' in docs/schema")
        return
    errs = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
    if errs:
        e = errs[0]
        fail(case, f"{name}: at /{'/'.join(map(str, e.path))}: {e.message[:300]}")
        return
    passed += 1
    counts[name] = counts.get(name, 0) + 1
    # A renamed field must not validate.
    keys = [k for k in doc if k != "schema"]
    if keys:
        bad = {(k + "_renamed" if k == keys[0] else k): x for k, x in doc.items()}
        if v.is_valid(bad):
            fail(case, f"{name}: still valid with '{keys[0]}' renamed")
        else:
            passed += 1


for out in sorted((top / "tests" / "cli").glob("*/stdout")):
    try:
        doc = json.loads(out.read_text())
    except (ValueError, UnicodeDecodeError):
        continue
    if isinstance(doc, dict) and "schema" in doc:
        check("cli/" + out.parent.name, doc)

fix = top / "tests" / "fixtures" / "cpuid"
with tempfile.TemporaryDirectory() as tmp:
    img = pathlib.Path(tmp) / "img"
    img.mkdir()
    (img / "tags").write_text("label:cpu.arch=amd64\nlabel:java.version=22-internal\n"
                              "bitmap:cpu.features=f7fbfc9dff7fff04e603000000000000\n")
    r = subprocess.run([binary, "stamp", "--host", str(fix / "amd-zen2-rome-epyc-7742.raw"),
                        str(img)], capture_output=True, text=True)
    if r.returncode != 0:
        fail("stamp", r.stderr.strip())
    else:
        check("stamp-sidecar", json.loads((img / "crac-cpu.json").read_text()))
    # aarch64 stamps: the image's word (a63 by bit 63), and the stock
    # layout of a build before 2026, which recorded none.
    arm = top / "tests" / "fixtures" / "cpuinfo-arm64" / "graviton3-v1-c7g.txt"
    for name, tags in (("a63", "label:java.version=27\nbitmap:cpu.features=ff7f000000000080\n"),
                       ("a21", "label:java.version=21.0.5\n")):
        img = pathlib.Path(tmp) / ("img-" + name)
        img.mkdir()
        (img / "tags").write_text("label:cpu.arch=aarch64\n" + tags)
        r = subprocess.run([binary, "stamp", "--host", str(arm), str(img)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            fail("stamp-" + name, r.stderr.strip())
        else:
            check("stamp-sidecar-" + name, json.loads((img / "crac-cpu.json").read_text()))
    # A JVM that prints this host's value the way a CRaC JVM of x17 does.
    r = subprocess.run([binary, "features", "--jdk", "x17", "--raw", "--format", "value"],
                       capture_output=True, text=True)
    java = pathlib.Path(tmp) / "java"
    java.write_text("#!/bin/sh\necho \"This machine's CPU features are: "
                    f"-XX:CPUFeatures={r.stdout.strip()}\"\n")
    java.chmod(0o755)
    r = subprocess.run([binary, "layouts", "--format", "json", "--identify", str(java)],
                       capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    try:
        check("identify", json.loads(r.stdout))
    except ValueError:
        fail("identify", f"no JSON (status {r.returncode}): {r.stderr.strip()[:300]}")

# One meaning per name, in every schema (survey/2 had "hosts" as a count,
# flags/2 as a list of names, plan/2 as a list of host objects).
def host_names(where, node):
    global passed
    if isinstance(node, list):
        for i, x in enumerate(node):
            host_names(f"{where}/{i}", x)
        return
    if not isinstance(node, dict):
        return
    for key, sub in (node.get("properties") or {}).items():
        at = f"{where}/{key}"
        if key == "hosts":
            items = sub.get("items", {})
            if (sub.get("type") == "array" and items.get("type") == "object"
                    and "name" in items.get("required", [])):
                passed += 1
            else:
                fail("host-names", f"{at}: not an array of objects with a name")
        elif key.endswith("host_count"):
            if sub.get("type") == "integer":
                passed += 1
            else:
                fail("host-names", f"{at}: a count that is not an integer")
        elif "hosts" in key:
            fail("host-names", f"{at}: say host_count for a count, hosts for host objects")
    for key, sub in node.items():
        if key != "properties" or not isinstance(sub, dict):
            host_names(f"{where}/{key}", sub)
        else:
            for k, v in sub.items():
                host_names(f"{where}/{k}", v)


for f in sorted(sdir.glob("*.schema.json")):
    host_names(f.name, json.loads(f.read_text()))

# CHANGELOG.md's table names every schema version there is.
changelog = (top / "CHANGELOG.md").read_text()
for f in sorted(sdir.glob("*.schema.json")):
    if f.name == "ccpu-defs.schema.json":
        continue
    name = json.loads(f.read_text())["properties"]["schema"]["const"]
    if f"| `{name}` |" in changelog:
        passed += 1
    else:
        fail("changelog", f"CHANGELOG.md's schema table does not name {name}")

missing = sorted(n for n in (p.name for p in sdir.glob("*.schema.json"))
                 if n != "ccpu-defs.schema.json"
                 and n.replace(".schema.json", "").rsplit("-", 1)[0] + "/" +
                 n.replace(".schema.json", "").rsplit("-", 1)[1] not in counts)
if missing:
    fail("coverage", "no document validated against " + ", ".join(missing))
print("schemas: validated " + ", ".join(f"{n} {c}" for n, c in sorted(counts.items())))
print(f"schemas: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)

#!/bin/sh
# tests/nfd-arm64.sh BIN -- arm64 nodes read back from crac-cpu's own NFD
# labels.  For every arm64 /proc/cpuinfo fixture: features --format nfd,
# its lines as the labels of a synthetic Kubernetes node (NFD prefixes
# feature.node.kubernetes.io/), then survey --format json of the node list
# must give the aarch64 classes, CPUs, hosts and plans that surveying the
# /proc/cpuinfo files gives, each fixture alone and all together, with one
# thread (--jobs 1, the reader's own path) and with workers (--jobs 2, the
# jansson path of src/hosts.c).  Nodes with only a CRaC layout's feature
# labels (a63 or a22) give the same values with the CPU unknown; a20's
# labels cannot tell ecv and wfxt, so such nodes are unreadable.  A plan's
# affinity selects by the crac-cpu.a63 labels when every node has them,
# else by the architecture alone (the /proc/cpuinfo survey, a22 labels).
# Prints "nfd-arm64: N passed, N failed" last.
bin=$1
top=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -x /usr/bin/python3 ]; then
	echo "SKIP nfd-arm64: no /usr/bin/python3"
	echo "nfd-arm64: 0 passed, 0 failed"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 - "$bin" "$top/tests/fixtures/cpuinfo-arm64" "$tmp" <<'PY'
import glob, json, os, subprocess, sys
bin_, fixdir, tmp = sys.argv[1:4]
fixtures = sorted(glob.glob(os.path.join(fixdir, "*.txt")))
passed = failed = 0

def run(*args):
    return subprocess.run([bin_] + list(args), capture_output=True, text=True)

def labels_of(fix, jdk=None, facts=True):
    args = ["features", "--format", "nfd", "--host", fix]
    if jdk:
        args[1:1] = ["--jdk", jdk]
    r = run(*args)
    assert r.returncode == 0, r.stderr
    out = {}
    for line in r.stdout.splitlines():
        if line and not line.startswith("#"):
            k, v = line.split("=", 1)
            if facts or not k.startswith("crac-cpu.aarch64."):
                out["feature.node.kubernetes.io/" + k] = v
    return out

def node_list(fixes, path, jdks=(None,), facts=True):
    items = []
    for f in fixes:
        name = os.path.basename(f)
        labels = {"kubernetes.io/arch": "arm64", "kubernetes.io/hostname": name}
        for j in jdks:
            labels.update(labels_of(f, j, facts))
        items.append({"apiVersion": "v1", "kind": "Node",
                      "metadata": {"name": name, "labels": labels}})
    json.dump({"apiVersion": "v1", "kind": "List", "items": items},
              open(path, "w"), indent=1)

def survey(jobs, *paths):
    r = run("survey", "--jdk", "x25", "--format", "json", "--jobs", str(jobs),
            *paths)
    assert r.returncode in (0, 1), "survey: %d: %s" % (r.returncode, r.stderr)
    return json.loads(r.stdout)

def check(name, cond, why=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL nfd-arm64/%s %s" % (name, why))

def facts(a64):
    """What a host's facts give: all but how many came from node labels,
    and how each plan's affinity selects (by_of says)."""
    a64 = json.loads(json.dumps(a64))
    if a64:
        a64.pop("nfd_host_count")
        for c in a64["classes"]:
            c.pop("nfd_host_count")
        for p in a64["plans"]:
            p.pop("affinity")
            p.pop("affinity_by")
    return a64

def by_of(a64):
    """How the plans' affinities select: labels when every host carries
    crac-cpu.a63 labels, else the arch; one answer for all plans."""
    return sorted(set(p["affinity_by"] for p in (a64 or {}).get("plans", [])))

def without_cpus(a64):
    a64 = json.loads(json.dumps(a64))
    for c in a64["classes"]:
        c["cpus"] = [{"midr": "0x00000000", "name": "unknown",
                      "host_count": c["host_count"]}]
    return a64

# An x86-64 host beside nodes that are all unreadable: a survey with a host.
x86 = os.path.join(fixdir, "..", "cpuid", "intel-skylake-sp-xeon-gold-6154.raw")
sets = [[f] for f in fixtures] + [fixtures]
for n, fixes in enumerate(sets):
    tag = os.path.basename(fixes[0]) if len(fixes) == 1 else "all"
    want = survey(1, *fixes)
    nodes = os.path.join(tmp, "nodes-%d.json" % n)
    node_list(fixes, nodes)
    for jobs in (1, 2):
        got = survey(jobs, nodes)
        check("%s/facts/jobs%d" % (tag, jobs),
              facts(got.get("aarch64")) == facts(want.get("aarch64")) and
              got["aarch64"]["nfd_host_count"] == len(fixes) and
              got["unreadable"] == 0 and got["host_count"] == 0 and
              by_of(got.get("aarch64")) == ["labels"] and
              by_of(want.get("aarch64")) == ["arch"],
              json.dumps(got["errors"])[:300])
    # Feature labels alone: the same values, the CPU unknown.
    for jdks in (("a63",), ("a22",), ("a20", "a63")):
        node_list(fixes, nodes, jdks, facts=False)
        for jobs in (1, 2):
            got = survey(jobs, nodes)
            check("%s/%s-only/jobs%d" % (tag, "+".join(jdks), jobs),
                  facts(got.get("aarch64")) == without_cpus(facts(want.get("aarch64"))) and
                  by_of(got.get("aarch64")) == (["labels"] if "a63" in jdks else ["arch"]),
                  json.dumps(got["errors"])[:300])
    node_list(fixes, nodes, ("a20",), facts=False)
    for jobs in (1, 2):
        got = survey(jobs, nodes, x86)
        msgs = [e["message"] for e in got["errors"]]
        check("%s/a20-only/jobs%d" % (tag, jobs),
              got.get("aarch64") is None and got["unreadable"] == len(fixes) and
              all("ecv wfxt of layout a63 unknown" in m for m in msgs),
              json.dumps(got)[:300])
print("nfd-arm64: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY

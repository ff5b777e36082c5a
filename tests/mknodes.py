# mknodes.py BIN FIXDIR OUT: a node list whose nodes carry crac-cpu's own
# labels (crac-cpu features --format nfd of a fixture CPU each), as NFD
# would publish them from features.d, and the NFD cpu-model labels.
import json, subprocess, sys
bin_, fix, out = sys.argv[1:4]
cpus = ["amd-zen2-rome-epyc-7742", "intel-skylake-sp-xeon-gold-6154",
        "intel-haswell-ep-xeon-e5-2699-v3", "amd-zen4-genoa-epyc-9654",
        "intel-haswell-ep-xeon-e5-2699-v3"]
items = []
for i, c in enumerate(cpus):
    txt = subprocess.run([bin_, "features", "--jdk", "x21", "--format", "nfd",
                          "--host", "%s/cpuid/%s.raw" % (fix, c)],
                         capture_output=True, text=True, check=True).stdout
    labels = {"kubernetes.io/hostname": "node-%d" % i}
    for line in txt.splitlines():
        if line and not line.startswith("#"):
            k, v = line.split("=", 1)
            labels["feature.node.kubernetes.io/" + k] = v
    items.append({"apiVersion": "v1", "kind": "Node",
                  "metadata": {"name": "node-%d" % i, "labels": labels}})
json.dump({"apiVersion": "v1", "kind": "List", "items": items},
          open(out, "w"), indent=2)

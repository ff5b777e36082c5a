# mknodes-arm64.py BIN FIXDIR OUT NODE...: a node list of arm64 nodes
# labelled as NFD publishes crac-cpu features --format nfd of an arm64
# /proc/cpuinfo fixture (tests/fixtures/cpuinfo-arm64/), with NFD's own
# arm64 labels beside them.  NODE is NAME:FIXTURE[:OPT;OPT...], OPT one of
#   jdk=L        the labels of features --jdk L (repeatable; default a63)
#   nofacts      without the crac-cpu.aarch64 fact labels
#   nfdonly      no crac-cpu label at all
#   set=K=V      set label crac-cpu.K to V; del=K removes it
#   arch=A       kubernetes.io/arch A (default arm64)
import json, subprocess, sys
bin_, fix, out = sys.argv[1:4]
items = []
for spec in sys.argv[4:]:
    name, cpu, *rest = spec.split(":", 2)
    opts = rest[0].split(";") if rest else []
    jdks = [o[4:] for o in opts if o.startswith("jdk=")] or ["a63"]
    labels = {"kubernetes.io/hostname": name, "kubernetes.io/arch": "arm64",
              "feature.node.kubernetes.io/cpu-model.vendor_id": "ARM",
              "feature.node.kubernetes.io/cpu-cpuid.FP": "true",
              "feature.node.kubernetes.io/cpu-cpuid.ASIMD": "true"}
    for jdk in ([] if "nfdonly" in opts else jdks):
        txt = subprocess.run([bin_, "features", "--jdk", jdk, "--format",
                              "nfd", "--host", "%s/cpuinfo-arm64/%s" % (fix, cpu)],
                             capture_output=True, text=True, check=True).stdout
        for line in txt.splitlines():
            if line and not line.startswith("#"):
                k, v = line.split("=", 1)
                if "nofacts" in opts and k.startswith("crac-cpu.aarch64."):
                    continue
                labels["feature.node.kubernetes.io/" + k] = v
    for o in opts:
        if o.startswith("set="):
            k, v = o[4:].split("=", 1)
            labels["feature.node.kubernetes.io/crac-cpu." + k] = v
        elif o.startswith("del="):
            del labels["feature.node.kubernetes.io/crac-cpu." + o[4:]]
        elif o.startswith("arch="):
            labels["kubernetes.io/arch"] = o[5:]
    items.append({"apiVersion": "v1", "kind": "Node",
                  "metadata": {"name": name, "labels": labels}})
json.dump({"apiVersion": "v1", "kind": "List", "items": items},
          open(out, "w"), indent=2)

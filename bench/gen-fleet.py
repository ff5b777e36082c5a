#!/usr/bin/env python3
"""bench/gen-fleet.py BIN N OUTDIR -- a synthetic fleet for `make bench`.

Turns every tests/fixtures/cpuid/*.raw into a profile with `BIN probe --host`,
then writes N host profiles made from them, each with its own host name and
small realistic variations: the hypervisor bit set or clear, sometimes one
feature masked as a hypervisor CPU model would (leaf 7 EBX/ECX or leaf 1 ECX
bits cleared), and different kernel and glibc versions.  Output:
OUTDIR/hosts/NNN/host-NNNNNN.json (one file per host, 1000 per directory)
and OUTDIR/fleet.jsonl (the same hosts, one JSON document per line).
Deterministic (fixed seed).  Never commit the output.
"""
import glob
import json
import os
import random
import subprocess
import sys

bin_, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
bases = []
for raw in sorted(glob.glob(os.path.join(top, "tests/fixtures/cpuid/*.raw"))):
    r = subprocess.run([bin_, "probe", "--host", raw], capture_output=True, text=True)
    # A fleet of JVM hosts has no 32-bit-only CPU: keep what `features` accepts.
    f = subprocess.run([bin_, "features", "--host", raw], capture_output=True)
    if r.returncode == 0 and f.returncode == 0:
        bases.append(json.loads(r.stdout))
if not bases:
    sys.exit("gen-fleet: no fixture could be read")

# (leaf, subleaf, register index in the row after leaf and sub, bit) that
# hypervisor CPU models commonly hide: avx512f, rtm, hle, pku, aes, movbe.
MASKS = [("0x00000007", 2 + 1, 16), ("0x00000007", 2 + 1, 11), ("0x00000007", 2 + 1, 4),
         ("0x00000007", 2 + 2, 3), ("0x00000001", 2 + 2, 25), ("0x00000001", 2 + 2, 22)]
KERNELS = ["5.15.0-105-generic", "6.1.0-18-cloud-amd64", "6.8.0-40-generic", "5.14.0-427.el9.x86_64"]
GLIBCS = ["2.31", "2.35", "2.36", "2.39", "2.34"]
rng = random.Random(6)


def setbit(row, reg, bit, on):
    v = int(row[reg], 16)
    v = v | (1 << bit) if on else v & ~(1 << bit)
    row[reg] = "0x%08x" % v


os.makedirs(os.path.join(out, "hosts"), exist_ok=True)
with open(os.path.join(out, "fleet.jsonl"), "w") as stream:
    for i in range(n):
        p = json.loads(json.dumps(bases[i % len(bases)]))
        p["host"]["hostname"] = "node-%06d.fleet.example" % i
        p["host"]["kernel"] = rng.choice(KERNELS)
        p["host"]["glibc"] = rng.choice(GLIBCS)
        hv = rng.random() < 0.6
        mask = MASKS[rng.randrange(len(MASKS))] if rng.random() < 0.2 else None
        for ct in p["core_types"]:
            for row in ct["leaves"]:
                if row[0] == "0x00000001" and row[1] == "0x0":
                    setbit(row, 2 + 2, 31, hv)
                if mask and row[0] == mask[0] and row[1] == "0x0":
                    setbit(row, mask[1], mask[2], False)
        d = os.path.join(out, "hosts", "%03d" % (i // 1000))
        if i % 1000 == 0:
            os.makedirs(d, exist_ok=True)
        text = json.dumps(p, separators=(",", ":"))
        with open(os.path.join(d, "host-%06d.json" % i), "w") as f:
            f.write(text + "\n")
        stream.write(text + "\n")

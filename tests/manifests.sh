#!/bin/sh
# tests/manifests.sh -- every ```yaml block of the docs parses as YAML
# (python3-yaml), so a manifest copied from them is at least well-formed;
# a Kubernetes object in them has apiVersion, kind and metadata.name.
# Prints "manifests: N passed, N failed" last.
top=$(cd "$(dirname "$0")/.." && pwd)
if ! /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
	echo "SKIP manifests: no python3-yaml"
	echo "manifests: 0 passed, 0 failed"
	exit 0
fi
/usr/bin/python3 - "$top"/docs/*.md <<'PY'
import re, sys, yaml
passed = failed = 0
for path in sys.argv[1:]:
    text = open(path).read()
    for n, m in enumerate(re.finditer(r"^```yaml\n(.*?)^```", text, re.M | re.S)):
        name = "%s#%d" % (path.rsplit("/", 1)[-1], n + 1)
        try:
            docs = [d for d in yaml.safe_load_all(m.group(1)) if d is not None]
            assert docs, "empty"
            for d in docs:
                assert isinstance(d, dict), "not a mapping"
                if "kind" in d:
                    assert d.get("apiVersion") and d["metadata"]["name"], "object without apiVersion or metadata.name"
            passed += 1
        except Exception as e:
            failed += 1
            print("FAIL manifests/%s: %s" % (name, e))
print("manifests: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY

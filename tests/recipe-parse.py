"""tests/recipe-parse.py KIND FILE OUTDIR -- used by tests/recipes.sh.

Reads one recipe of docs/gate.md (as tests/recipes.sh extracted it) the
way its tool would, and writes what tests/recipes.sh runs into OUTDIR, one
word a line:

  systemd     env (NAME=VALUE from Environment=), ExecStart, ExecStopPost
              (argv after systemd's quoting, "$$" and "%%" unescaped)
  checkpoint  java (the checkpoint command), stamp (the crac-cpu command)
  dockerfile  copy (source and destination, two lines a source), env,
              entrypoint (the exec-form JSON array)
  kubernetes  env, argv (command then args); it must be a v1 Pod
  words       FILE is a string: its shell words

Anything the test could only guess at (systemd variables or specifiers, a
shell-form ENTRYPOINT, env from valueFrom) is an error, status 1.
"""
import json
import os
import re
import shlex
import sys


def die(msg):
    sys.stderr.write("recipe-parse: %s\n" % msg)
    sys.exit(1)


def put(outdir, name, words):
    with open(os.path.join(outdir, name), "w") as f:
        for w in words:
            if not isinstance(w, str) or "\n" in w:
                die("%s: %r is not a one-line string" % (name, w))
            f.write(w + "\n")


def systemd(text, outdir):
    # systemd joins a line that ends in a backslash with the next one,
    # the backslash turned into a space.
    text = re.sub(r"\\\n", " ", text)
    section, env, execs = None, [], {}
    for line in text.split("\n"):
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            section = line
            continue
        key, _, value = line.partition("=")
        if section != "[Service]":
            continue
        if key == "Environment":
            env += [w.replace("%%", "%") for w in shlex.split(value)]
        elif key.startswith("Exec"):
            words = []
            for w in shlex.split(value.lstrip("-@:+!")):
                if "$" in w.replace("$$", "") or "%" in w.replace("%%", ""):
                    die("%s: systemd would expand %r" % (key, w))
                words.append(w.replace("$$", "$").replace("%%", "%"))
            if key in execs:
                die("%s given twice" % key)
            execs[key] = words
    put(outdir, "env", env)
    for key in ("ExecStart", "ExecStopPost"):
        if key not in execs:
            die("no %s" % key)
        put(outdir, key, execs[key])


def checkpoint(text, outdir):
    for line in text.split("\n"):
        words = shlex.split(line, comments=True)
        if not words:
            continue
        if os.path.basename(words[0]) == "java":
            put(outdir, "java", words)
        elif os.path.basename(words[0]) == "crac-cpu":
            put(outdir, "stamp", words)
        else:
            die("checkpoint: unknown command %r" % words[0])


def dockerfile(text, outdir):
    text = re.sub(r"\\\n", " ", text)
    copy, env, entry = [], [], None
    for line in text.split("\n"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        op, _, rest = line.partition(" ")
        op = op.upper()
        if op == "COPY":
            words = shlex.split(rest)
            if len(words) < 2 or words[0].startswith("--"):
                die("COPY %s: want SRC... DEST" % rest)
            for src in words[:-1]:
                copy += [src, words[-1]]
        elif op == "ENV":
            words = shlex.split(rest)
            if words and "=" not in words[0]:
                words = [words[0] + "=" + " ".join(words[1:])]
            env += words
        elif op == "ENTRYPOINT":
            try:
                entry = json.loads(rest)
            except ValueError:
                die("ENTRYPOINT is not in exec form (a JSON array)")
            if not isinstance(entry, list) or not entry:
                die("ENTRYPOINT is not a non-empty JSON array")
        else:
            die("unknown instruction %s" % op)
    if entry is None:
        die("no ENTRYPOINT")
    put(outdir, "copy", copy)
    put(outdir, "env", env)
    put(outdir, "entrypoint", entry)


def kubernetes(text, outdir):
    import yaml

    pod = yaml.safe_load(text)
    if not isinstance(pod, dict):
        die("not a YAML mapping")
    if pod.get("apiVersion") != "v1" or pod.get("kind") != "Pod":
        die("not a v1 Pod: apiVersion %r, kind %r"
            % (pod.get("apiVersion"), pod.get("kind")))
    containers = (pod.get("spec") or {}).get("containers") or []
    if len(containers) != 1:
        die("want one container, have %d" % len(containers))
    c = containers[0]
    argv = (c.get("command") or []) + (c.get("args") or [])
    if not argv:
        die("no command")
    env = []
    for e in c.get("env") or []:
        if set(e) != {"name", "value"}:
            die("env %r: only name and value are run" % e)
        env.append("%s=%s" % (e["name"], e["value"]))
    put(outdir, "env", env)
    put(outdir, "argv", argv)


def main():
    kind, arg, outdir = sys.argv[1:4]
    if kind == "words":
        put(outdir, "words", shlex.split(arg))
        return
    with open(arg) as f:
        text = f.read()
    {"systemd": systemd, "checkpoint": checkpoint, "dockerfile": dockerfile,
     "kubernetes": kubernetes}[kind](text, outdir)


main()

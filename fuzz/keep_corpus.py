#!/usr/bin/env python3
"""Refreshes the kept corpus inputs of one fuzz target in tests/fuzz_regressions/<target>/.

Merges corpus/<target> into a minimal set with the built target (libFuzzer -merge=1, what
`cargo fuzz cmin` does), reading the features of every input from the merge control file,
then keeps up to 200 files and 1 MB chosen greedily: each next file is the one adding the
most features not yet covered (ties: the smaller).
Files named crash-*, timeout-*, oom-* or ending in .dts (hand-written) are never touched.
    fuzz/keep_corpus.py TARGET
"""
import pathlib
import shutil
import subprocess
import sys
import tempfile

MAX_FILES = 200
MAX_BYTES = 1 << 20
KEEP_ALWAYS = ("crash-", "timeout-", "oom-")

target = sys.argv[1]
here = pathlib.Path(__file__).resolve().parent
binary = here / "target/x86_64-unknown-linux-gnu/release" / target
kept = here.parent / "tests/fuzz_regressions" / target
with tempfile.TemporaryDirectory() as tmp:
    merged = pathlib.Path(tmp) / "merged"
    merged.mkdir()
    control = pathlib.Path(tmp) / "control"
    args = [str(binary), "-merge=1", f"-merge_control_file={control}", str(merged), str(here / "corpus" / target)]
    if target == "read":
        args.insert(1, "-max_len=65536")
    subprocess.run(["nice", "-n", "19", *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Control file: the number of inputs, how many are in the output dir, their paths, then
    # "STARTED i size" / "FT i features..." / "COV i ..." records.
    lines = control.read_text().splitlines()
    n = int(lines[0])
    paths = lines[2 : 2 + n]
    features = {}
    for line in lines[2 + n :]:
        parts = line.split()
        if parts and parts[0] == "FT":
            features[paths[int(parts[1])]] = set(map(int, parts[2:]))
    sizes = {p: pathlib.Path(p).stat().st_size for p in features}
    for old in kept.iterdir():
        if not old.name.startswith(KEEP_ALWAYS) and old.suffix != ".dts":
            old.unlink()
    covered = set()
    total = 0
    chosen = []
    candidates = sorted(features, key=lambda p: sizes[p])
    while len(chosen) < MAX_FILES and candidates:
        best = max(candidates, key=lambda p: (len(features[p] - covered), -sizes[p]))
        if not features[best] - covered:
            break
        candidates.remove(best)
        if total + sizes[best] > MAX_BYTES:
            continue
        covered |= features[best]
        total += sizes[best]
        chosen.append(best)
    names = set()
    for p in chosen:
        name = pathlib.Path(p).name
        if name not in names:
            names.add(name)
            shutil.copy(p, kept / name)
    every = set().union(*features.values()) if features else set()
    print(
        f"{target}: {len(features)} inputs, {len(every)} features; kept {len(chosen)} files "
        f"({total} bytes) with {len(covered)} features"
    )

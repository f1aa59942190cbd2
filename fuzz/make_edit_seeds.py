#!/usr/bin/env python3
"""Writes starting inputs for the edit_ops fuzz target into the directory given.

An edit_ops input is: one byte choosing the tree (byte % 4: three built-in trees, or 3 =
a blob follows as a little-endian u16 length and that many bytes), then op bytes (see
tests/fuzz_support/mod.rs). These seeds carry each example blob under static/examples
and a fixed pseudo-random run of op bytes, so the fuzzer starts from real trees."""
import pathlib
import random
import struct
import sys

out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
rng = random.Random(6)
examples = pathlib.Path(__file__).resolve().parent.parent / "static" / "examples"
for dtb in sorted(examples.glob("*.dtb")):
    blob = dtb.read_bytes()
    ops = bytes(rng.randrange(256) for _ in range(64))
    (out / f"blob-{dtb.stem}").write_bytes(bytes([3]) + struct.pack("<H", len(blob)) + blob + ops)
for seed in range(3):
    for k in range(4):
        ops = bytes(rng.randrange(256) for _ in range(16 * (k + 1)))
        (out / f"seed{seed}-{k}").write_bytes(bytes([seed]) + ops)

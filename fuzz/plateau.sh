#!/bin/sh
# Runs one fuzz target for a plateau run: niced (others' builds first), one job, seeded
# from its working corpus, its kept regression inputs and the repository's own inputs,
# logging libFuzzer's status lines to fuzz/logs/<target>.log (git-ignored).
#   fuzz/plateau.sh TARGET SECONDS
# Build first: cargo +nightly fuzz build TARGET. See fuzz/README.md.
set -eu
cd "$(dirname "$0")"
t=$1
secs=$2
bin=target/x86_64-unknown-linux-gnu/release/$t
mkdir -p "corpus/$t" "artifacts/$t" logs
case $t in
    read) extra="../../shared/corpus ../static/examples -max_len=65536" ;;
    dts_parse) extra="../static/examples ../../shared/bindings/samples ../tests/fixtures/checks" ;;
    edit_ops) mkdir -p seeds-edit_ops && python3 make_edit_seeds.py seeds-edit_ops && extra="seeds-edit_ops" ;;
    *) extra="" ;;
esac
date -u +%FT%TZ > "logs/$t.start"
# shellcheck disable=SC2086 # $extra is a list of words.
exec nice -n 19 "$bin" "corpus/$t" "../tests/fuzz_regressions/$t" $extra \
    -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="artifacts/$t/" > "logs/$t.log" 2>&1

//! Pipeline benchmark: dtlens against `dtc`, side by side on the same files.
//!
//! ```text
//! cargo bench --bench pipeline                 # full run (about two minutes)
//! cargo bench --bench pipeline -- --quick      # smoke run: small blobs, one sample each
//! cargo bench --bench pipeline -- --verbose    # also one row per corpus file
//! ```
//!
//! For every input it times
//! - read + DTS print in-process (`dtb::read` then `dts::print`), and the same as a process,
//!   `dtlens dts FILE`, against `dtc -I dtb -O dts FILE`;
//! - read + write in-process (`dtb::read` then `dtb::write`), and `dtlens dtb FILE -o OUT`,
//!   against `dtc -I dtb -O dtb FILE`.
//!
//! Inputs: every blob in `../shared/corpus/` (summed, and the per-file median) and generated
//! blobs written to `target/bench/`: 10,000 and 100,000 nodes, one node with 20,000
//! properties, four 1 MiB properties. The generator below is a small stand-alone FDT
//! serializer, so the inputs do not depend on the writer being measured; `dtc` must accept
//! each of them (checked).
//!
//! Every time is the median of several samples (at least 5, more while under a time budget);
//! processes get one untimed warm-up run. Speed-ups compare process with process, so both
//! sides pay for start-up, reading the file and writing the output (to /dev/null).

use std::ffi::OsString;
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Opts {
    quick: bool,
    verbose: bool,
}

fn main() {
    let mut opts = Opts { quick: false, verbose: false };
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--quick" => opts.quick = true,
            "--verbose" => opts.verbose = true,
            "--bench" => {} // passed by `cargo bench`
            "-h" | "--help" => {
                println!("usage: cargo bench --bench pipeline [-- --quick] [-- --verbose]");
                return;
            }
            other => {
                eprintln!("pipeline: unknown argument {other:?} (try --help)");
                std::process::exit(2);
            }
        }
    }
    if let Err(e) = run(&opts) {
        eprintln!("pipeline: {e}");
        std::process::exit(1);
    }
}

fn run(opts: &Opts) -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = root.join("target").join("bench");
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("creating {}: {e}", out_dir.display()))?;
    let dtlens = PathBuf::from(env!("CARGO_BIN_EXE_dtlens"));
    let dtc_version = Command::new("dtc").arg("--version").output().ok().filter(|o| o.status.success());
    let dtc_version = dtc_version.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    let budget = if opts.quick { Budget::QUICK } else { Budget::FULL };

    println!("{}", machine_line(dtc_version.as_deref()));
    if opts.quick || cfg!(debug_assertions) {
        println!("smoke run (--quick and/or a debug build): checks that the benchmark works; its times mean nothing");
    }
    if dtc_version.is_none() {
        println!("dtc not found: its columns stay empty (install device-tree-compiler)");
    }

    // Generated blobs.
    let (n_small, n_large, n_props, prop_size) =
        if opts.quick { (1_000, 5_000, 2_000, 64 * 1024) } else { (10_000, 100_000, 20_000, 1024 * 1024) };
    let generated = [
        (format!("{} nodes", thousands(n_small)), format!("nodes-{n_small}.dtb"), gen_nodes(n_small, false), n_small),
        (format!("{} nodes", thousands(n_large)), format!("nodes-{n_large}.dtb"), gen_nodes(n_large, false), n_large),
        (
            format!("{} nodes, each with a phandle", thousands(n_small)),
            format!("phandles-{n_small}.dtb"),
            gen_nodes(n_small, true),
            n_small,
        ),
        (format!("1 node, {} properties", thousands(n_props)), format!("props-{n_props}.dtb"), gen_props(n_props), 2),
        (
            format!("4 properties of {}", human_size(prop_size)),
            format!("bigprops-4x{}.dtb", human_size(prop_size).replace(' ', "")),
            gen_big_props(prop_size),
            2,
        ),
    ];
    let mut gen_rows = Vec::new();
    for (label, file, bytes, nodes) in generated {
        let path = out_dir.join(&file);
        std::fs::write(&path, &bytes).map_err(|e| format!("writing {}: {e}", path.display()))?;
        let read = dtlens::dtb::read(&bytes);
        let got = read.tree.node_count();
        if got != nodes {
            eprintln!("warning: dtlens read {got} nodes from {file}, the generator wrote {nodes}");
            if opts.quick {
                return Err(format!("dtlens read {got} nodes from {file}, the generator wrote {nodes}"));
            }
        }
        let m = measure(&label, &path, &dtlens, dtc_version.is_some(), budget)?;
        gen_rows.push(m);
    }

    // The corpus.
    let corpus_dir = root.join("..").join("shared").join("corpus");
    let mut corpus: Vec<PathBuf> = std::fs::read_dir(&corpus_dir)
        .map_err(|e| format!("reading {}: {e}", corpus_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("dtb" | "dtbo")))
        .collect();
    corpus.sort();
    let mut corpus_rows = Vec::new();
    for path in &corpus {
        let label = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        corpus_rows.push(measure(&label, path, &dtlens, dtc_version.is_some(), budget)?);
    }

    let mut table = String::new();
    table_header(&mut table);
    if !corpus_rows.is_empty() {
        table_row(&mut table, &summarise(&format!("corpus, {} files: total", corpus_rows.len()), &corpus_rows, sum));
        table_row(&mut table, &summarise("corpus: per-file median", &corpus_rows, median_f));
    }
    for r in &gen_rows {
        table_row(&mut table, r);
    }
    if opts.verbose {
        for r in &corpus_rows {
            table_row(&mut table, r);
        }
    }
    println!();
    print!("{table}");
    println!();
    println!(
        "ms = milliseconds, median of {}–{} samples per cell (3 for commands over 1 s); speed-up = dtc process time / dtlens process time.",
        budget.min_samples, budget.max_samples
    );

    // The targets: at least 3x faster than dtc on the large blobs (process against process).
    if !opts.quick {
        for r in &gen_rows {
            if let (Some(ours), Some(theirs)) = (r.dts_proc, r.dtc_dts) {
                let x = theirs / ours;
                let verdict = if x >= 3.0 { "meets" } else { "MISSES" };
                println!("{}: dtlens dts is {x:.1}x dtc -O dts ({verdict} the 3x target)", r.label);
            }
        }
    }
    Ok(())
}

fn machine_line(dtc: Option<&str>) -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    format!("machine: {cores} cores, {cpu}; {}", dtc.unwrap_or("no dtc"))
}

// ---------------------------------------------------------------------------------------------
// Measuring

#[derive(Clone, Copy)]
struct Budget {
    min_samples: usize,
    max_samples: usize,
    /// Stop adding samples past this much time (once `min_samples` are in).
    time: Duration,
    warm_up: bool,
}

impl Budget {
    const FULL: Budget = Budget { min_samples: 5, max_samples: 21, time: Duration::from_millis(1500), warm_up: true };
    const QUICK: Budget = Budget { min_samples: 1, max_samples: 1, time: Duration::ZERO, warm_up: false };
}

struct Row {
    label: String,
    size: f64,
    nodes: f64,
    print_in: f64,
    dts_proc: Option<f64>,
    dtc_dts: Option<f64>,
    write_in: f64,
    dtb_proc: Option<f64>,
    dtc_dtb: Option<f64>,
}

/// Median wall time in milliseconds of `f` under `budget`. Something that takes over a
/// second is sampled 3 times in all, its warm-up run included (dtc is quadratic on some of
/// the generated blobs, and 21 samples of it would take many minutes).
fn time_median(budget: Budget, mut f: impl FnMut() -> Result<(), String>) -> Result<f64, String> {
    let mut samples = Vec::new();
    let mut min_samples = budget.min_samples;
    if budget.warm_up {
        let t = Instant::now();
        f()?;
        let first = t.elapsed().as_secs_f64() * 1e3;
        if first > 1000.0 {
            samples.push(first);
            min_samples = min_samples.min(3);
        }
    }
    let start = Instant::now();
    while samples.len() < min_samples || (samples.len() < budget.max_samples && start.elapsed() < budget.time) {
        let t = Instant::now();
        f()?;
        samples.push(t.elapsed().as_secs_f64() * 1e3);
    }
    Ok(median(&mut samples))
}

fn run_process(program: &Path, args: &[OsString]) -> Result<(), String> {
    let status = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("running {}: {e}", program.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} {:?} exited with {status}", program.display(), args))
    }
}

fn measure(label: &str, path: &Path, dtlens: &Path, have_dtc: bool, budget: Budget) -> Result<Row, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let nodes = dtlens::dtb::read(&bytes).tree.node_count();

    let print_in = time_median(budget, || {
        let r = dtlens::dtb::read(black_box(&bytes));
        black_box(dtlens::dts::print(&r.tree));
        Ok(())
    })?;
    let write_in = time_median(budget, || {
        let r = dtlens::dtb::read(black_box(&bytes));
        black_box(dtlens::dtb::write(&r.tree));
        Ok(())
    })?;

    let file = path.as_os_str().to_owned();
    // Both tools write to /dev/null: dtc with -o, `dtlens dts` on standard output.
    let dts_args = vec!["dts".into(), file.clone()];
    let dtb_args = vec!["dtb".into(), file.clone(), "-o".into(), "/dev/null".into()];
    // A failing process (say, a CLI that is not there yet) leaves its cell empty, not the run.
    let dts_proc = time_median(budget, || run_process(dtlens, &dts_args)).map_err(|e| eprintln!("warning: {e}")).ok();
    let dtb_proc = time_median(budget, || run_process(dtlens, &dtb_args)).map_err(|e| eprintln!("warning: {e}")).ok();

    let (mut dtc_dts, mut dtc_dtb) = (None, None);
    if have_dtc {
        let dtc = Path::new("dtc");
        let to_dts: Vec<OsString> =
            vec!["-I".into(), "dtb".into(), "-O".into(), "dts".into(), "-o".into(), "/dev/null".into(), file.clone()];
        let to_dtb: Vec<OsString> =
            vec!["-I".into(), "dtb".into(), "-O".into(), "dtb".into(), "-o".into(), "/dev/null".into(), file.clone()];
        dtc_dts = Some(time_median(budget, || run_process(dtc, &to_dts))?);
        dtc_dtb = Some(time_median(budget, || run_process(dtc, &to_dtb))?);
    }

    Ok(Row {
        label: label.to_string(),
        size: bytes.len() as f64,
        nodes: nodes as f64,
        print_in,
        dts_proc,
        dtc_dts,
        write_in,
        dtb_proc,
        dtc_dtb,
    })
}

fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn median_f(v: &mut [f64]) -> f64 {
    median(v)
}

fn sum(v: &mut [f64]) -> f64 {
    v.iter().sum()
}

/// One row that combines `rows` column by column with `agg` (sum or median).
fn summarise(label: &str, rows: &[Row], agg: fn(&mut [f64]) -> f64) -> Row {
    let col = |f: &dyn Fn(&Row) -> f64| agg(&mut rows.iter().map(f).collect::<Vec<_>>());
    let opt_col = |f: &dyn Fn(&Row) -> Option<f64>| {
        let v: Option<Vec<f64>> = rows.iter().map(f).collect();
        v.map(|mut v| agg(&mut v))
    };
    Row {
        label: label.to_string(),
        size: col(&|r| r.size),
        nodes: col(&|r| r.nodes),
        print_in: col(&|r| r.print_in),
        dts_proc: opt_col(&|r| r.dts_proc),
        dtc_dts: opt_col(&|r| r.dtc_dts),
        write_in: col(&|r| r.write_in),
        dtb_proc: opt_col(&|r| r.dtb_proc),
        dtc_dtb: opt_col(&|r| r.dtc_dtb),
    }
}

// ---------------------------------------------------------------------------------------------
// The table

fn table_header(out: &mut String) {
    out.push_str(
        "| input | size | nodes | read+print in-process ms | `dtlens dts` ms | `dtc -O dts` ms | speed-up \
         | read+write in-process ms | `dtlens dtb` ms | `dtc -O dtb` ms | speed-up |\n",
    );
    out.push_str("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
}

fn table_row(out: &mut String, r: &Row) {
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        r.label,
        human_size(r.size.round() as usize),
        thousands(r.nodes.round() as usize),
        ms(Some(r.print_in)),
        ms(r.dts_proc),
        ms(r.dtc_dts),
        speedup(r.dtc_dts, r.dts_proc),
        ms(Some(r.write_in)),
        ms(r.dtb_proc),
        ms(r.dtc_dtb),
        speedup(r.dtc_dtb, r.dtb_proc),
    );
}

fn ms(v: Option<f64>) -> String {
    match v {
        None => "–".into(),
        Some(v) if v < 10.0 => format!("{v:.2}"),
        Some(v) if v < 100.0 => format!("{v:.1}"),
        Some(v) => format!("{v:.0}"),
    }
}

fn speedup(theirs: Option<f64>, ours: Option<f64>) -> String {
    match (theirs, ours) {
        (Some(t), Some(o)) if o > 0.0 => format!("{:.1}×", t / o),
        _ => "–".into(),
    }
}

fn human_size(n: usize) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 20 {
        format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else if n >= 1 << 10 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{n} B")
    }
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Generating blobs: a minimal stand-alone FDT serializer (version 17, dtc's block layout:
// header, reservation map, structure block, strings block).

struct Fdt {
    structs: Vec<u8>,
    strings: Vec<u8>,
    names: std::collections::HashMap<String, u32>,
}

impl Fdt {
    fn new() -> Self {
        let mut f = Fdt { structs: Vec::new(), strings: Vec::new(), names: Default::default() };
        f.begin("");
        f
    }

    fn word(&mut self, w: u32) {
        self.structs.extend_from_slice(&w.to_be_bytes());
    }

    fn pad(&mut self) {
        while !self.structs.len().is_multiple_of(4) {
            self.structs.push(0);
        }
    }

    fn begin(&mut self, name: &str) {
        self.word(1);
        self.structs.extend_from_slice(name.as_bytes());
        self.structs.push(0);
        self.pad();
    }

    fn end(&mut self) {
        self.word(2);
    }

    fn prop(&mut self, name: &str, value: &[u8]) {
        let off = match self.names.get(name) {
            Some(&o) => o,
            None => {
                let o = self.strings.len() as u32;
                self.strings.extend_from_slice(name.as_bytes());
                self.strings.push(0);
                self.names.insert(name.to_string(), o);
                o
            }
        };
        self.word(3);
        self.word(value.len() as u32);
        self.word(off);
        self.structs.extend_from_slice(value);
        self.pad();
    }

    fn prop_u32s(&mut self, name: &str, cells: &[u32]) {
        let v: Vec<u8> = cells.iter().flat_map(|c| c.to_be_bytes()).collect();
        self.prop(name, &v);
    }

    fn prop_strs(&mut self, name: &str, strs: &[&str]) {
        let mut v = Vec::new();
        for s in strs {
            v.extend_from_slice(s.as_bytes());
            v.push(0);
        }
        self.prop(name, &v);
    }

    /// Closes the root node and lays the blob out.
    fn finish(mut self) -> Vec<u8> {
        self.end();
        self.word(9);
        const HEADER: usize = 40;
        let rsvmap = HEADER;
        let structs = rsvmap + 16;
        let strings = structs + self.structs.len();
        let total = strings + self.strings.len();
        let mut out = Vec::with_capacity(total);
        for w in [
            0xd00d_feed,
            total as u32,
            structs as u32,
            strings as u32,
            rsvmap as u32,
            17,
            16,
            0,
            self.strings.len() as u32,
            self.structs.len() as u32,
        ] {
            out.extend_from_slice(&u32::to_be_bytes(w));
        }
        out.extend_from_slice(&[0; 16]);
        out.extend_from_slice(&self.structs);
        out.extend_from_slice(&self.strings);
        out
    }
}

/// Exactly `n` nodes (root included): buses of up to 100 devices each. Each device has a
/// compatible list, `reg`, `clock-frequency`, `reg-names` and `status`; with `phandles`, also a
/// `phandle`, `interrupts` and a `clocks` reference to the bus's first device. (dtc's checks
/// look every phandle up by walking the whole tree, so they are quadratic in the node count.)
fn gen_nodes(n: usize, phandles: bool) -> Vec<u8> {
    let mut f = Fdt::new();
    f.prop_u32s("#address-cells", &[1]);
    f.prop_u32s("#size-cells", &[1]);
    f.prop_strs("compatible", &["dtlens,bench"]);
    f.prop_strs("model", &[&format!("dtlens benchmark tree with {n} nodes")]);
    let mut count = 1;
    let mut phandle = 1u32;
    let mut bus = 0u32;
    while count < n {
        f.begin(&format!("bus@{:x}", 0x1000_0000 + bus * 0x10_0000));
        count += 1;
        f.prop_strs("compatible", &["simple-bus"]);
        f.prop_u32s("#address-cells", &[1]);
        f.prop_u32s("#size-cells", &[1]);
        f.prop("ranges", &[]);
        let clock = phandle;
        let mut dev = 0u32;
        while dev < 100 && count < n {
            let addr = 0x1000_0000 + bus * 0x10_0000 + dev * 0x1000;
            f.begin(&format!("device@{addr:x}"));
            count += 1;
            let model = format!("vendor,device-{}", (bus + dev) % 50);
            f.prop_strs("compatible", &[&model, "vendor,generic-device"]);
            f.prop_u32s("reg", &[addr, 0x1000]);
            f.prop_u32s("clock-frequency", &[24_000_000 + dev]);
            f.prop_strs("reg-names", &["control"]);
            f.prop_strs("status", &["okay"]);
            if phandles {
                f.prop_u32s("interrupts", &[0, (bus * 100 + dev) % 988, 4]);
                f.prop_u32s("clocks", &[clock, dev % 8]);
                f.prop_u32s("phandle", &[phandle]);
                phandle += 1;
            }
            f.end();
            dev += 1;
        }
        f.end();
        bus += 1;
    }
    f.finish()
}

/// The root plus one node with `n` properties of mixed kinds (cells, strings, empty).
fn gen_props(n: usize) -> Vec<u8> {
    let mut f = Fdt::new();
    f.prop_u32s("#address-cells", &[1]);
    f.prop_u32s("#size-cells", &[1]);
    f.begin("many-properties");
    for i in 0..n {
        let name = format!("vendor,property-{i:05}");
        match i % 4 {
            0 => f.prop_u32s(&name, &[i as u32]),
            1 => f.prop_strs(&name, &[&format!("value {i}")]),
            2 => f.prop_u32s(&name, &[i as u32, 0x1000]),
            _ => f.prop(&name, &[]),
        }
    }
    f.end();
    f.finish()
}

/// The root plus one node with four properties of `size` bytes each: random bytes, one long
/// string, counting cells, a list of short strings.
fn gen_big_props(size: usize) -> Vec<u8> {
    let mut f = Fdt::new();
    f.begin("large-properties");

    let mut state = 0x2545_f491_4f6c_dd1du64; // xorshift64: deterministic "random" bytes
    let random: Vec<u8> = (0..size)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    f.prop("random-bytes", &random);

    let mut text: Vec<u8> =
        b"The quick brown fox jumps over the lazy dog. ".iter().copied().cycle().take(size - 1).collect();
    text.push(0);
    f.prop("long-string", &text);

    let cells: Vec<u8> = (0..size / 4).flat_map(|i| (i as u32).to_be_bytes()).collect();
    f.prop("counting-cells", &cells);

    let mut list = Vec::with_capacity(size);
    let mut i = 0;
    while list.len() + 16 < size {
        list.extend_from_slice(format!("entry-{i}").as_bytes());
        list.push(0);
        i += 1;
    }
    list.resize(size - 1, b'x');
    list.push(0);
    f.prop("string-list", &list);

    f.end();
    f.finish()
}

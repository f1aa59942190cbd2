//! Pipeline benchmark: every stage a user runs, in-process, and the command-line tool side by
//! side with `dtc` on the same files.
//!
//! ```text
//! cargo bench --bench pipeline                 # full run (several minutes: dtc is quadratic)
//! cargo bench --bench pipeline -- --quick      # smoke run: small inputs, one sample each
//! cargo bench --bench pipeline -- --verbose    # also one row per corpus file
//!
//! # A long run without holding cargo's lock on target/: build, then run the binary it names.
//! cargo bench --bench pipeline --no-run        # "Executable ... (target/release/deps/pipeline-HASH)"
//! target/release/deps/pipeline-HASH
//! ```
//!
//! What is timed:
//! - **Stages, in-process**, each on its own: read (`dtb::read`), check with every rule on
//!   (level W=2 plus the rules that are only on when named), DTS print (`dts::print`), DTB
//!   write (`dtb::write`), share-link encode and decode (`share::encode`/`share::decode` of a
//!   link carrying the blob), and DTS compile (`dts::parse` + `dtb::write` of the DTS that
//!   dtlens prints for the input).
//! - **Read + check + print against `dtc -I dtb -O dts`** (a process), two ways: in this
//!   process, from the file on disk to the DTS written to /dev/null (everything a `dtlens`
//!   process would do but start up; the browser runs this pipeline in one page), and as two
//!   processes, `dtlens check` (every rule) plus `dtlens dts`, each starting up and reading
//!   the file again.
//! - **Processes**, dtlens against dtc: `dtlens dtb` against `dtc -I dtb -O dtb`; on generated
//!   DTS files, `dtlens dtb FILE.dts` against `dtc -I dts -O dtb`.
//! - **Linearity**: each stage's time per node at the two generated tree sizes.
//! - **Memory**: peak heap (a counting global allocator in this binary) of read, read +
//!   check, read + print, read + write and DTS compile, as a multiple of the input's size.
//!
//! Inputs: every blob in `../shared/corpus/` (summed, and the per-file median) and generated
//! inputs written to `target/bench/`: 10,000 and 100,000 nodes, 10,000 nodes with phandles,
//! one node with 20,000 properties, four 1 MiB properties, and DTS sources of 10,000 and
//! 100,000 nodes with a label on every bus's first device and a reference to it from every
//! device. The generators below are small and stand-alone, so the inputs do not depend on
//! the code being measured; `dtc` must accept each of them (checked).
//!
//! Every time is the median of several samples (at least 5, more while under a time budget);
//! a command over 1 s gets 3 samples, one over 10 s only one; processes get one untimed
//! warm-up run. Processes write to /dev/null. Next to the wall-clock medians, the processes'
//! CPU time (user + system, from the kernel's accounting of finished children) is averaged
//! over the same runs: it is what the machine's load distorts least.

use std::alloc::{GlobalAlloc, Layout, System};
use std::ffi::OsString;
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// Peak heap: a global allocator that counts while a measurement is on.

struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static CURRENT: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn count(delta: isize) {
    if COUNTING.load(Ordering::Relaxed) {
        let now = CURRENT.fetch_add(delta, Ordering::Relaxed) + delta;
        PEAK.fetch_max(now, Ordering::Relaxed);
    }
}

// SAFETY: every call goes straight to the system allocator with the caller's arguments; the
// counting around it only touches atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        count(-(layout.size() as isize));
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            count(new_size as isize - layout.size() as isize);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The most heap `f` held at once beyond what was allocated before it started (memory freed
/// during `f` that was allocated before it counts as negative, so this never overstates).
fn peak_heap(f: impl FnOnce()) -> usize {
    CURRENT.store(0, Ordering::SeqCst);
    PEAK.store(0, Ordering::SeqCst);
    COUNTING.store(true, Ordering::SeqCst);
    f();
    COUNTING.store(false, Ordering::SeqCst);
    PEAK.load(Ordering::SeqCst).max(0) as usize
}

// ---------------------------------------------------------------------------------------------

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

/// Everything one measurement needs to know about the tools.
struct Env {
    dtlens: PathBuf,
    have_dtc: bool,
    budget: Budget,
    /// `dtlens check` arguments that turn every rule on.
    check_args: Vec<OsString>,
    /// The check configuration with every rule on.
    config: dtlens::check::Config,
}

fn run(opts: &Opts) -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = root.join("target").join("bench");
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("creating {}: {e}", out_dir.display()))?;
    let dtc_version = Command::new("dtc").arg("--version").output().ok().filter(|o| o.status.success());
    let dtc_version = dtc_version.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    let (config, check_args) = all_rules();
    let env = Env {
        dtlens: PathBuf::from(env!("CARGO_BIN_EXE_dtlens")),
        have_dtc: dtc_version.is_some(),
        budget: if opts.quick { Budget::QUICK } else { Budget::FULL },
        check_args,
        config,
    };

    println!("{}", machine_line(dtc_version.as_deref()));
    if opts.quick || cfg!(debug_assertions) {
        println!("smoke run (--quick and/or a debug build): checks that the benchmark works; its times mean nothing");
    }
    if !env.have_dtc {
        println!("dtc not found: its columns stay empty (install device-tree-compiler)");
    }
    let started = Instant::now();

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
    let mut memory = Vec::new();
    for (label, file, bytes, nodes) in generated {
        let path = out_dir.join(&file);
        std::fs::write(&path, &bytes).map_err(|e| format!("writing {}: {e}", path.display()))?;
        let got = dtlens::dtb::read(&bytes).tree.node_count();
        if got != nodes {
            return Err(format!("dtlens read {got} nodes from {file}, the generator wrote {nodes}"));
        }
        eprintln!("[{:>4.0} s] {label}", started.elapsed().as_secs_f64());
        memory.push(measure_memory(&label, &bytes, &env.config));
        gen_rows.push(measure(&label, &path, &env)?);
    }

    // Generated DTS sources, compiled by both tools.
    let mut dts_rows = Vec::new();
    for n in [n_small, n_large] {
        let label = format!("DTS, {} nodes, labels and references", thousands(n));
        let path = out_dir.join(format!("refs-{n}.dts"));
        let text = gen_dts(n);
        std::fs::write(&path, &text).map_err(|e| format!("writing {}: {e}", path.display()))?;
        eprintln!("[{:>4.0} s] {label}", started.elapsed().as_secs_f64());
        // dtc on the large source is quadratic (minutes): one run, cut off after 120 s; not
        // at all in a smoke run.
        let dtc_limit = if n == n_large {
            if opts.quick {
                None
            } else {
                Some(Duration::from_secs(120))
            }
        } else {
            Some(Duration::ZERO)
        };
        let row = measure_dts(&label, &path, &text, n, &env, dtc_limit)?;
        memory.push(row.memory.clone());
        dts_rows.push(row);
    }

    // The corpus.
    let corpus_dir = root.join("..").join("shared").join("corpus");
    let mut corpus: Vec<PathBuf> = std::fs::read_dir(&corpus_dir)
        .map_err(|e| format!("reading {}: {e}", corpus_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("dtb" | "dtbo")))
        .collect();
    corpus.sort();
    if opts.quick {
        // A smoke run only needs to see that corpus files go through every stage.
        corpus.truncate(6);
    }
    eprintln!("[{:>4.0} s] corpus, {} files", started.elapsed().as_secs_f64(), corpus.len());
    let mut corpus_rows = Vec::new();
    for path in &corpus {
        let label = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        corpus_rows.push(measure(&label, path, &env)?);
    }
    eprintln!("[{:>4.0} s] done", started.elapsed().as_secs_f64());

    let mut rows: Vec<Row> = Vec::new();
    if !corpus_rows.is_empty() {
        rows.push(summarise(&format!("corpus, {} files: total", corpus_rows.len()), &corpus_rows, sum));
        rows.push(summarise("corpus: per-file median", &corpus_rows, median_f));
    }
    rows.extend(gen_rows.iter().cloned());
    if opts.verbose {
        rows.extend(corpus_rows.iter().cloned());
    }

    let mut out = String::new();
    let _ = writeln!(out, "\n### Stages, in-process (ms)\n");
    stage_table(&mut out, &rows);
    let _ = writeln!(out, "\n### Read + check + DTS print, and DTB write: dtlens and dtc as processes (ms)\n");
    process_table(&mut out, &rows);
    let _ = writeln!(out, "\n### DTS compile: `dtlens dtb FILE.dts` and `dtc -I dts -O dtb` (ms)\n");
    dts_table(&mut out, &dts_rows);
    let _ = writeln!(
        out,
        "\n### Linearity: time per node at {} and {} nodes (µs)\n",
        thousands(n_small),
        thousands(n_large)
    );
    let linear_ok = linearity_table(&mut out, &gen_rows[0], &gen_rows[1], &dts_rows[0], &dts_rows[1]);
    let _ = writeln!(out, "\n### Peak heap, as a multiple of the input's size\n");
    memory_table(&mut out, &memory);
    print!("{out}");
    println!();
    println!(
        "ms = milliseconds, wall clock, median of {}–{} samples per cell (3 for commands over 1 s, 1 over 10 s); \
         CPU = user + system time per run of the process, averaged over the same runs. \
         Speed-up = dtc's time / dtlens's time.",
        env.budget.min_samples, env.budget.max_samples
    );
    println!("load average at the end: {}", load_average());

    if !opts.quick {
        println!();
        verdicts(&gen_rows, &dts_rows, &memory, linear_ok);
    }
    Ok(())
}

/// The check configuration with every rule on: level W=2, and the rules that are on only
/// when named turned on (as warnings), plus the matching `dtlens check` arguments.
fn all_rules() -> (dtlens::check::Config, Vec<OsString>) {
    use dtlens::check::{Config, EnabledAt, Level, Override};
    let mut config = Config { level: Level::W2, ..Config::default() };
    let mut args: Vec<OsString> = vec!["check".into(), "--level".into(), "w2".into()];
    for r in dtlens::check::all() {
        if r.enabled_at == EnabledAt::Explicit {
            config.set(r.id, Override::Warning);
            args.push("-W".into());
            args.push(r.id.into());
        }
    }
    debug_assert!(dtlens::check::all().all(|r| config.is_enabled(r)));
    (config, args)
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
    format!("machine: {cores} cores, {cpu}; {}; load average at the start: {}", dtc.unwrap_or("no dtc"), load_average())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
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

/// One process measurement: median wall time and mean CPU time per run, in ms.
#[derive(Clone, Copy, Debug)]
struct Sample {
    wall: f64,
    cpu: Option<f64>,
}

/// Column indices of [`Row::cols`].
mod col {
    pub const READ: usize = 0;
    pub const CHECK: usize = 1;
    pub const PRINT: usize = 2;
    pub const WRITE: usize = 3;
    pub const ENCODE: usize = 4;
    pub const DECODE: usize = 5;
    pub const COMPILE: usize = 6;
    /// Processes: wall, then CPU.
    pub const DTS: usize = 7;
    pub const CHECK_P: usize = 9;
    pub const DTC_DTS: usize = 11;
    pub const DTB: usize = 13;
    pub const DTC_DTB: usize = 15;
    /// The whole pipeline in this process: read the file, read the blob, check, print to
    /// /dev/null (wall, then CPU).
    pub const PIPELINE: usize = 17;
    pub const N: usize = 19;
}

#[derive(Clone)]
struct Row {
    label: String,
    size: f64,
    nodes: f64,
    cols: [Option<f64>; col::N],
}

impl Row {
    fn get(&self, c: usize) -> Option<f64> {
        self.cols[c]
    }
    fn set_sample(&mut self, c: usize, s: Option<Sample>) {
        self.cols[c] = s.map(|s| s.wall);
        self.cols[c + 1] = s.and_then(|s| s.cpu);
    }
    /// Read + check + print as processes: `dtlens check` + `dtlens dts`; `cpu` picks the
    /// CPU column instead of the wall clock.
    fn ours_rcp(&self, cpu: bool) -> Option<f64> {
        let k = usize::from(cpu);
        Some(self.get(col::DTS + k)? + self.get(col::CHECK_P + k)?)
    }
    /// Read + check + print in one process; `cpu` picks the CPU column.
    fn pipeline(&self, cpu: bool) -> Option<f64> {
        self.get(col::PIPELINE + usize::from(cpu))
    }
}

/// Median wall time in milliseconds of `f` under `budget`. Something that takes over a
/// second is sampled 3 times in all, its warm-up run included, and something over 10 s only
/// once (dtc is quadratic on some of the generated inputs).
fn time_median(budget: Budget, mut f: impl FnMut() -> Result<(), String>) -> Result<f64, String> {
    Ok(time_runs(budget, &mut f)?.0)
}

/// [`time_median`], and how many times `f` ran (warm-up included).
fn time_runs(budget: Budget, f: &mut dyn FnMut() -> Result<(), String>) -> Result<(f64, usize), String> {
    let mut samples = Vec::new();
    let mut min_samples = budget.min_samples;
    let mut runs = 0;
    if budget.warm_up {
        let t = Instant::now();
        f()?;
        runs += 1;
        let first = t.elapsed().as_secs_f64() * 1e3;
        if first > 1000.0 {
            samples.push(first);
            min_samples = if first > 10_000.0 { 1 } else { min_samples.min(3) };
        }
    }
    let start = Instant::now();
    while samples.len() < min_samples || (samples.len() < budget.max_samples && start.elapsed() < budget.time) {
        let t = Instant::now();
        f()?;
        runs += 1;
        samples.push(t.elapsed().as_secs_f64() * 1e3);
    }
    Ok((median(&mut samples), runs))
}

/// CPU time (user + system) of this process's waited-for children so far, in ms. The kernel
/// counts it in clock ticks (100 per second on Linux).
fn children_cpu_ms() -> Option<f64> {
    // cutime and cstime are fields 16 and 17 of /proc/self/stat.
    cpu_fields(13)
}

/// CPU time (user + system) of this process so far, in ms (fields 14 and 15).
fn own_cpu_ms() -> Option<f64> {
    cpu_fields(11)
}

/// The sum of two consecutive clock-tick fields of /proc/self/stat, `at` counting from the
/// state (field 3), in ms.
fn cpu_fields(at: usize) -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let a: f64 = fields.get(at)?.parse().ok()?;
    let b: f64 = fields.get(at + 1)?.parse().ok()?;
    Some((a + b) * 10.0)
}

/// Times a process; exit codes in `ok_codes` count as success.
fn time_process(budget: Budget, program: &Path, args: &[OsString], ok_codes: &[i32]) -> Result<Sample, String> {
    let cpu0 = children_cpu_ms();
    let (wall, runs) = time_runs(budget, &mut || run_process(program, args, ok_codes))?;
    let cpu = match (cpu0, children_cpu_ms()) {
        (Some(a), Some(b)) if runs > 0 => Some((b - a) / runs as f64),
        _ => None,
    };
    Ok(Sample { wall, cpu })
}

fn run_process(program: &Path, args: &[OsString], ok_codes: &[i32]) -> Result<(), String> {
    let status = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("running {}: {e}", program.display()))?;
    if status.code().is_some_and(|c| ok_codes.contains(&c)) {
        Ok(())
    } else {
        Err(format!("{} {:?} exited with {status}", program.display(), args))
    }
}

/// What one run of a process cut off after a time limit gave.
enum Limited {
    Done(Sample),
    /// Still running after this many seconds (then killed).
    TimedOut(f64),
}

/// One run of a process, killed when it is still running after `limit`.
fn run_limited(program: &Path, args: &[OsString], limit: Duration) -> Result<Limited, String> {
    let cpu0 = children_cpu_ms();
    let t = Instant::now();
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("running {}: {e}", program.display()))?;
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            let wall = t.elapsed().as_secs_f64() * 1e3;
            if !status.success() {
                return Err(format!("{} {:?} exited with {status}", program.display(), args));
            }
            let cpu = match (cpu0, children_cpu_ms()) {
                (Some(a), Some(b)) => Some(b - a),
                _ => None,
            };
            return Ok(Limited::Done(Sample { wall, cpu }));
        }
        if t.elapsed() >= limit {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(Limited::TimedOut(limit.as_secs_f64()));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn measure(label: &str, path: &Path, env: &Env) -> Result<Row, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let budget = env.budget;
    let read = dtlens::dtb::read(&bytes);
    let tree = &read.tree;
    let nodes = tree.node_count();
    let mut row = Row { label: label.to_string(), size: bytes.len() as f64, nodes: nodes as f64, cols: [None; col::N] };

    // Stages, in-process.
    row.cols[col::READ] = Some(time_median(budget, || {
        black_box(dtlens::dtb::read(black_box(&bytes)));
        Ok(())
    })?);
    row.cols[col::CHECK] = Some(time_median(budget, || {
        black_box(dtlens::check::run(black_box(tree), &env.config));
        Ok(())
    })?);
    row.cols[col::PRINT] = Some(time_median(budget, || {
        black_box(dtlens::dts::print(black_box(tree)));
        Ok(())
    })?);
    row.cols[col::WRITE] = Some(time_median(budget, || {
        black_box(dtlens::dtb::write(black_box(tree)));
        Ok(())
    })?);
    let share = dtlens::share::ShareV1 { blob: bytes.clone(), name: label.to_string(), ..Default::default() };
    row.cols[col::ENCODE] = Some(time_median(budget, || {
        black_box(dtlens::share::encode(black_box(&share)));
        Ok(())
    })?);
    let fragment = dtlens::share::encode(&share);
    match dtlens::share::decode(&fragment) {
        Ok(back) if back == share => {}
        _ => return Err(format!("{label}: the share link does not decode to what was encoded")),
    }
    row.cols[col::DECODE] = Some(time_median(budget, || {
        black_box(dtlens::share::decode(black_box(&fragment)).ok());
        Ok(())
    })?);
    let dts = dtlens::dts::print(tree);
    let opts = dtlens::dts::ParseOptions::default();
    let compiled = dtlens::dts::parse(&dts, &opts);
    if compiled.ok().is_none() {
        return Err(format!("{label}: dtlens does not compile the DTS it printed"));
    }
    row.cols[col::COMPILE] = Some(time_median(budget, || {
        let r = dtlens::dts::parse(black_box(&dts), &opts);
        black_box(r.tree.as_ref().map(dtlens::dtb::write));
        Ok(())
    })?);

    // The pipeline a user runs (the browser does it in one page), in this process from the
    // file on disk to the DTS written to /dev/null: everything a `dtlens` process does but
    // start up. CPU time per run is this process's own, averaged over the runs.
    let mut devnull = std::fs::OpenOptions::new().write(true).open("/dev/null").map_err(|e| e.to_string())?;
    let cpu0 = own_cpu_ms();
    let (wall, runs) = time_runs(budget, &mut || {
        let b = std::fs::read(path).map_err(|e| e.to_string())?;
        let r = dtlens::dtb::read(&b);
        black_box(dtlens::check::run(&r.tree, &env.config));
        let mut w = std::io::BufWriter::new(&mut devnull);
        dtlens::dts::print::print_to(&r.tree, &mut w).map_err(|e| e.to_string())?;
        std::io::Write::flush(&mut w).map_err(|e| e.to_string())
    })?;
    let cpu = match (cpu0, own_cpu_ms()) {
        (Some(a), Some(b)) if runs > 0 => Some((b - a) / runs as f64),
        _ => None,
    };
    row.set_sample(col::PIPELINE, Some(Sample { wall, cpu }));

    // Processes. A failing dtlens process leaves its cell empty, not the run.
    let file = path.as_os_str().to_owned();
    let dtlens = env.dtlens.as_path();
    let dts_args = vec!["dts".into(), file.clone()];
    let mut check_args = env.check_args.clone();
    check_args.push(file.clone());
    let dtb_args = vec!["dtb".into(), file.clone(), "-o".into(), "/dev/null".into()];
    let warn = |e: String| eprintln!("warning: {e}");
    row.set_sample(col::DTS, time_process(budget, dtlens, &dts_args, &[0]).map_err(warn).ok());
    // `check` exits with 1 when it finds errors.
    row.set_sample(col::CHECK_P, time_process(budget, dtlens, &check_args, &[0, 1]).map_err(warn).ok());
    row.set_sample(col::DTB, time_process(budget, dtlens, &dtb_args, &[0]).map_err(warn).ok());
    if env.have_dtc {
        let dtc = Path::new("dtc");
        let to = |fmt: &str| -> Vec<OsString> {
            vec!["-I".into(), "dtb".into(), "-O".into(), fmt.into(), "-o".into(), "/dev/null".into(), file.clone()]
        };
        row.set_sample(col::DTC_DTS, Some(time_process(budget, dtc, &to("dts"), &[0])?));
        row.set_sample(col::DTC_DTB, Some(time_process(budget, dtc, &to("dtb"), &[0])?));
    }
    Ok(row)
}

/// Peak heap of each stage on one blob (the blob's own bytes are already held, not counted).
#[derive(Clone)]
struct Memory {
    label: String,
    size: usize,
    /// (stage, peak bytes)
    peaks: Vec<(&'static str, usize)>,
}

fn measure_memory(label: &str, bytes: &[u8], config: &dtlens::check::Config) -> Memory {
    let peaks = vec![
        ("read", peak_heap(|| drop(black_box(dtlens::dtb::read(bytes))))),
        (
            "read + check",
            peak_heap(|| {
                let r = dtlens::dtb::read(bytes);
                black_box(dtlens::check::run(&r.tree, config));
            }),
        ),
        (
            "read + print",
            peak_heap(|| {
                let r = dtlens::dtb::read(bytes);
                black_box(dtlens::dts::print(&r.tree));
            }),
        ),
        (
            "read + write",
            peak_heap(|| {
                let r = dtlens::dtb::read(bytes);
                black_box(dtlens::dtb::write(&r.tree));
            }),
        ),
    ];
    Memory { label: label.to_string(), size: bytes.len(), peaks }
}

struct DtsRow {
    label: String,
    size: usize,
    nodes: usize,
    compile_in: f64,
    ours: Option<Sample>,
    dtc: Option<Limited>,
    /// Whether dtlens compiled the source to the same bytes as dtc (when dtc finished).
    same_bytes: Option<bool>,
    memory: Memory,
}

/// `dtc_limit`: `None` skips dtc; `Some(ZERO)` samples it normally; otherwise one run cut
/// off after that long.
fn measure_dts(
    label: &str,
    path: &Path,
    text: &str,
    nodes: usize,
    env: &Env,
    dtc_limit: Option<Duration>,
) -> Result<DtsRow, String> {
    let opts = dtlens::dts::ParseOptions::default();
    let compiled = dtlens::dts::parse(text, &opts);
    let Some(tree) = compiled.ok() else {
        return Err(format!("{label}: dtlens does not compile it: {:?}", compiled.diagnostics.first()));
    };
    if tree.node_count() != nodes {
        return Err(format!("{label}: compiled to {} nodes, the generator wrote {nodes}", tree.node_count()));
    }
    let ours_bytes = dtlens::dtb::write(tree);
    let compile_in = time_median(env.budget, || {
        let r = dtlens::dts::parse(black_box(text), &opts);
        black_box(r.tree.as_ref().map(dtlens::dtb::write));
        Ok(())
    })?;
    let memory = Memory {
        label: label.to_string(),
        size: text.len(),
        peaks: vec![(
            "compile",
            peak_heap(|| {
                let r = dtlens::dts::parse(text, &opts);
                black_box(r.tree.as_ref().map(dtlens::dtb::write));
            }),
        )],
    };
    let file = path.as_os_str().to_owned();
    let args: Vec<OsString> = vec!["dtb".into(), file.clone(), "-o".into(), "/dev/null".into()];
    let ours = time_process(env.budget, &env.dtlens, &args, &[0]).map_err(|e| eprintln!("warning: {e}")).ok();

    let (mut dtc, mut same_bytes) = (None, None);
    if let (true, Some(limit)) = (env.have_dtc, dtc_limit) {
        let dtc_out = path.with_extension("dtc.dtb");
        let args: Vec<OsString> =
            vec!["-I".into(), "dts".into(), "-O".into(), "dtb".into(), "-o".into(), dtc_out.clone().into(), file];
        let dtc_path = Path::new("dtc");
        dtc = Some(if limit.is_zero() {
            Limited::Done(time_process(env.budget, dtc_path, &args, &[0])?)
        } else {
            run_limited(dtc_path, &args, limit)?
        });
        if let Some(Limited::Done(_)) = dtc {
            same_bytes = std::fs::read(&dtc_out).ok().map(|b| b == ours_bytes);
        }
        let _ = std::fs::remove_file(&dtc_out);
    }
    Ok(DtsRow { label: label.to_string(), size: text.len(), nodes, compile_in, ours, dtc, same_bytes, memory })
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

/// One row that combines `rows` column by column with `agg` (sum or median); a column that
/// is empty in any row stays empty.
fn summarise(label: &str, rows: &[Row], agg: fn(&mut [f64]) -> f64) -> Row {
    let mut cols = [None; col::N];
    for (c, slot) in cols.iter_mut().enumerate() {
        let v: Option<Vec<f64>> = rows.iter().map(|r| r.get(c)).collect();
        *slot = v.map(|mut v| agg(&mut v));
    }
    Row {
        label: label.to_string(),
        size: agg(&mut rows.iter().map(|r| r.size).collect::<Vec<_>>()),
        nodes: agg(&mut rows.iter().map(|r| r.nodes).collect::<Vec<_>>()),
        cols,
    }
}

// ---------------------------------------------------------------------------------------------
// The tables

fn stage_table(out: &mut String, rows: &[Row]) {
    out.push_str(
        "| input | size | nodes | read | check (all rules) | DTS print | DTB write | link encode | link decode | DTS compile |\n",
    );
    out.push_str("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for r in rows {
        let _ = write!(
            out,
            "| {} | {} | {} |",
            r.label,
            human_size(r.size.round() as usize),
            thousands(r.nodes.round() as usize)
        );
        for c in [col::READ, col::CHECK, col::PRINT, col::WRITE, col::ENCODE, col::DECODE, col::COMPILE] {
            let _ = write!(out, " {} |", ms(r.get(c)));
        }
        out.push('\n');
    }
}

fn process_table(out: &mut String, rows: &[Row]) {
    out.push_str(
        "| input | `dtc -O dts` | dtlens read+check+print, one process | speed-up | speed-up, CPU \
         | `dtlens check` | `dtlens dts` | both processes | speed-up | speed-up, CPU \
         | `dtlens dtb` | `dtc -O dtb` | speed-up |\n",
    );
    out.push_str("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for r in rows {
        let dtc = r.get(col::DTC_DTS);
        let dtc_cpu = r.get(col::DTC_DTS + 1);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.label,
            ms(dtc),
            ms(r.pipeline(false)),
            speedup(dtc, r.pipeline(false)),
            speedup(dtc_cpu, r.pipeline(true)),
            ms(r.get(col::CHECK_P)),
            ms(r.get(col::DTS)),
            ms(r.ours_rcp(false)),
            speedup(dtc, r.ours_rcp(false)),
            speedup(dtc_cpu, r.ours_rcp(true)),
            ms(r.get(col::DTB)),
            ms(r.get(col::DTC_DTB)),
            speedup(r.get(col::DTC_DTB), r.get(col::DTB)),
        );
    }
}

fn dts_table(out: &mut String, rows: &[DtsRow]) {
    out.push_str(
        "| input | size | nodes | in-process parse+write | `dtlens dtb` | `dtc -I dts -O dtb` | speed-up | speed-up, CPU | same bytes |\n",
    );
    out.push_str("|---|--:|--:|--:|--:|--:|--:|--:|:-:|\n");
    for r in rows {
        let (dtc, x, xc) = match &r.dtc {
            None => ("not run".to_string(), "–".to_string(), "–".to_string()),
            Some(Limited::TimedOut(s)) => (
                format!("> {:.0} s (cut off)", s),
                r.ours.map_or("–".into(), |o| format!("> {:.0}×", s * 1e3 / o.wall)),
                "–".into(),
            ),
            Some(Limited::Done(s)) => (
                ms(Some(s.wall)),
                speedup(Some(s.wall), r.ours.map(|o| o.wall)),
                speedup(s.cpu, r.ours.and_then(|o| o.cpu)),
            ),
        };
        let same = match r.same_bytes {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "–",
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.label,
            human_size(r.size),
            thousands(r.nodes),
            ms(Some(r.compile_in)),
            ms(r.ours.map(|o| o.wall)),
            dtc,
            x,
            xc,
            same
        );
    }
}

/// Per-node cost of every stage at the two tree sizes; `false` if one grows by more than 2×.
fn linearity_table(out: &mut String, small: &Row, large: &Row, dts_small: &DtsRow, dts_large: &DtsRow) -> bool {
    out.push_str("| stage | per node, small | per node, large | growth | |\n|---|--:|--:|--:|---|\n");
    let mut all_ok = true;
    let mut line = |name: &str, a: Option<f64>, na: f64, b: Option<f64>, nb: f64| {
        let (Some(a), Some(b)) = (a, b) else { return };
        let (pa, pb) = (a * 1e3 / na, b * 1e3 / nb);
        let growth = pb / pa;
        let ok = growth <= 2.0;
        all_ok &= ok;
        let _ = writeln!(
            out,
            "| {name} | {pa:.3} | {pb:.3} | {growth:.2}× | {} |",
            if ok { "linear" } else { "NOT LINEAR (over 2×)" }
        );
    };
    let (ns, nl) = (small.nodes, large.nodes);
    for (name, c) in [
        ("read", col::READ),
        ("check (all rules)", col::CHECK),
        ("DTS print", col::PRINT),
        ("DTB write", col::WRITE),
        ("link encode", col::ENCODE),
        ("link decode", col::DECODE),
        ("DTS compile (printed DTS)", col::COMPILE),
        ("`dtlens check` process", col::CHECK_P),
        ("`dtlens dts` process", col::DTS),
        ("`dtlens dtb` process", col::DTB),
    ] {
        line(name, small.get(c), ns, large.get(c), nl);
    }
    line(
        "DTS compile (labels and references)",
        Some(dts_small.compile_in),
        dts_small.nodes as f64,
        Some(dts_large.compile_in),
        dts_large.nodes as f64,
    );
    line(
        "`dtlens dtb FILE.dts` process",
        dts_small.ours.map(|s| s.wall),
        dts_small.nodes as f64,
        dts_large.ours.map(|s| s.wall),
        dts_large.nodes as f64,
    );
    all_ok
}

fn memory_table(out: &mut String, rows: &[Memory]) {
    out.push_str("| input | size | stage | peak heap | × input size |\n|---|--:|---|--:|--:|\n");
    for m in rows {
        for (stage, peak) in &m.peaks {
            let _ = writeln!(
                out,
                "| {} | {} | {stage} | {} | {:.1}× |",
                m.label,
                human_size(m.size),
                human_size(*peak),
                *peak as f64 / m.size as f64
            );
        }
    }
}

fn verdicts(gen_rows: &[Row], dts_rows: &[DtsRow], memory: &[Memory], linear_ok: bool) {
    println!("Targets:");
    for r in gen_rows {
        let ratio = |theirs: Option<f64>, ours: Option<f64>| match (theirs, ours) {
            (Some(t), Some(o)) if o > 0.0 => Some(t / o),
            _ => None,
        };
        let (dtc, dtc_cpu) = (r.get(col::DTC_DTS), r.get(col::DTC_DTS + 1));
        let Some(x) = ratio(dtc, r.pipeline(false)) else { continue };
        let x_cpu = ratio(dtc_cpu, r.pipeline(true)).map_or(String::new(), |x| format!(", {x:.1}× in CPU time"));
        let two = ratio(dtc, r.ours_rcp(false))
            .map_or(String::new(), |x| format!("; as two processes (`dtlens check` + `dtlens dts`) {x:.1}×"));
        let verdict = if x >= 3.0 { "meets" } else { "MISSES" };
        println!(
            "- {}: read + check + print in one process is {x:.1}× faster than `dtc -O dts`{x_cpu} ({verdict} the 3× target){two}",
            r.label
        );
    }
    if let Some(r) = dts_rows.first() {
        match (&r.dtc, r.ours) {
            (Some(Limited::Done(d)), Some(o)) => println!(
                "- {}: `dtlens dtb` {:.0} ms, dtc {:.0} ms: {}",
                r.label,
                o.wall,
                d.wall,
                if o.wall < d.wall { "dtlens is faster (meets)" } else { "dtc is faster (MISSES)" }
            ),
            _ => println!("- {}: no comparison (dtc not run)", r.label),
        }
    }
    println!(
        "- every stage linear (per-node cost grows by at most 2× from the small to the large tree): {}",
        if linear_ok { "yes" } else { "NO" }
    );
    for m in memory {
        if let Some(&(_, worst)) = m.peaks.iter().max_by_key(|p| p.1) {
            let x = worst as f64 / m.size as f64;
            println!(
                "- {}: peak heap at most {:.1}× the input ({})",
                m.label,
                x,
                if x <= 10.0 { "within 10×" } else { "OVER 10×" }
            );
        }
    }
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

/// DTS source with exactly `n` nodes (root included), shaped like [`gen_nodes`]: buses of up
/// to 100 devices. The first device of every bus is a clock provider with a label, and every
/// device refers to its bus's provider (`clocks = <&clkN M>`), so a compiler resolves one
/// label reference per device (and assigns one phandle per bus).
fn gen_dts(n: usize) -> String {
    let mut s = String::from("/dts-v1/;\n\n/ {\n\t#address-cells = <1>;\n\t#size-cells = <1>;\n");
    let _ = writeln!(s, "\tcompatible = \"dtlens,bench\";\n\tmodel = \"dtlens benchmark source with {n} nodes\";");
    let mut count = 1;
    let mut bus = 0u32;
    while count < n {
        let base = 0x1000_0000 + bus * 0x10_0000;
        let _ = writeln!(s, "\n\tbus@{base:x} {{");
        count += 1;
        s.push_str(
            "\t\tcompatible = \"simple-bus\";\n\t\t#address-cells = <1>;\n\t\t#size-cells = <1>;\n\t\tranges;\n",
        );
        let mut dev = 0u32;
        while dev < 100 && count < n {
            let addr = base + dev * 0x1000;
            let label = if dev == 0 { format!("clk{bus}: ") } else { String::new() };
            let _ = writeln!(s, "\n\t\t{label}device@{addr:x} {{");
            count += 1;
            let _ =
                writeln!(s, "\t\t\tcompatible = \"vendor,device-{}\", \"vendor,generic-device\";", (bus + dev) % 50);
            let _ = writeln!(s, "\t\t\treg = <0x{addr:x} 0x1000>;");
            let _ = writeln!(s, "\t\t\tclock-frequency = <{}>;", 24_000_000 + dev);
            if dev == 0 {
                s.push_str("\t\t\t#clock-cells = <1>;\n");
            }
            let _ = writeln!(s, "\t\t\tclocks = <&clk{bus} {}>;", dev % 8);
            s.push_str("\t\t\tstatus = \"okay\";\n\t\t};\n");
            dev += 1;
        }
        s.push_str("\t};\n");
        bus += 1;
    }
    s.push_str("};\n");
    s
}

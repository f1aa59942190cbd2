//! Opening a document in steps, so a large blob never holds the browser's main thread for
//! long: read the blob ([`crate::dtb::read::ChunkedRead`]), index the tree (paths, search
//! keys), then run the checks one rule at a time.
//!
//! Plain Rust: the steps are `async` functions that call a *pause* function between pieces
//! of work, with a [`Progress`] to show. The pause decides whether to really wait (the
//! browser yields to its event loop once its time slice is used up) and whether to go on
//! (`false` cancels: another file was opened). [`no_pause`] + [`run_ready`] run everything
//! at once, which is what [`Doc::unchecked`] and the native tests do.

use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::{Checks, Doc};
use crate::check;
use crate::diag::Diagnostic;
use crate::tree::Tree;
use crate::value;

/// Bytes of the structure block read between two pauses.
pub const READ_STEP: usize = 64 * 1024;
/// Nodes indexed between two pauses.
pub const INDEX_STEP: usize = 2048;

/// How far an open has got, for the status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Bytes of the structure block read, of its size.
    Reading { done: usize, total: usize },
    /// Nodes indexed (paths, search keys), of all reachable nodes.
    Indexing { done: usize, total: usize },
    /// Rules run, of the rules that apply.
    Checking { done: usize, total: usize },
}

impl Progress {
    /// `(done, total)`.
    pub fn fraction(&self) -> (usize, usize) {
        match *self {
            Progress::Reading { done, total }
            | Progress::Indexing { done, total }
            | Progress::Checking { done, total } => (done.min(total), total),
        }
    }

    /// One line for people: "Reading 3.2 of 14.4 MB…", "Checking 120 of 164 rules…".
    pub fn text(&self) -> String {
        match *self {
            Progress::Reading { done, total } => {
                format!("Reading {} of {} MB…", megabytes(done.min(total)), megabytes(total))
            }
            Progress::Indexing { done, total } => {
                format!("Indexing {} of {} nodes…", thousands(done.min(total)), thousands(total))
            }
            Progress::Checking { done, total } => format!("Checking {} of {} rules…", done.min(total), total),
        }
    }
}

/// `n` bytes in MB with one decimal, exactly as `format!("{:.1}", n as f64 / 1e6)` prints it,
/// without linking float formatting into the wasm (about 6 KB gzipped): the f64 quotient times
/// ten, rounded half to even in integer arithmetic.
fn megabytes(n: usize) -> String {
    let bits = (n as f64 / 1e6).to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let shift = 1075 - exp; // quotient = mantissa / 2^shift; below 2^52 MB it is positive
    let t = if exp == 0 || !(1..127).contains(&shift) {
        0
    } else {
        let x = u128::from((bits & ((1 << 52) - 1)) | (1 << 52)) * 10;
        let (t, r, half) = (x >> shift, x & ((1 << shift) - 1), 1u128 << (shift - 1));
        t + u128::from(r > half || (r == half && t & 1 == 1))
    } as u64;
    format!("{}.{}", t / 10, t % 10)
}

/// `100000` → `100,000`.
fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The pause that never waits and never cancels.
pub fn no_pause(_: Progress) -> std::future::Ready<bool> {
    std::future::ready(true)
}

/// Runs a future whose pauses never wait (such as one driven by [`no_pause`]) to the end.
pub fn run_ready<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

/// Opens a file like [`super::editing::load_any`], a blob in steps. `None` when a pause
/// cancelled it. A blob's document comes back without its checks ([`check`] runs them);
/// DTS source is compiled and checked at once (it is small next to the blobs this is for).
pub async fn open<P, F>(name: String, bytes: Vec<u8>, pause: &mut P) -> Option<Result<Doc, String>>
where
    P: FnMut(Progress) -> F,
    F: Future<Output = bool>,
{
    if !bytes.starts_with(&super::editing::FDT_MAGIC) {
        return Some(super::editing::load_any(name, bytes));
    }
    let read = {
        let mut r = crate::dtb::read::ChunkedRead::new(&bytes);
        while !r.step(READ_STEP) {
            let (done, total) = r.progress();
            if !pause(Progress::Reading { done, total }).await {
                return None;
            }
        }
        r.finish()
    };
    let doc = index(name, bytes, read.tree, read.diagnostics, pause).await;
    Some(Ok(doc))
}

/// Derives everything a document shows except the checks, pausing every [`INDEX_STEP`]
/// nodes (indexing is not cancelled: it is short next to reading and checking).
pub async fn index<P, F>(name: String, bytes: Vec<u8>, tree: Tree, diagnostics: Vec<Diagnostic>, pause: &mut P) -> Doc
where
    P: FnMut(Progress) -> F,
    F: Future<Output = bool>,
{
    let n = tree.nodes.len();
    let mut paths = vec![String::new(); n];
    let mut depth = vec![0u32; n];
    let mut order = Vec::new();
    let mut pinned = Vec::new();
    let mut pinned_flag = vec![false; n];
    let mut under_pin = vec![false; n];
    // Two passes over the nodes (paths, then search keys): progress counts both.
    let total = 2 * n;
    for (i, (id, d)) in tree.walk().enumerate() {
        if i > 0 && i.is_multiple_of(INDEX_STEP) {
            pause(Progress::Indexing { done: i, total }).await;
        }
        let node = tree.node(id);
        let path = match node.parent {
            None => "/".to_string(),
            Some(p) if p == tree.root => format!("/{}", node.name),
            Some(p) => format!("{}/{}", paths[p.0], node.name),
        };
        paths[id.0] = path;
        depth[id.0] = u32::try_from(d).unwrap_or(u32::MAX);
        let parent_pinned = node.parent.is_some_and(|p| under_pin[p.0]);
        if !parent_pinned && node.parent.is_some() && node.base_name() == "hypervisor" {
            pinned.push(id);
            pinned_flag[id.0] = true;
        }
        under_pin[id.0] = parent_pinned || pinned_flag[id.0];
        order.push(id);
    }
    let labels = tree.labels();
    let mut keys = vec![String::new(); n];
    for (i, &id) in order.iter().enumerate() {
        if i.is_multiple_of(INDEX_STEP) {
            pause(Progress::Indexing { done: n + i, total }).await;
        }
        let node = tree.node(id);
        let mut k = if node.parent.is_none() { "/".to_string() } else { node.name.to_ascii_lowercase() };
        if let Some(c) = node.prop("compatible").and_then(|p| value::as_string_list(&p.value)) {
            for s in c {
                k.push('\n');
                k.push_str(&s.to_ascii_lowercase());
            }
        }
        if let Some(ls) = labels.get(&id) {
            for l in ls {
                k.push('\n');
                k.push_str(&l.to_ascii_lowercase());
            }
        }
        keys[id.0] = k;
    }
    let diagnostic_nodes = diagnostics.iter().map(|d| d.path.as_deref().and_then(|p| tree.find(p))).collect();
    let phandles = tree.phandles();
    Doc {
        data: Rc::new(super::DocData {
            generation: super::next_generation(),
            name,
            bytes,
            tree,
            diagnostics,
            diagnostic_nodes,
            paths,
            depth,
            order,
            keys,
            phandles,
            labels,
            pinned,
            pinned_flag,
            dts: Default::default(),
        }),
        edited: false,
        changed: Vec::new(),
        checks: None,
    }
}

/// The checks of `tree` at the default level, one rule at a time with a pause before each
/// (the same findings, in the same order, as [`check::run`]). `None` when cancelled.
pub async fn check<P, F>(tree: &Tree, pause: &mut P) -> Option<Checks>
where
    P: FnMut(Progress) -> F,
    F: Future<Output = bool>,
{
    let config = check::Config::default();
    let enabled: Vec<&check::Rule> = check::all().filter(|r| config.is_enabled(r)).collect();
    if !pause(Progress::Checking { done: 0, total: enabled.len() }).await {
        return None;
    }
    let ctx = check::Context::new(tree);
    let rules: Vec<&check::Rule> = enabled.into_iter().filter(|r| r.scope.applies_to(ctx.scope)).collect();
    let total = rules.len();
    let mut all = Vec::new();
    for (i, rule) in rules.into_iter().enumerate() {
        if !pause(Progress::Checking { done: i, total }).await {
            return None;
        }
        let mut out = check::Out::new(ctx.tree, rule.id);
        (rule.run)(&ctx, &mut out);
        for mut f in out.into_findings() {
            f.severity = config.effective_severity(rule, f.severity);
            all.push(f);
        }
    }
    check::sort_findings(&ctx, &mut all);
    Some(Checks::with_context(all, &ctx))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus_file(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/../shared/corpus/{name}", env!("CARGO_MANIFEST_DIR"))).expect("corpus file")
    }

    /// Records every progress report; cancels after `stop_after` of them.
    fn recorder(log: &mut Vec<Progress>, stop_after: usize) -> impl FnMut(Progress) -> std::future::Ready<bool> + '_ {
        move |p| {
            log.push(p);
            std::future::ready(log.len() <= stop_after)
        }
    }

    #[test]
    fn opening_in_steps_gives_the_document_and_checks_of_a_plain_load() {
        let bytes = corpus_file("deb32_am572x-idk.dtb");
        let whole = Doc::load("b.dtb", bytes.clone());
        let mut log = Vec::new();
        let mut pause = recorder(&mut log, usize::MAX);
        let doc = run_ready(open("b.dtb".into(), bytes, &mut pause)).expect("not cancelled").expect("a blob");
        assert!(doc.checks().is_none(), "a blob's checks come separately");
        assert_eq!(doc.tree, whole.tree);
        assert_eq!(doc.paths, whole.paths);
        assert_eq!(doc.keys, whole.keys);
        assert_eq!(doc.order, whole.order);
        assert_eq!(doc.diagnostics, whole.diagnostics);
        let checks = run_ready(check(&doc.tree, &mut pause)).expect("not cancelled");
        assert_eq!(checks.findings, whole.findings());
        assert_eq!(checks.hv_labels, whole.checks().unwrap().hv_labels);
        let checked = doc.with_checks(Rc::new(checks));
        assert!(checked != doc, "a document with its checks is a new value");
        assert_eq!(checked.generation, doc.generation);
        assert_eq!(checked.badge(doc.tree.root), whole.badge(doc.tree.root));
        drop(pause);
        // The 150 KB board is read in several steps, and every rule is announced.
        let reads = log.iter().filter(|p| matches!(p, Progress::Reading { .. })).count();
        assert!(reads >= 1, "{log:?}");
        let checking: Vec<(usize, usize)> = log
            .iter()
            .filter_map(|p| match p {
                Progress::Checking { done, total } => Some((*done, *total)),
                _ => None,
            })
            .collect();
        let total = checking.last().unwrap().1;
        assert!(total > 100, "{total} rules");
        assert_eq!(
            checking.iter().filter(|(_, t)| *t == total).map(|(d, _)| *d).collect::<Vec<_>>(),
            (0..total).collect::<Vec<_>>()
        );
    }

    #[test]
    fn checks_in_steps_equal_check_run_on_every_corpus_blob() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");
        let mut n = 0;
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            if e.path().extension().is_none_or(|x| x != "dtb") {
                continue;
            }
            let tree = crate::dtb::read(&std::fs::read(e.path()).unwrap()).tree;
            let stepped = run_ready(check(&tree, &mut no_pause)).unwrap();
            assert_eq!(stepped.findings, check::run(&tree, &check::Config::default()), "{}", e.path().display());
            n += 1;
        }
        assert!(n > 10);
    }

    #[test]
    fn a_large_blob_pauses_while_reading_and_indexing_and_can_be_cancelled() {
        // 5,000 nodes: well over one READ_STEP of structure and two INDEX_STEPs.
        let mut tree = Tree::new();
        for i in 0..5000u32 {
            let id = tree.add_child(tree.root, format!("device@{i:x}"));
            tree.node_mut(id).props.push(crate::tree::Property {
                name: "compatible".into(),
                value: b"vendor,device\0".to_vec(),
                offset: None,
            });
        }
        let blob = crate::dtb::write(&tree);
        assert!(blob.len() > 2 * READ_STEP);
        let mut log = Vec::new();
        let doc =
            run_ready(open("big.dtb".into(), blob.clone(), &mut recorder(&mut log, usize::MAX))).unwrap().unwrap();
        assert_eq!(doc.order.len(), 5001);
        let reads: Vec<_> =
            log.iter().filter(|p| matches!(p, Progress::Reading { .. })).map(|p| p.fraction()).collect();
        assert!(reads.len() >= 2, "{reads:?}");
        assert!(reads.windows(2).all(|w| w[0].0 < w[1].0), "reading moves forward: {reads:?}");
        assert!(log.iter().filter(|p| matches!(p, Progress::Indexing { .. })).count() >= 4, "{log:?}");
        assert_eq!(log.first().map(|p| p.text()), Some(format!("Reading 0.1 of {:.1} MB…", reads[0].1 as f64 / 1e6)));
        // Cancelled at the first pause: nothing comes back.
        let mut log = Vec::new();
        assert!(run_ready(open("big.dtb".into(), blob, &mut recorder(&mut log, 0))).is_none());
        assert_eq!(log.len(), 1);
        let mut log = Vec::new();
        assert!(run_ready(check(&doc.tree, &mut recorder(&mut log, 3))).is_none());
        assert_eq!(log.len(), 4);
    }

    #[test]
    fn progress_reads_well() {
        assert_eq!(Progress::Indexing { done: 40000, total: 100000 }.text(), "Indexing 40,000 of 100,000 nodes…");
        assert_eq!(Progress::Checking { done: 120, total: 164 }.text(), "Checking 120 of 164 rules…");
        assert_eq!(Progress::Reading { done: 3_200_000, total: 14_400_000 }.text(), "Reading 3.2 of 14.4 MB…");
        assert_eq!(Progress::Checking { done: 9, total: 3 }.fraction(), (3, 3));
        assert_eq!(thousands(999), "999");
        for n in [0, 1, 49_999, 50_000, 50_001, 250_000, 350_000, 1_250_000, 14_449_999, 14_450_000, usize::MAX] {
            assert_eq!(megabytes(n), format!("{:.1}", n as f64 / 1e6), "{n}");
        }
        // Every tie (…50,000 bytes) and its neighbours up to 2 GB, and a pseudo-random spread.
        let mut x = 0x9e37_79b9u64;
        for k in 0..20_000usize {
            for n in [k * 100_000 + 49_999, k * 100_000 + 50_000, k * 100_000 + 50_001] {
                assert_eq!(megabytes(n), format!("{:.1}", n as f64 / 1e6), "{n}");
            }
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let n = (x >> (x % 48)) as usize;
            assert_eq!(megabytes(n), format!("{:.1}", n as f64 / 1e6), "{n}");
        }
        assert_eq!(thousands(1000), "1,000");
    }
}

//! The bundled examples in `static/examples/` are committed as DTS and as DTB; each DTB
//! must be exactly what dtc makes of its DTS, and each must read without errors.

use std::path::PathBuf;
use std::process::Command;

fn examples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("static/examples")
}

#[test]
fn each_committed_dtb_is_dtc_of_its_dts() {
    let dir = examples_dir();
    let out_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("examples");
    std::fs::create_dir_all(&out_dir).unwrap();
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let dts = entry.unwrap().path();
        if dts.extension().and_then(|e| e.to_str()) != Some("dts") {
            continue;
        }
        let stem = dts.file_stem().unwrap().to_str().unwrap().to_string();
        let fresh = out_dir.join(format!("{stem}.dtb"));
        let status = Command::new("dtc")
            .args(["-q", "-I", "dts", "-O", "dtb", "-o"])
            .arg(&fresh)
            .arg(&dts)
            .status()
            .expect("dtc (device-tree-compiler) must be installed");
        assert!(status.success(), "dtc failed on {}", dts.display());
        let committed = std::fs::read(dir.join(format!("{stem}.dtb")))
            .unwrap_or_else(|e| panic!("{stem}.dtb must be committed next to {stem}.dts: {e}"));
        assert_eq!(std::fs::read(&fresh).unwrap(), committed, "{stem}.dtb is stale: recompile it from {stem}.dts");
        checked += 1;
    }
    assert!(checked >= 3, "expected the three hand-written examples, found {checked}");
}

#[test]
fn every_example_reads_cleanly_and_has_what_the_start_screen_promises() {
    let dir = examples_dir();
    let expect = [
        ("xen-guest.dtb", Some("/hypervisor")),
        ("xen-2012-proposal.dtb", Some("/hypervisor/grant_table")),
        ("epapr-guest.dtb", Some("/hypervisor/handles/byte-channel@1")),
        ("qemu-aarch64-virt-gic3.dtb", None),
    ];
    for (file, path) in expect {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let doc = dtlens::view::Doc::load(file, bytes);
        let errors: Vec<_> =
            doc.diagnostics.iter().filter(|d| d.severity == dtlens::Severity::Error).map(|d| d.to_string()).collect();
        assert!(errors.is_empty(), "{file}: {errors:?}");
        if let Some(p) = path {
            let id = doc.tree.find(p).unwrap_or_else(|| panic!("{file} lacks {p}"));
            assert_eq!(doc.pinned.len(), 1, "{file}: one pinned hypervisor node");
            // The pinned section opens the whole hypervisor subtree.
            let mut m = dtlens::view::Model::default();
            m.open(doc);
            assert!(m.rows.index_of(id).is_some(), "{file}: {p} is visible on open");
        } else {
            assert!(doc.pinned.is_empty());
            assert!(doc.order.len() > 50, "{file} is the large example");
        }
    }
}

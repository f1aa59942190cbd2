//! The 2012 worked example: the Xen `/hypervisor` node as first posted for review in 2012,
//! next to today's form, with each difference explained.
//!
//! What is sourced and what is not is said in the text. The record (catalog S1, S21) has
//! the v1-v3 postings with `"xen,xen"` before the versioned string and plain `reg` and
//! `interrupts` properties; a layout with `grant_table`/`events` child nodes is not in it, so
//! it is not presented as history here.

use crate::check::sources::{S1, S15, S2, S21, S3, S4, S5};

macro_rules! example {
    ($file:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/static/examples/", $file))
    };
}

/// One of the two forms: DTS text (compilable with dtc) and the bundled blob made from it.
#[derive(Debug)]
pub struct Form {
    pub label: &'static str,
    /// A `.dtb` in `static/examples/`.
    pub file: &'static str,
    pub dts: &'static str,
    /// Rule ids of the warning and error findings this form gets (tests pin them).
    pub expected_rules: &'static [&'static str],
}

/// One difference between the 2012 form and today's.
#[derive(Debug)]
pub struct Difference {
    pub topic: &'static str,
    pub then: &'static str,
    pub now: &'static str,
    /// The plain explanation; where it is not from the record, it says so.
    pub why: &'static str,
    /// Rules that check this point today (their explanations go further).
    pub rules: &'static [&'static str],
    pub sources: &'static [&'static str],
}

#[derive(Debug)]
pub struct History {
    pub title: &'static str,
    pub intro: &'static str,
    pub then: Form,
    pub now: Form,
    pub differences: &'static [Difference],
    pub sources: &'static [&'static str],
}

/// The 2012 discussion as a worked example.
pub fn history_2012() -> &'static History {
    &HISTORY
}

static HISTORY: History = History {
    title: "Xen on Arm /hypervisor: the 2012 proposal and today",
    intro: "\
In August 2012 Stefano Stabellini posted the first device-tree binding for Xen on Arm \
guests (\"docs: Xen ARM DT bindings\"). Review on the kernel and device-tree lists, with Rob \
Herring and Dave Martin, changed it before it was merged: Rob pointed at the ePAPR 1.1 \
hypervisor node as something to reuse, and the discussion settled on a Xen-specific node \
instead. The two trees below are the same guest, once with the node as posted in v1-v3 and \
once as the binding has it today; open either to see its findings.",
    then: Form {
        label: "2012 proposal (v1-v3)",
        file: "learn-xen-2012-proposal.dtb",
        dts: example!("learn-xen-2012-proposal.dts"),
        expected_rules: &["dt-compatible", "xen-compatible-order"],
    },
    now: Form {
        label: "today",
        file: "learn-xen-today.dtb",
        dts: example!("learn-xen-today.dts"),
        expected_rules: &[],
    },
    differences: &[
        Difference {
            topic: "Order of the compatible strings",
            then: "compatible = \"xen,xen\", \"xen,xen-4.2\";",
            now: "compatible = \"xen,xen-4.19\", \"xen,xen\";",
            why: "\
A compatible list goes from the most specific string to the most general, so that a \
client picks the best match it knows. \"xen,xen-<version>\" says more than \"xen,xen\", so \
v4 of the patch (September 2012) moved it to the front. Linux's parser then came to depend \
on the order: it reads the Xen interface version from the first string only, and with \
\"xen,xen\" first it does not enable Xen at all. The 2026 DT schema fixes the two items in \
this order.",
            rules: &["xen-compatible-order", "dt-compatible"],
            sources: &[S1, S5, S4],
        },
        Difference {
            topic: "Resources as plain reg and interrupts",
            then: "reg = <0xb0000000 0x20000>; interrupts = <1 15 0xf08>; (1+1 cells in the posted example)",
            now: "reg = <0x0 0xb0000000 0x0 0x20000>, <extended regions>; interrupts = <1 15 0xf08>;",
            why: "\
The Xen binding gave its two resources as ordinary properties of the node from the first \
posting on: `reg` for the grant-table window and `interrupts` for the event-channel upcall. \
These are the properties generic DT code already reads (address translation, interrupt \
mapping), so a guest needs no Xen-specific parser for them (dtlens's reading; the record does \
not give the argument). ePAPR models hypervisor services differently, as child nodes carrying handles (byte \
channels, doorbells); Xen did not follow it. When Xen later needed more, it grew the node \
in two ways: extra `reg` entries for extended regions (2021) rather than new children, and \
one child, `uefi`, for the EFI parameters (2016). The cell sizes changed only in the \
example: the first postings used 1+1 cells, later ones 2+2, as libxl writes today. (Whether \
child nodes for the grant table or the event channel were ever proposed in the 2012 thread \
is not in the record read here; the catalog lists it as unverified.)",
            rules: &["xen-reg-format", "xen-gnttab-region", "xen-extregion-order", "xen-allowed-members"],
            sources: &[S1, S2, S3, S15],
        },
        Difference {
            topic: "ePAPR's hcall-instructions not adopted",
            then: "ePAPR 1.1 node: hcall-instructions = <...>;",
            now: "no hcall-instructions: the hypercall instruction is fixed by the Xen Arm ABI",
            why: "\
ePAPR puts the hypercall instruction sequence in the tree so that one guest kernel can \
work with hypervisors that trap differently. Xen on Arm only ever uses HVC, so the property \
could only say one thing, and a guest told to use another instruction would just fail. Dave \
Martin added that machine instructions do not belong in a DT (Arm vs Thumb encodings, \
endianness); if anything the calling convention should be described symbolically, or left \
implicit behind the version number. That is what happened: the version in the compatible \
string stands for the whole ABI, hypercall instruction included.",
            rules: &[],
            sources: &[S21, S15],
        },
        Difference {
            topic: "ePAPR's guest-id and guest-name not adopted",
            then: "ePAPR 1.1 node: guest-id = <1>; guest-name = \"part1\";",
            now: "no guest-id, no guest-name",
            why: "\
ePAPR marks both Required: a partition learns its number and name from the tree. In the \
2012 thread, Stefano's summary of the ePAPR node listed only the compatible and \
hcall-instructions as required. The reason these two do not fit Xen (dtlens's explanation; the \
thread excerpts read here do not discuss them): a Xen domain id is assigned by the host \
that runs the domain, and a guest that is migrated or restored gets a new one, so a value \
frozen into the tree at boot would go stale. A guest that needs to name itself uses \
DOMID_SELF in its hypercalls.",
            rules: &["epapr-guest-id", "epapr-guest-name"],
            sources: &[S21, S15],
        },
        Difference {
            topic: "Xen-specific compatible instead of ePAPR's",
            then: "ePAPR 1.1 node: compatible = \"epapr,hypervisor-1.1\";",
            now: "compatible = \"xen,xen-<version>\", \"xen,xen\"; no ePAPR string",
            why: "\
Rob Herring's point was that bindings should be reused where they fit, and may differ only \
in their compatible. Stefano's answer was that \"epapr,hypervisor-1.1\" says neither which \
hypervisor it is nor which version of its interface; Rob agreed that a node whose other \
properties differ needs its own compatible. So the node carries Xen's own strings, and the \
version lives in the first one.",
            rules: &["xen-compatible-generic", "hv-mixed-families"],
            sources: &[S21, S1],
        },
    ],
    sources: &[S21, S1, S2, S3, S4, S5, S15],
};

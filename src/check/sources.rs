//! Short citations for the catalog's source ids (CATALOG.md §1), used in rule definitions.
//! Each names the document or code and the commit the catalog read.

pub const S1: &str = "S1: Linux Documentation/devicetree/bindings/arm/xen.txt, first version (c43cdfbc4ceb, 2012) and its v1-v4 postings";
pub const S2: &str = "S2: Linux xen.txt 2016-2021 text with the uefi subnode (blob 16217dc7)";
pub const S3: &str = "S3: Linux xen.txt after the extended-regions rewrite (54bb4a91)";
pub const S4: &str = "S4: Linux Documentation/devicetree/bindings/arm/xen.yaml (c6cf4441, 2026 DT-schema conversion)";
pub const S5: &str = "S5: Linux arch/arm/xen/enlighten.c (00bc8b2c): fdt_find_hyper_node, xen_early_init, xen_guest_init, arch_xen_unpopulated_init; hardening f45ab27774aa (2026)";
pub const S6: &str = "S6: Linux arch/arm64/kernel/acpi.c (0199f866): dt_scan_depth1_nodes";
pub const S7: &str = "S7: Linux drivers/firmware/efi/fdtparams.c (3b2e4b4c first version, e457ed51 current)";
pub const S8: &str = "S8: Linux drivers/of/fdt.c of_scan_flat_dt, drivers/of/of_private.h root cell defaults 1/1";
pub const S9: &str = "S9: Xen docs/misc/arm/device-tree/guest.txt (Xen master c447b730)";
pub const S10: &str = "S10: Xen docs/misc/arm/device-tree/booting.txt (Xen master c447b730)";
pub const S11: &str = "S11: Xen docs/misc/arm/device-tree/{cpupools,passthrough,acpi}.txt, docs/designs/launch/hyperlaunch-devicetree.rst";
pub const S12: &str = "S12: Xen xen/arch/arm/domain_build.c (make_hypervisor_node, set_interrupt, find_gnttab_region, handle_node), efi-dom0.c, public/arch-arm.h, device_tree_defs.h";
pub const S13: &str =
    "S13: Xen xen/common/device-tree/bootfdt.c, bootinfo-fdt.c, dom0less-*.c, static-evtchn.c, static-shmem.c";
pub const S14: &str = "S14: Xen tools/libs/light/libxl_arm.c (make_root_properties, make_hypervisor_node)";
pub const S15: &str =
    "S15: ePAPR 1.1 (Power.org, 2011) chapter 7 Virtualization, §7.5 hypervisor node (Table 7-5), §7.6-7.8";
pub const S16: &str = "S16: Linux PowerPC epapr_paravirt.c, kvm.c, firmware.c (check_kvm_guest), ehv_bytechan.c, fsl_hypervisor.c, Documentation/virt/kvm/ppc-pv.rst";
pub const S17: &str =
    "S17: Freescale/NXP embedded hypervisor (Topaz) src/guest.c, byte_chan.c, ipi_doorbell.c, vmpic.c (e17b3ecb)";
pub const S18: &str = "S18: QEMU hw/ppc/e500.c, hw/ppc/spapr.c; OpenBIOS arch/ppc/qemu/init.c";
pub const S19: &str =
    "S19: Devicetree Specification (9e02fb80): §2.2 names, §2.3 standard properties, §2.4 interrupts, ch.3 nodes";
pub const S20: &str = "S20: dtc checks.c (v1.8.1, 8f48565e)";
pub const S21: &str =
    "S21: 2012 review thread \"docs: Xen ARM DT bindings\" (Rob Herring, Dave Martin, Stefano Stabellini)";
pub const S23: &str = "S23: Jailhouse configs/arm64/dts/inmate-*.dts; Linux include/linux/hypervisor.h";
pub const S25: &str = "S25: Linux bindings iommu/xen,grant-dma.yaml, reserved-memory/xen,shared-memory.txt, interrupt-controller/arm,gic.yaml";
pub const S26: &str = "S26: U-Boot drivers/xen/gnttab.c; Unikraft plat/xen/arm/mm.c; Zephyr boards/xen/xenvm/xenvm.dts";
pub const S27: &str =
    "S27: xen-devel discussions 2021-2022 (magic pages under xen,xen; dom0less domUs lacking the node)";
pub const S28: &str = "S28: Linux arch/mips/boot/dts/loongson/loongson64v_4core_virtio.dts";
pub const HEURISTIC: &str = "heuristic (no source; Xen-side handling unverified)";

// End-to-end tests of the built app (../dist, from `trunk build --release --offline --locked`)
// in headless Debian Chromium, driven by playwright-core. Run: `npm ci && node --test`.
//
// Self-contained: a static server on 127.0.0.1:0 serves dist/ (wasm as application/wasm).
// Every test fails on any console error, page error, or request to another origin.
// Synchronisation is always on selectors or conditions, never on timeouts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useApp, watch } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const dist = path.join(repo, 'dist');
const corpus = path.join(repo, '..', 'shared', 'corpus');
const artifacts = path.join(here, 'artifacts');
const XENVM = path.join(corpus, 'deb32_xenvm-4.2.dtb');

const env = useApp();

/** A fresh page on the app, collecting console errors, page errors and foreign requests. */
async function openApp(viewport = { width: 1400, height: 900 }) {
  const context = await env.browser.newContext({ acceptDownloads: true, viewport });
  const page = await context.newPage();
  const problems = watch(page, env.base);
  await page.goto(env.base);
  // The app is up when its start screen is rendered by the wasm code.
  await page.waitForSelector('.start .dropzone');
  return {
    page,
    async close() {
      assert.ok(!(await page.$('#fatal')), 'no fatal-error banner');
      await context.close();
      assert.deepEqual(problems, [], 'no console errors, page errors or foreign requests');
    },
  };
}

const selectedPath = (page) => page.getAttribute('[role="treeitem"][aria-selected="true"]', 'data-path');

async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), bytes: fs.readFileSync(file) };
}

test('a corpus Xen guest blob: /hypervisor pinned, decoded, exported unchanged', async () => {
  const { page, close } = await openApp();
  await page.setInputFiles('input#open-file[type=file]', XENVM);
  const hv = page.locator('[role="treeitem"][data-path="/hypervisor"]');
  await hv.waitFor();
  // Pinned: the first tree row, in the "Hypervisor" section, highlighted.
  const first = await page.locator('[role="tree"] [role="treeitem"]').first().getAttribute('data-path');
  assert.equal(first, '/hypervisor');
  assert.match(await page.locator('[role="tree"] .heading').first().innerText(), /hypervisor/i);
  assert.equal(await page.locator('[role="treeitem"][data-path="/hypervisor"]').count(), 1, 'one row per node');
  assert.match((await hv.getAttribute('class')) ?? '', /\bhv\b/);

  // Select something else, then the hypervisor node.
  await page.click('[role="treeitem"][data-path="/"]');
  await page.locator('tr[data-prop="model"]').waitFor();
  await hv.click();
  assert.equal(await hv.getAttribute('aria-selected'), 'true');
  const compat = page.locator('tr[data-prop="compatible"]');
  await compat.waitFor();
  assert.match(await compat.innerText(), /"xen,xen-4\.2", "xen,xen"/);
  const reg = await page.locator('tr[data-prop="reg"]').innerText();
  assert.match(reg, /<0x0 0xb0000000> size <0x0 0x20000>/, 'reg grouped by #address-cells/#size-cells = 2/2');
  const irq = await page.locator('tr[data-prop="interrupts"]').innerText();
  assert.match(irq, /<0x1 0xf 0xf08>/, 'interrupts grouped by the GIC #interrupt-cells = 3');

  // Raw hex on demand.
  await page.check('#toggle-hex');
  assert.match(await page.locator('tr[data-prop="reg"] pre.hex').innerText(), /^0000 {2}00 00 00 00 b0 00 00 00/);

  fs.mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, 'main-view.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(artifacts, 'main-view-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });

  // Phandles are links: the root's interrupt-parent selects the GIC.
  await page.click('[role="treeitem"][data-path="/"]');
  await page.click('tr[data-prop="interrupt-parent"] button.ref');
  await page.waitForSelector('[role="treeitem"][data-path="/interrupt-controller@2c001000"][aria-selected="true"]');

  const dtb = await download(page, '#export-dtb');
  assert.equal(dtb.name, 'deb32_xenvm-4.2.dtb');
  assert.ok(dtb.bytes.equals(fs.readFileSync(XENVM)), 'downloaded DTB equals the original bytes');
  const dts = await download(page, '#export-dts');
  assert.equal(dts.name, 'deb32_xenvm-4.2.dts');
  const text = dts.bytes.toString('utf8');
  assert.ok(text.startsWith('/dts-v1/;'), `DTS starts with /dts-v1/; (got ${JSON.stringify(text.slice(0, 40))})`);
  assert.match(text, /hypervisor \{/);

  // The DTS tabs show the selected node and the whole tree.
  await page.click('#tab-node-dts');
  assert.match(await page.locator('#dts-node').innerText(), /interrupt-controller@2c001000 \{/);
  await page.click('#tab-tree-dts');
  assert.match(await page.locator('#dts-tree').innerText(), /^\/dts-v1\/;/);
  await close();
});

test('a garbage file gives a diagnostic, no crash, and the app stays usable', async () => {
  const { page, close } = await openApp();
  const junk = Buffer.alloc(4096);
  for (let i = 0; i < junk.length; i++) junk[i] = (i * 131 + 7) & 0xff;
  await page.setInputFiles('#open-file', { name: 'garbage.bin', mimeType: 'application/octet-stream', buffer: junk });
  await page.locator('[data-diagnostic]').first().waitFor();
  assert.match(await page.locator('[data-diagnostic]').first().innerText(), /error/i);
  // Still usable: another file opens.
  await page.setInputFiles('#open-file', XENVM);
  await page.locator('[role="treeitem"][data-path="/hypervisor"]').waitFor();
  // An empty file too.
  await page.setInputFiles('#open-file', { name: 'empty.dtb', mimeType: 'application/octet-stream', buffer: Buffer.alloc(0) });
  await page.waitForFunction(() => !document.querySelector('[role="treeitem"][data-path="/hypervisor"]') && document.querySelector('[data-diagnostic]'));
  await close();
});

test('a truncated blob shows the part of the tree that was read and a diagnostic', async () => {
  const { page, close } = await openApp();
  const whole = fs.readFileSync(XENVM);
  // Cut inside the structure block, after the first few nodes.
  const offStruct = whole.readUInt32BE(8);
  const cut = whole.subarray(0, offStruct + 400);
  await page.setInputFiles('#open-file', { name: 'truncated.dtb', mimeType: 'application/octet-stream', buffer: cut });
  await page.locator('[data-diagnostic]').first().waitFor();
  await page.locator('[role="treeitem"][data-path="/"]').waitFor();
  const rows = await page.locator('[role="treeitem"]').evaluateAll((els) => els.map((e) => e.dataset.path));
  assert.ok(rows.includes('/chosen') || rows.includes('/cpus'), `part of the tree is shown: ${rows}`);
  assert.ok(!rows.includes('/motherboard'), 'nodes past the cut are not invented');
  assert.match(await page.locator('[data-diagnostic]').first().innerText(), /0x[0-9a-f]+/, 'the diagnostic shows its byte offset');
  // A diagnostic about a node links to it.
  await page.click('[role="treeitem"][data-path="/"]');
  const link = page.locator('[data-diagnostic] button.ref').last();
  const target = await link.innerText();
  assert.notEqual(target, '/');
  await link.click();
  await page.waitForSelector(`[role="treeitem"][data-path="${target}"][aria-selected="true"]`);
  await close();
});

test('a file dropped anywhere on the page opens', async () => {
  const { page, close } = await openApp();
  const bytes = [...fs.readFileSync(XENVM)];
  // Drop on the privacy line, not on the drop zone: the whole page accepts files.
  await page.locator('.privacy').evaluate((el, bytes) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], 'dropped.dtb', { type: 'application/octet-stream' }));
    el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, bytes);
  await page.locator('[role="treeitem"][data-path="/hypervisor"]').waitFor();
  assert.equal(await page.locator('.topbar .file').innerText(), 'dropped.dtb');
  assert.equal(await page.locator('.drop-overlay').count(), 0, 'the drop overlay is gone');
  await close();
});

test('a bundled example opens with one click from the start screen', async () => {
  const { page, close } = await openApp();
  fs.mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, 'start.png') });
  for (const [file, path_] of [
    ['xen-2012-proposal.dtb', '/hypervisor/grant_table'],
    ['epapr-guest.dtb', '/hypervisor/handles/byte-channel@1'],
    ['qemu-aarch64-virt-gic3.dtb', '/intc@8000000'],
    ['xen-guest.dtb', '/hypervisor'],
  ]) {
    if (!(await page.$('.start'))) {
      await page.click('.brand-btn');
      await page.waitForSelector('.start');
    }
    await page.click(`[data-example="${file}"]`);
    await page.locator('#tree-filter').fill(path_);
    await page.locator(`[role="treeitem"][data-path="${path_}"]`).waitFor();
    assert.equal(await page.locator('.topbar .file').innerText(), file);
  }
  await page.locator('#tree-filter').fill('');
  await page.click('[role="treeitem"][data-path="/hypervisor"]');
  assert.match(await page.locator('tr[data-prop="compatible"]').innerText(), /"xen,xen-4\.19", "xen,xen"/);
  await close();
});

// ---- a generated 10,000-node blob ------------------------------------------------------

/** Serializes a tree {name, props: [[name, Buffer]], children} as a version-17 FDT. */
function fdt(root) {
  const structParts = [];
  const strParts = [];
  const strOff = new Map();
  let strLen = 0;
  const u32 = (v) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(v >>> 0);
    return b;
  };
  const padded = (b) => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
  const nameOff = (n) => {
    if (!strOff.has(n)) {
      strOff.set(n, strLen);
      strParts.push(Buffer.from(n + '\0'));
      strLen += Buffer.byteLength(n) + 1;
    }
    return strOff.get(n);
  };
  const emit = (node) => {
    structParts.push(u32(1), padded(Buffer.from(node.name + '\0')));
    for (const [n, v] of node.props ?? []) structParts.push(u32(3), u32(v.length), u32(nameOff(n)), padded(v));
    for (const c of node.children ?? []) emit(c);
    structParts.push(u32(2));
  };
  emit(root);
  structParts.push(u32(9));
  const struct = Buffer.concat(structParts);
  const strings = Buffer.concat(strParts);
  const offRsv = 40;
  const offStruct = offRsv + 16;
  const offStrings = offStruct + struct.length;
  const total = offStrings + strings.length;
  const header = Buffer.concat([0xd00dfeed, total, offStruct, offStrings, offRsv, 17, 16, 0, strings.length, struct.length].map(u32));
  return Buffer.concat([header, Buffer.alloc(16), struct, strings]);
}

const cells = (...v) => Buffer.concat(v.map((x) => { const b = Buffer.alloc(4); b.writeUInt32BE(x); return b; }));
const str = (...s) => Buffer.from(s.map((x) => x + '\0').join(''));

function bigTree() {
  const buses = [];
  for (let b = 0; b < 99; b++) {
    const devs = [];
    for (let d = 0; d < 100; d++) {
      devs.push({ name: `dev@${d.toString(16)}`, props: [['compatible', str('vendor,dev')], ['reg', cells(d, 0x100)]] });
    }
    buses.push({ name: `bus@${b.toString(16)}`, props: [['#address-cells', cells(1)], ['#size-cells', cells(1)], ['compatible', str('simple-bus')]], children: devs });
  }
  // A deep chain under one device, ending in the node the filter must find.
  let deep = { name: 'needle-node@7', props: [['compatible', str('test,deep-needle')]] };
  const chain = ['needle-node@7'];
  for (let i = 12; i >= 1; i--) {
    deep = { name: `level${i}`, children: [deep] };
    chain.unshift(`level${i}`);
  }
  buses[0x50].children[0x31].children = [deep];
  const root = { name: '', props: [['#address-cells', cells(1)], ['#size-cells', cells(1)], ['model', str('generated 10k')]], children: buses };
  return { blob: fdt(root), deepPath: '/bus@50/dev@31/' + chain.join('/') };
}

test('a 10,000-node blob opens, stays virtualized, and the filter finds a deep node', async () => {
  const { page, close } = await openApp();
  const { blob, deepPath } = bigTree();
  await page.setInputFiles('#open-file', { name: 'big.dtb', mimeType: 'application/octet-stream', buffer: blob });
  await page.locator('[role="treeitem"][data-path="/bus@0"]').waitFor();
  assert.match(await page.locator('.topbar .summary').innerText(), /10013 nodes/);
  const inDom = await page.locator('[role="treeitem"]').count();
  assert.ok(inDom < 200, `only the visible rows are in the DOM (${inDom})`);

  // Scrolling reaches rows far down the list.
  await page.locator('.tree-scroller').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.locator('[role="treeitem"][data-path="/bus@62/dev@63"]').waitFor();

  await page.press('body', '/');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'tree-filter', '"/" focuses the filter');
  await page.keyboard.type('deep-needle');
  const needle = page.locator(`[role="treeitem"][data-path="${deepPath}"]`);
  await needle.waitFor();
  await needle.click();
  await page.locator('tr[data-prop="compatible"]').waitFor();
  assert.match(await page.locator('tr[data-prop="compatible"]').innerText(), /test,deep-needle/);

  // The whole-tree DTS (about 700 KB) is virtualized too, and scrolls to its end.
  await page.click('#tab-tree-dts');
  await page.locator('#dts-tree .text-line').first().waitFor();
  assert.equal(await page.locator('#dts-tree .text-line').first().innerText(), '/dts-v1/;');
  const lines = await page.locator('#dts-tree .text-line').count();
  assert.ok(lines < 300, `only visible DTS lines are in the DOM (${lines})`);
  await page.locator('#dts-tree').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.waitForFunction(() => {
    const l = [...document.querySelectorAll('#dts-tree .text-line')].map((e) => e.textContent);
    return l.length > 0 && l[l.length - 1] === '};';
  });
  await close();
});

test('keyboard navigation follows the WAI-ARIA tree pattern', async () => {
  const { page, close } = await openApp();
  await page.setInputFiles('#open-file', XENVM);
  await page.locator('[role="treeitem"][data-path="/"]').click();
  assert.equal(await selectedPath(page), '/');
  assert.equal(await page.getAttribute('[role="tree"]', 'aria-activedescendant'), await page.getAttribute('[role="treeitem"][data-path="/"]', 'id'));
  const order = await page.locator('[role="treeitem"]').evaluateAll((els) => els.map((e) => e.dataset.path));
  const next = order[order.indexOf('/') + 1];

  await page.keyboard.press('ArrowDown');
  await page.waitForSelector(`[role="treeitem"][data-path="${next}"][aria-selected="true"]`);
  await page.keyboard.press('ArrowUp');
  await page.waitForSelector('[role="treeitem"][data-path="/"][aria-selected="true"]');

  // ← collapses an open node, → expands it again, → again moves to its first child.
  assert.equal(await page.getAttribute('[role="treeitem"][data-path="/"]', 'aria-expanded'), 'true');
  await page.keyboard.press('ArrowLeft');
  await page.waitForSelector('[role="treeitem"][data-path="/"][aria-expanded="false"]');
  assert.equal(await page.locator('[role="treeitem"][data-path="/cpus"]').count(), 0);
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('[role="treeitem"][data-path="/"][aria-expanded="true"]');
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector(`[role="treeitem"][data-path="${next}"][aria-selected="true"]`);
  // ← on a leaf goes to the parent.
  await page.keyboard.press('ArrowLeft');
  await page.waitForSelector('[role="treeitem"][data-path="/"][aria-selected="true"]');

  // The node pane follows the selection.
  await page.locator('[role="treeitem"][data-path="/cpus/cpu@0"]').click();
  await page.keyboard.press('ArrowDown');
  await page.waitForSelector('[role="treeitem"][data-path="/cpus/cpu@1"][aria-selected="true"]');
  assert.match(await page.locator('tr[data-prop="reg"]').innerText(), /0x1/);
  await page.keyboard.press('Enter');
  assert.equal(await selectedPath(page), '/cpus/cpu@1');

  // Filter by compatible, then Enter hands focus back to the tree.
  await page.keyboard.press('/');
  await page.keyboard.type('arm,cortex-a15-gic');
  await page.locator('[role="treeitem"][data-path="/interrupt-controller@2c001000"]').waitFor();
  assert.equal(await page.locator('[role="treeitem"][data-path="/cpus/cpu@1"]').count(), 0);
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'tree');
  await close();
});

test('binding findings are listed, badge their rows, and select their node', async () => {
  const { page, close } = await openApp();
  await page.click('[data-example="xen-2012-proposal.dtb"]');
  const finding = page.locator('.findings [data-rule="xen-compatible-order"]');
  await finding.waitFor();
  assert.equal(await finding.getAttribute('data-path'), '/hypervisor');
  assert.equal(await finding.getAttribute('data-prop'), 'compatible');
  assert.match(await finding.getAttribute('data-severity'), /^(error|warning|info)$/);
  assert.ok(await page.locator('[role="treeitem"][data-path="/hypervisor"] .badge').count() === 1, 'row badge');
  // Select elsewhere, then follow the finding back.
  await page.click('[role="treeitem"][data-path="/"]');
  await finding.locator('button[title="Select the node"]').click();
  await page.waitForSelector('[role="treeitem"][data-path="/hypervisor"][aria-selected="true"]');
  await page.waitForSelector('tr[data-prop="compatible"].focus');
  await close();
});

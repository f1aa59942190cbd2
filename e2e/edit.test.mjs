// End-to-end tests of editing (issue 4) against the built app (../dist): typed editors,
// fix buttons, undo/redo (buttons and keys), refused edits, the editable DTS pane, DTS
// files, and the exports after edits (checked with dtc). Same harness as app.test.mjs: its
// own static server, headless Debian Chromium, no console errors, no foreign requests;
// synchronisation on selectors and conditions only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { useApp, watch } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const dist = path.join(repo, 'dist');
const corpus = path.join(repo, '..', 'shared', 'corpus');
const P2012 = path.join(repo, 'static', 'examples', 'xen-2012-proposal.dtb');
const BOARD = path.join(corpus, 'deb64_qcom_sdm845-db845c.dtb');

const env = useApp();

async function openApp() {
  const context = await env.browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const problems = watch(page, env.base);
  await page.goto(env.base);
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

async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: dl.suggestedFilename(), bytes: fs.readFileSync(await dl.path()) };
}

/** dtc's DTS of a blob (dtc is the reference decompiler). */
function dtcDts(bytes) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtlens-e2e-'));
  const f = path.join(dir, 'x.dtb');
  fs.writeFileSync(f, bytes);
  try {
    return execFileSync('dtc', ['-q', '-I', 'dtb', '-O', 'dts', f], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const finding = (rule, prop) => (prop ? `li.finding[data-rule="${rule}"][data-prop="${prop}"]` : `li.finding[data-rule="${rule}"]`);
const COMPAT = finding('xen-compatible-order', 'compatible');

test('edit, fix, undo/redo, refused rename, DTS pane, and the exports after edits', async () => {
  const { page, close } = await openApp();
  const original = fs.readFileSync(P2012);
  await page.setInputFiles('#open-file', P2012);
  await page.locator('[role="treeitem"][data-path="/hypervisor"][aria-selected="true"]').waitFor();
  await page.locator(COMPAT).waitFor();
  assert.ok(await page.locator('#undo').isDisabled(), 'nothing to undo yet');

  // The string-list editor: move "xen,xen" below "xen,xen-4.2" and apply.
  await page.click('tr[data-prop="compatible"] button.edit-prop');
  const editor = page.locator('.value-editor[data-kind="strings"]');
  await editor.waitFor();
  assert.deepEqual(await editor.locator('.str-entry input').evaluateAll((es) => es.map((e) => e.value)), ['xen,xen', 'xen,xen-4.2']);
  await editor.locator('.str-entry[data-index="0"] button.entry-down').click();
  // Time the edit: dispatch, apply, re-check, re-render, until the finding is gone.
  const ms = await page.evaluate(async (sel) => {
    const t0 = performance.now();
    document.querySelector('#edit-apply').click();
    while (document.querySelector(sel)) await new Promise((r) => setTimeout(r, 0));
    return performance.now() - t0;
  }, COMPAT);
  console.log(`edit + re-check + re-render on the 2012 example: ${ms.toFixed(1)} ms`);
  assert.match(await page.locator('tr[data-prop="compatible"]').innerText(), /"xen,xen-4\.2", "xen,xen"/);
  assert.ok(await page.locator('#undo').isEnabled());

  // Ctrl+Z brings it back (not while typing), Ctrl+Shift+Z and Ctrl+Y redo.
  await page.locator('.findings').click({ position: { x: 2, y: 2 } });
  await page.keyboard.press('Control+z');
  await page.locator(COMPAT).waitFor();
  assert.match(await page.locator('tr[data-prop="compatible"]').innerText(), /"xen,xen", "xen,xen-4\.2"/);
  await page.keyboard.press('Control+Shift+Z');
  await page.locator(COMPAT).waitFor({ state: 'detached' });
  await page.keyboard.press('Control+z');
  await page.locator(COMPAT).waitFor();
  await page.keyboard.press('Control+y');
  await page.locator(COMPAT).waitFor({ state: 'detached' });
  // Typing Ctrl+Z inside a text field is the field's own undo, not the tree's.
  await page.locator('#node-add-name').fill('x');
  await page.locator('#node-add-name').press('Control+z');
  assert.equal(await page.locator(COMPAT).count(), 0, 'the tree edit was not undone from a text field');

  // A fix button applies its ops as one step and its finding goes.
  const allowed = finding('xen-allowed-members', '#address-cells');
  await page.locator(`${allowed} button[data-fix]`).click();
  await page.locator(allowed).waitFor({ state: 'detached' });
  assert.equal(await page.locator('tr[data-prop="#address-cells"]').count(), 0);

  // The change list as fdtput lines and as a U-Boot script.
  const put = (await download(page, '#export-fdtput')).bytes.toString('utf8');
  assert.match(put, /fdtput .*\/hypervisor compatible/);
  assert.match(put, /fdtput -d .*\/hypervisor #address-cells/);
  const fdt = (await download(page, '#export-uboot')).bytes.toString('utf8');
  assert.match(fdt, /fdt set \/hypervisor compatible/);

  // An invalid node name is refused with the reason; nothing changes.
  await page.click('[role="treeitem"][data-path="/hypervisor/grant_table"]');
  await page.locator('#node-rename').fill('grant table');
  await page.click('#node-rename-btn');
  assert.match(await page.locator('#node-edit-error').innerText(), /contains ' '/);
  assert.equal(await page.locator('[role="treeitem"][data-path="/hypervisor/grant_table"]').count(), 1);
  // A valid rename works and is undoable.
  await page.locator('#node-rename').fill('grant-table@b0000000');
  await page.click('#node-rename-btn');
  await page.locator('[role="treeitem"][data-path="/hypervisor/grant-table@b0000000"]').waitFor();
  await page.click('#undo');
  await page.locator('[role="treeitem"][data-path="/hypervisor/grant_table"]').waitFor();

  // The DTS pane: an error shows line:column and changes nothing; a clean parse replaces the tree.
  await page.click('#tab-edit-dts');
  const area = page.locator('#dts-editor');
  const src = await area.inputValue();
  assert.match(src, /"xen,xen-4\.2", "xen,xen"/, 'the DTS pane shows the edited tree');
  await area.fill('/dts-v1/;\n/ {\n\tbad = <1 ;\n};\n');
  await page.locator('#dts-editor-status.field-error').waitFor();
  assert.match(await page.locator('#dts-editor-status').innerText(), /^3:\d+: /);
  assert.equal(await page.locator('[role="treeitem"][data-path="/hypervisor"]').count(), 1, 'tree unchanged');
  const edited = src.replace(/\n};\s*$/, '\n\n\tadded-in-dts {\n\t\tnote = "typed";\n\t};\n};\n');
  assert.notEqual(edited, src);
  await area.fill(edited);
  await page.locator('[role="treeitem"][data-path="/added-in-dts"]').waitFor();

  // The edited DTB holds every change (dtc reads it back).
  const dtb = await download(page, '#export-dtb');
  assert.equal(dtb.name, 'xen-2012-proposal.dtb');
  assert.ok(!dtb.bytes.equals(original));
  const dts = dtcDts(dtb.bytes);
  assert.match(dts, /compatible = "xen,xen-4\.2\\0xen,xen"|compatible = "xen,xen-4\.2", "xen,xen"/);
  assert.match(dts, /added-in-dts \{\s*note = "typed";/);
  assert.doesNotMatch(dts.match(/hypervisor \{[^]*?\n\t\};/)[0].split('grant_table')[0], /#address-cells/);

  // Undo everything (the DTS replacement is one step): the download is the original again.
  while (await page.locator('#undo').isEnabled()) await page.click('#undo');
  await page.locator('[role="treeitem"][data-path="/added-in-dts"]').waitFor({ state: 'detached' });
  await page.locator(COMPAT).waitFor();
  assert.ok((await download(page, '#export-dtb')).bytes.equals(original), 'unedited download equals the original bytes');
  await close();
});

test('the 2012 proposal fixed with buttons and editors until no error is left; undo all gives the file back', async () => {
  const { page, close } = await openApp();
  const original = fs.readFileSync(P2012);
  await page.setInputFiles('#open-file', P2012);
  await page.locator(COMPAT).waitFor();
  const errors = () => page.locator('li.finding[data-severity="error"]').evaluateAll((es) => es.map((e) => e.dataset.rule));
  assert.deepEqual((await errors()).sort(), ['xen-compatible-order', 'xen-interrupts-present', 'xen-reg-present']);
  await page.locator(`${COMPAT} button[data-fix]`).click();
  await page.locator(COMPAT).waitFor({ state: 'detached' });
  // The grant-table window and the event interrupt move from child nodes to /hypervisor.
  await page.click('[role="treeitem"][data-path="/hypervisor"]');
  for (const [name, value] of [['reg', '<0x0 0xb0000000 0x0 0x20000>'], ['interrupts', '<1 15 0xf08>']]) {
    await page.locator('#prop-add-name').fill(name);
    await page.locator('#prop-add-value').fill(value);
    await page.click('#prop-add');
    await page.locator(`tr[data-prop="${name}"]`).waitFor();
  }
  for (const child of ['grant_table', 'events']) {
    await page.click(`[role="treeitem"][data-path="/hypervisor/${child}"]`);
    await page.click('#node-delete');
    await page.locator(`[role="treeitem"][data-path="/hypervisor/${child}"]`).waitFor({ state: 'detached' });
  }
  // Without children the cell properties are plain leftovers: their fix buttons remove them.
  for (const prop of ['#address-cells', '#size-cells']) {
    const f = finding('xen-allowed-members', prop);
    await page.locator(`${f} button[data-fix]`).click();
    await page.locator(f).waitFor({ state: 'detached' });
  }
  assert.deepEqual(await errors(), [], 'no error left');
  const dts = dtcDts((await download(page, '#export-dtb')).bytes);
  const hv = dts.match(/\thypervisor \{[^]*?\n\t\};/)[0];
  assert.match(hv, /compatible = "xen,xen-4\.2\\0xen,xen";|compatible = "xen,xen-4\.2", "xen,xen";/);
  assert.match(hv, /reg = <0x00 0xb0000000 0x00 0x20000>;/);
  assert.match(hv, /interrupts = <0x01 0x0f 0xf08>;/);
  assert.doesNotMatch(hv, /grant_table|events|#address-cells|#size-cells/);
  while (await page.locator('#undo').isEnabled()) await page.click('#undo');
  assert.ok((await download(page, '#export-dtb')).bytes.equals(original), 'undo all: the original bytes');
  await close();
});

test('typed editors: cells grouped per entry, phandle picker creating a phandle, DTS value, add/delete', async () => {
  const { page, close } = await openApp();
  await page.setInputFiles('#open-file', P2012);
  await page.locator('[role="treeitem"][data-path="/hypervisor/grant_table"]').click();
  await page.click('tr[data-prop="reg"] button.edit-prop');
  const cells = page.locator('.value-editor[data-kind="cells"] textarea');
  await cells.waitFor();
  // Input errors show next to the field; nothing is applied.
  await cells.fill('0x0 0xb0000000 0x0');
  await page.click('#edit-apply');
  assert.match(await page.locator('#edit-value-error').innerText(), /entries of/);
  assert.ok(await page.locator('#undo').isDisabled(), 'nothing applied');
  assert.equal(await cells.inputValue(), '0x0 0xb0000000 0x0', 'the draft is kept');
  await cells.fill('0x0 0xb0000000\n0x0 0x40000');
  await page.click('#edit-apply');
  await page.locator('tr[data-prop="reg"]', { hasText: '0x40000' }).waitFor();

  // Phandle: point a new interrupt-parent at /hypervisor (no phandle yet: one is created).
  await page.locator('#prop-add-name').fill('interrupt-parent');
  await page.locator('#prop-add-value').fill('<0>');
  await page.click('#prop-add');
  await page.locator('tr[data-prop="interrupt-parent"]').waitFor();
  await page.click('tr[data-prop="interrupt-parent"] button.edit-prop');
  await page.locator('.value-editor[data-kind="phandle"]').waitFor();
  await page.locator('#edit-target').selectOption('/hypervisor');
  await page.click('#edit-apply');
  await page.locator('tr[data-prop="interrupt-parent"] button.ref', { hasText: 'hypervisor' }).waitFor();
  await page.click('[role="treeitem"][data-path="/hypervisor"]');
  await page.locator('tr[data-prop="phandle"]').waitFor();

  // DTS value editor on any property, with a parse error first.
  await page.click('tr[data-prop="compatible"] button.edit-prop');
  await page.locator('#edit-kind').selectOption('DTS value');
  await page.locator('#edit-value').fill('"xen,xen-4.2", "xen,xen');
  await page.click('#edit-apply');
  assert.match(await page.locator('#edit-value-error').innerText(), /^1:\d+: /);
  await page.locator('#edit-value').fill('"xen,xen-4.2", "xen,xen"');
  await page.click('#edit-apply');
  await page.locator(COMPAT).waitFor({ state: 'detached' });

  // Delete a property, add a child node, move it, delete it; reservations on the root.
  await page.click('tr[data-prop="phandle"] button.edit-prop');
  await page.click('#prop-delete');
  await page.locator('tr[data-prop="phandle"]').waitFor({ state: 'detached' });
  await page.locator('#node-add-name').fill('extra@1');
  await page.locator('#node-add-name').press('Enter');
  await page.locator('[role="treeitem"][data-path="/hypervisor/extra@1"]').waitFor();
  await page.click('[role="treeitem"][data-path="/hypervisor/extra@1"]');
  await page.click('#node-move-start');
  await page.locator('#move-parent').selectOption('/chosen');
  await page.click('#node-move');
  await page.locator('[role="treeitem"][data-path="/chosen/extra@1"]').waitFor();
  await page.click('#node-delete');
  await page.locator('[role="treeitem"][data-path="/chosen/extra@1"]').waitFor({ state: 'detached' });
  await page.click('[role="treeitem"][data-path="/"]');
  await page.locator('#resv-addr').fill('0x48000000');
  await page.locator('#resv-size').fill('0x100000');
  // By keyboard (the root's long property table pushes the button far down).
  await page.locator('#resv-add').focus();
  await page.keyboard.press('Enter');
  await page.locator('.resv', { hasText: '0x48000000 size 0x100000' }).waitFor();
  const dts = dtcDts((await download(page, '#export-dtb')).bytes);
  assert.match(dts, /\/memreserve\/\s+0x0*48000000 0x0*100000;/);
  assert.match(dts, /reg = <0x0+ 0xb0000000 0x0+ 0x40000>;/);
  await close();
});

test('a DTS file or pasted source opens like a blob; a broken one says where', async () => {
  const { page, close } = await openApp();
  const src = '/dts-v1/;\n/ {\n\t#address-cells = <1>;\n\t#size-cells = <1>;\n\thypervisor {\n\t\tcompatible = "xen,xen", "xen,xen-4.19";\n\t};\n};\n';
  await page.setInputFiles('#open-file', { name: 'snippet.dts', mimeType: 'text/plain', buffer: Buffer.from(src) });
  await page.locator('[role="treeitem"][data-path="/hypervisor"]').waitFor();
  await page.locator(COMPAT).waitFor();
  // Unedited, the download is the compiled blob, the same as dtc's.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtlens-e2e-'));
  fs.writeFileSync(path.join(dir, 's.dts'), src);
  const ref = execFileSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb', path.join(dir, 's.dts')]);
  fs.rmSync(dir, { recursive: true, force: true });
  const dl = await download(page, '#export-dtb');
  assert.equal(dl.name, 'snippet.dtb');
  assert.ok(dl.bytes.equals(ref), 'compiled like dtc');
  await page.setInputFiles('#open-file', { name: 'bad.dts', mimeType: 'text/plain', buffer: Buffer.from('/dts-v1/;\n/ {\n\tx = <1;\n};\n') });
  assert.match(await page.locator('.banner.failed').innerText(), /^3:\d+: /);
  // Pasting source outside a text field opens it too (a snippet from a mailing-list post).
  await page.locator('.findings').click({ position: { x: 2, y: 2 } });
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', text);
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, src.replace('hypervisor {', 'pasted-node { };\n\thypervisor {'));
  await page.locator('[role="treeitem"][data-path="/pasted-node"]').waitFor();
  assert.equal(await page.locator('.topbar .file').innerText(), 'pasted.dts');
  await close();
});

test('one edit on a ~100 KB board re-checks and re-renders quickly', async () => {
  const { page, close } = await openApp();
  await page.setInputFiles('#open-file', BOARD);
  const report = [];
  // The root (its node DTS is the whole tree) and an ordinary node.
  for (const node of ['/', '/cpus']) {
    await page.locator(`[role="treeitem"][data-path="${node}"]`).click();
    await page.locator(`[role="treeitem"][data-path="${node}"][aria-selected="true"]`).waitFor();
    const times = [];
    for (let i = 0; i < 3; i++) {
      const ms = await page.evaluate(async (i) => {
        const sel = `tr[data-prop="dtlens-timing${i}"]`;
        const input = document.querySelector('#prop-add-name');
        input.value = `dtlens-timing${i}`;
        input.dispatchEvent(new InputEvent('input', { bubbles: true }));
        await new Promise((r) => setTimeout(r, 0));
        const t0 = performance.now();
        document.querySelector('#prop-add').click();
        while (!document.querySelector(sel)) await new Promise((r) => setTimeout(r, 0));
        return performance.now() - t0;
      }, i);
      times.push(ms);
    }
    report.push(`${node}: ${times.map((t) => t.toFixed(1)).join(', ')} ms`);
    assert.ok(Math.min(...times) < 500, `an edit on ${node} took ${Math.min(...times)} ms`);
  }
  console.log(`edit + re-check + re-render on ${path.basename(BOARD)} (890 nodes): ${report.join('; ')}`);
  await close();
});

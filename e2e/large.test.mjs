// End-to-end tests of large trees (issue 6) against the built app: a generated blob of
// 20,000 nodes (plus a 40-deep chain) opens in steps with a progress line, shows its tree
// before its findings, keeps only the visible rows in the DOM while scrolling, and the
// filter finds the deepest node. No timing is asserted here (e2e/bench.mjs measures).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { start, stop, watch } from './harness.mjs';

const BUSES = 100;
const PER_BUS = 200;
const DEPTH = 40;

/** DTS source of the test tree: BUSES buses of PER_BUS devices, and /deep/l1/…/l40/target-node. */
function source() {
  const out = ['/dts-v1/;', '/ {', '\t#address-cells = <1>;', '\t#size-cells = <1>;', '\tcompatible = "dtlens,large-test";', '\tmodel = "dtlens e2e large tree";'];
  for (let b = 0; b < BUSES; b++) {
    const base = 0x10000000 + b * 0x100000;
    out.push(`\tbus@${base.toString(16)} {`, '\t\tcompatible = "simple-bus";', '\t\t#address-cells = <1>;', '\t\t#size-cells = <1>;', '\t\tranges;');
    for (let d = 0; d < PER_BUS; d++) {
      const a = (base + d * 0x1000).toString(16);
      out.push(`\t\tdevice@${a} { compatible = "vendor,device"; reg = <0x${a} 0x1000>; };`);
    }
    out.push('\t};');
  }
  let chain = '\tdeep {';
  for (let i = 1; i <= DEPTH; i++) chain += ` l${i} {`;
  chain += ' target-node { marker; };';
  for (let i = 0; i <= DEPTH; i++) chain += ' };';
  out.push(chain, '};', '');
  return out.join('\n');
}

let env;
let blob;
before(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtlens-large-'));
  fs.writeFileSync(path.join(dir, 'large.dts'), source());
  blob = path.join(dir, 'large.dtb');
  execFileSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb', '-o', blob, path.join(dir, 'large.dts')]);
  env = await start();
});
after(async () => {
  await stop(env ?? {});
  if (blob) fs.rmSync(path.dirname(blob), { recursive: true, force: true });
});

const NODES = 1 + BUSES * (1 + PER_BUS) + 1 + DEPTH + 1;

/** Opens the generated blob, recording what the page showed on the way. */
async function openLarge() {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = watch(page, env.base);
  await page.goto(env.base);
  await page.waitForSelector('#open-file', { state: 'attached' });
  // Every DOM change is looked at: progress lines, and whether the tree was on screen while
  // the findings were still being computed.
  await page.evaluate(() => {
    const seen = (window.__seen = { progress: new Set(), treeBeforeFindings: false });
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('.banner[role="status"]')) seen.progress.add(el.textContent.trim());
      if (document.querySelector('[data-path="/"]') && document.querySelector('.findings[aria-busy="true"]')) {
        seen.treeBeforeFindings = true;
      }
    }).observe(document.documentElement, { childList: true, subtree: true, characterData: true, attributes: true });
  });
  await page.setInputFiles('#open-file', blob);
  await page.locator('.findings [data-count="error"]').waitFor({ timeout: 300_000 });
  const seen = await page.evaluate(() => ({ progress: [...window.__seen.progress], treeBeforeFindings: window.__seen.treeBeforeFindings }));
  return { page, problems, seen };
}

test('a 20,000-node blob opens in steps: progress line, tree first, then the findings', async () => {
  const { page, problems, seen } = await openLarge();
  assert.ok(
    seen.progress.some((t) => /^(Reading [\d.]+ of [\d.]+ MB|Indexing [\d,]+ of [\d,]+ nodes|Checking \d+ of \d+ rules)…/.test(t)),
    `a progress line was shown: ${JSON.stringify(seen.progress)}`,
  );
  assert.ok(seen.treeBeforeFindings, 'the tree was on screen while the checks were still running');
  // Once checked, the progress line is gone and the counts are there.
  await page.locator('.banner[role="status"]').waitFor({ state: 'detached' });
  assert.equal(await page.locator('.findings[aria-busy="true"]').count(), 0);
  assert.match(await page.locator('.filter-count').innerText(), new RegExp(`^${NODES} nodes$`));
  // "DTS: this node" does not print a 20,000-node subtree on every selection.
  assert.match(await page.locator('#dts-node').innerText(), /The root has more than 5000 nodes below it/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the tree is virtualised: a filter showing every device keeps a few dozen rows in the DOM, and scrolling reaches the last one', async () => {
  const { page, problems } = await openLarge();
  await page.locator('#tree-filter').fill('device@');
  const count = page.locator('.filter-count');
  await page.waitForFunction(() => /shown$/.test(document.querySelector('.filter-count').textContent));
  const shown = Number((await count.innerText()).match(/^(\d+) shown$/)[1]);
  assert.equal(shown, 1 + BUSES * (1 + PER_BUS), 'every device and its bus and the root');
  const inDom = await page.locator('.tree-inner [role="treeitem"]').count();
  assert.ok(inDom > 10 && inDom < 200, `${inDom} rows in the DOM for ${shown} shown`);
  // Scroll to the end: the last device's row is rendered (and the first is not any more).
  const lastBus = (0x10000000 + (BUSES - 1) * 0x100000).toString(16);
  const lastDev = (0x10000000 + (BUSES - 1) * 0x100000 + (PER_BUS - 1) * 0x1000).toString(16);
  await page.evaluate(() => {
    const el = document.querySelector('.tree-scroller');
    el.scrollTop = el.scrollHeight;
  });
  await page.locator(`[role="treeitem"][data-path="/bus@${lastBus}/device@${lastDev}"]`).waitFor();
  assert.equal(await page.locator('[role="treeitem"][data-path="/"]').count(), 0, 'the first row left the DOM');
  assert.ok((await page.locator('.tree-inner [role="treeitem"]').count()) < 200);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the filter finds the deepest node of a large tree, typed a key at a time, and selects it', async () => {
  const { page, problems } = await openLarge();
  await page.locator('#tree-filter').click();
  await page.keyboard.type('target-node');
  const deepPath = `/deep/${Array.from({ length: DEPTH }, (_, i) => `l${i + 1}`).join('/')}/target-node`;
  const row = page.locator(`[role="treeitem"][data-path="${deepPath}"]`);
  await row.waitFor();
  assert.equal(await row.getAttribute('aria-level'), String(DEPTH + 3));
  // Only the match and its ancestors are shown.
  assert.equal(await page.locator('.filter-count').innerText(), `${DEPTH + 3} shown`);
  await row.click();
  await page.locator(`[role="treeitem"][data-path="${deepPath}"][aria-selected="true"]`).waitFor();
  await page.locator('tr[data-prop="marker"]').waitFor();
  assert.deepEqual(problems, []);
  await page.close();
});

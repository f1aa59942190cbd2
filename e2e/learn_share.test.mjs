// End-to-end tests of Learn, review links and check settings in the built app (../dist).
// Same harness as app.test.mjs: its own static server on 127.0.0.1:0, headless Debian
// Chromium through playwright-core, every test fails on console/page errors or foreign
// requests, synchronisation on selectors and conditions only.
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
const XENVM = path.join(corpus, 'deb32_xenvm-4.2.dtb');

const env = useApp();

/** A fresh page at `env.base + hash`, collecting console errors, page errors and foreign requests. */
async function openApp(hash = '', ready = '.start .dropzone') {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.base.slice(0, -1) });
  const page = await context.newPage();
  const problems = watch(page, env.base);
  await page.goto(env.base + hash);
  await page.waitForSelector(ready);
  return {
    page,
    async close() {
      assert.ok(!(await page.$('#fatal')), 'no fatal-error banner');
      await context.close();
      assert.deepEqual(problems, [], 'no console errors, page errors or foreign requests');
    },
  };
}

const findingRules = (page) => page.$$eval('.finding-list .finding', (els) => els.map((e) => e.dataset.rule));

test('share a corpus blob with a comment; the link reproduces tree, comment, selection and findings', async () => {
  const a = await openApp();
  await a.page.setInputFiles('input#open-file[type=file]', XENVM);
  await a.page.locator('[role="treeitem"][data-path="/hypervisor"]').waitFor();
  await a.page.locator('.finding-list .finding').first().waitFor();
  const rulesBefore = await findingRules(a.page);
  assert.ok(rulesBefore.length > 0, 'the corpus guest has findings');
  // Pin a comment to a property chosen through a finding.
  const f = a.page.locator('.finding[data-prop]').first();
  const fPath = await f.getAttribute('data-path');
  const fProp = await f.getAttribute('data-prop');
  await f.locator('button[title="Select the node"]').click();
  await a.page.locator('tr.focus[data-prop]').waitFor();
  await a.page.fill('#comment-text', 'Is <b>this</b> right?');
  await a.page.click('#add-comment');
  await a.page.locator('#review .comment').waitFor();
  assert.equal(await a.page.locator('#review .comment .text').innerText(), 'Is <b>this</b> right?');
  assert.equal(await a.page.getAttribute(`tr[data-prop="${fProp}"] .comment-badge`, 'data-comments'), '1', 'badge on the row');
  await a.page.click('#share');
  const field = a.page.locator('#share-link');
  await field.waitFor();
  await a.page.waitForFunction(() => /copied|field/i.test(document.querySelector('.share-out .note')?.textContent ?? ''));
  const link = await field.inputValue();
  assert.ok(link.startsWith(env.base + '#v1.'), link.slice(0, 60));
  const clip = await a.page.evaluate(() => navigator.clipboard.readText());
  assert.equal(clip, link, 'the clipboard holds the link');
  await a.close();

  const b = await openApp(link.slice(env.base.length), '[role="treeitem"][data-path="/hypervisor"]');
  assert.equal(await b.page.getAttribute('[role="treeitem"][aria-selected="true"]', 'data-path'), fPath, 'selection restored');
  await b.page.locator(`tr.focus[data-prop="${fProp}"]`).waitFor();
  assert.deepEqual(await findingRules(b.page), rulesBefore, 'same findings');
  const c = b.page.locator('#review .comment');
  await c.waitFor();
  assert.equal(await c.getAttribute('data-path'), fPath);
  assert.equal(await c.getAttribute('data-prop'), fProp);
  assert.equal(await c.locator('.text').innerText(), 'Is <b>this</b> right?');
  assert.equal(await b.page.getAttribute(`tr[data-prop="${fProp}"] .comment-badge`, 'data-comments'), '1', 'badge on the row');
  assert.equal(await b.page.locator('#review b').count(), 0, 'comment text is never HTML');
  assert.match(await b.page.locator('#findings-delta').innerText(), /0 edits: fixes 0, introduces 0/);
  await b.close();
});

test('a truncated or tampered link shows a message and the start screen, no crash', async () => {
  // Make a real link first, then damage it two ways.
  const a = await openApp();
  await a.page.setInputFiles('input#open-file[type=file]', XENVM);
  await a.page.locator('[role="treeitem"][data-path="/hypervisor"]').waitFor();
  await a.page.click('#share');
  const link = await a.page.locator('#share-link').inputValue();
  await a.close();
  const frag = link.slice(env.base.length);
  const cut = frag.slice(0, Math.floor(frag.length / 2));
  const i = Math.floor(frag.length * 0.7);
  const tampered = frag.slice(0, i) + (frag[i] === 'A' ? 'B' : 'A') + frag.slice(i + 1);
  for (const h of [cut, tampered, '#v1.%3Cscript%3E', '#v1.']) {
    const { page, close } = await openApp(h.startsWith('#') ? h : h, '.banner.failed');
    assert.match(await page.locator('.banner.failed').innerText(), /Could not open this review link: .+/);
    assert.equal(await page.locator('.start .dropzone').count(), 1, 'empty start screen');
    assert.equal(await page.locator('[role="tree"]').count(), 0);
    await close();
  }
});

test('a finding links to its rule page; the 2012 example opens from Learn with its finding', async () => {
  const { page, close } = await openApp();
  await page.click('button[data-example="xen-2012-proposal.dtb"]');
  const link = page.locator('.finding[data-rule="xen-compatible-order"] a[data-rule-link]');
  await link.waitFor();
  await link.click();
  await page.locator('.rule-page[data-rule="xen-compatible-order"]').waitFor();
  assert.match(await page.locator('.rule-page h1').innerText(), /^xen-compatible-order$/);
  assert.match(await page.locator('.rule-page').innerText(), /family/);
  // From the rule page to its binding page, then to the 2012 page.
  await page.click('.rule-page a[href="#learn/xen"]');
  await page.locator('.binding-page[data-binding="xen"] table.prop-doc').waitFor();
  await page.click('.learn-nav a[href="#learn/2012"]');
  await page.locator('.history-page [data-form="2012"] pre').waitFor();
  await page.click('[data-form="2012"] button[data-open-example]');
  await page.locator('[role="treeitem"][data-path="/hypervisor"]').waitFor();
  await page.locator('.finding[data-rule="xen-compatible-order"]').waitFor();
  assert.equal(await page.locator('.learn').count(), 0, 'back in the main view');
  await close();
});

test('the start screen lists good and broken examples for every binding', async () => {
  const { page, close } = await openApp();
  const groups = await page.$$eval('.by-binding .binding-examples[data-binding]', (els) =>
    els.map((e) => ({ id: e.dataset.binding, n: e.querySelectorAll('button[data-open-example]').length })),
  );
  assert.deepEqual(groups.map((g) => g.id), ['xen', 'epapr', 'xenboot', 'dom0less', 'hv', 'dt']);
  for (const g of groups) assert.ok(g.n >= 2, `${g.id} has a valid and a broken example`);
  await page.click('.binding-examples[data-binding="dom0less"] button[data-open-example]:nth-of-type(2)');
  await page.locator('.finding-list .finding').first().waitFor();
  await close();
});

test('check level, warnings-as-errors, severity filters and per-rule toggles re-run the findings', async () => {
  const { page, close } = await openApp();
  await page.setInputFiles('input#open-file[type=file]', XENVM);
  await page.locator('.finding-list .finding').first().waitFor();
  const before = await findingRules(page);
  assert.ok(!before.includes('dtc-unit_address_vs_reg'), 'off at the default level, like the kernel');
  await page.selectOption('#check-level', 'w2');
  await page.locator('.finding[data-rule="dtc-unit_address_vs_reg"]').first().waitFor();
  const w2 = await findingRules(page);
  assert.ok(w2.length > before.length, `W=2 gives more findings (${w2.length} > ${before.length})`);

  // Warnings are errors: no finding stays a warning.
  assert.ok((await page.locator('.finding[data-severity="warning"]').count()) > 0);
  await page.check('#werror');
  await page.waitForFunction(() => document.querySelectorAll('.finding[data-severity="warning"]').length === 0);
  await page.uncheck('#werror');
  await page.locator('.finding[data-severity="warning"]').first().waitFor();

  // Severity counts are filter toggles.
  await page.click('button.count[data-count="warning"]');
  await page.waitForFunction(() => document.querySelectorAll('.finding[data-severity="warning"]').length === 0);
  assert.equal(await page.getAttribute('button.count[data-count="warning"]', 'aria-pressed'), 'false');
  await page.click('button.count[data-count="warning"]');
  await page.locator('.finding[data-severity="warning"]').first().waitFor();

  // A rule turned off from its finding disappears; its rule page says so and turns it back on.
  await page.click('.finding[data-rule="dtc-unit_address_vs_reg"] button.rule-off >> nth=0');
  await page.waitForFunction(() => !document.querySelector('.finding[data-rule="dtc-unit_address_vs_reg"]'));
  await page.evaluate(() => { location.hash = '#rule/dtc-unit_address_vs_reg'; });
  await page.locator('.rule-page #rule-state').waitFor();
  assert.equal(await page.locator('#rule-state').innerText(), 'off');
  assert.equal(await page.inputValue('#rule-override'), 'off');
  await page.selectOption('#rule-override', 'default');
  await page.waitForFunction(() => document.querySelector('#rule-state')?.textContent === 'on');
  await page.click('#learn-back');
  await page.locator('.finding[data-rule="dtc-unit_address_vs_reg"]').first().waitFor();
  await close();
});

test('a property known to a binding shows its meaning and links to its Learn page', async () => {
  const { page, close } = await openApp();
  await page.click('button[data-example="xen-guest.dtb"]');
  await page.locator('[role="treeitem"][data-path="/hypervisor"]').click();
  const name = page.locator('tr[data-prop="compatible"] a.prop-doc-link');
  await name.waitFor();
  assert.match((await name.getAttribute('title')) ?? '', /xen,xen-<major>\.<minor>/);
  assert.equal(await name.getAttribute('href'), '#learn/xen');
  await name.focus();
  await name.press('Enter');
  await page.locator('.binding-page[data-binding="xen"]').waitFor();
  await close();
});

test('an edit travels in the link: the review shows the findings delta, what changed and the DTS diff', async () => {
  const a = await openApp();
  await a.page.click('button[data-example="xen-2012-proposal.dtb"]');
  await a.page.click('.finding[data-rule="xen-compatible-order"] button.fix');
  await a.page.waitForFunction(() => !document.querySelector('.finding[data-rule="xen-compatible-order"]'));
  await a.page.click('#share');
  const link = await a.page.locator('#share-link').inputValue();
  await a.close();

  const b = await openApp(link.slice(env.base.length), '#findings-delta');
  assert.match(await b.page.locator('#findings-delta').innerText(), /^1 edit: fixes [1-9]\d*, introduces 0/);
  assert.equal(await b.page.locator('.finding[data-rule="xen-compatible-order"]').count(), 0, 'the edited tree is shown');
  assert.match(await b.page.locator('#review .changed').innerText(), /\/hypervisor/);
  const diff = await b.page.locator('#review .dts-diff').innerText();
  assert.match(diff, /^-.*"xen,xen", "xen,xen-4\.2"/m);
  assert.match(diff, /^\+.*"xen,xen-4\.2", "xen,xen"/m);
  fs.mkdirSync(path.join(here, 'artifacts'), { recursive: true });
  await b.page.screenshot({ path: path.join(here, 'artifacts', 'review-view.png') });
  await b.close();
});

test('compare with a second blob: tree differences and the DTS diff; the same blob is the same tree', async () => {
  const { page, close } = await openApp();
  await page.click('button[data-example="xen-2012-proposal.dtb"]');
  await page.locator('[role="treeitem"][data-path="/hypervisor"]').waitFor();
  const ex = (f) => path.join(repo, 'static', 'examples', f);
  await page.setInputFiles('#open-compare', ex('xen-2012-proposal.dtb'));
  await page.locator('#compare-result .same').waitFor();
  await page.setInputFiles('#open-compare', ex('xen-guest.dtb'));
  await page.locator('#compare-result .changed').waitFor();
  assert.match(await page.locator('#compare-result .changed').innerText(), /\/hypervisor/);
  assert.match(await page.locator('#compare-result .dts-diff').innerText(), /^\+.*"xen,xen-4\.\d+", "xen,xen"/m);
  await close();
});

test('the same review as a .dtlens file: downloaded, then opened with the Open button like a blob', async () => {
  const a = await openApp();
  await a.page.setInputFiles('input#open-file[type=file]', XENVM);
  await a.page.locator('[role="treeitem"][data-path="/hypervisor"]').click();
  await a.page.fill('#comment-text', 'check the grant table size');
  await a.page.click('#add-comment');
  const [dl] = await Promise.all([a.page.waitForEvent('download'), a.page.click('#share-file')]);
  assert.match(dl.suggestedFilename(), /\.dtlens$/);
  const file = await dl.path();
  const bytes = fs.readFileSync(file);
  assert.equal(bytes.subarray(0, 6).toString('latin1'), 'dtlens');
  await a.page.click('.brand-btn');
  await a.page.locator('.start .dropzone').waitFor();
  await a.page.setInputFiles('input#open-file[type=file]', { name: 'review.dtlens', mimeType: 'application/octet-stream', buffer: bytes });
  const c = a.page.locator('#review .comment');
  await c.waitFor();
  assert.equal(await c.getAttribute('data-path'), '/hypervisor');
  assert.equal(await c.locator('.text').innerText(), 'check the grant table size');
  assert.equal(await a.page.getAttribute('[role="treeitem"][aria-selected="true"]', 'data-path'), '/hypervisor');
  await a.close();
});

// A newcomer's first minutes, in the built app: keyboard only, a 1024 px window, light and
// dark themes, and the error messages. Synchronisation is on DOM conditions, never on time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useApp, watch, repo } from './harness.mjs';

const env = useApp();

async function openApp({ width = 1400, height = 900, colorScheme = 'light', hash = '' } = {}) {
  const context = await env.browser.newContext({ acceptDownloads: true, viewport: { width, height }, colorScheme });
  const page = await context.newPage();
  const problems = watch(page, env.base);
  await page.goto(env.base + hash);
  await page.waitForSelector(hash ? '.app' : '.start .dropzone');
  return {
    page,
    context,
    async close() {
      assert.ok(!(await page.$('#fatal')), 'no fatal-error banner');
      await context.close();
      assert.deepEqual(problems, [], 'no console errors, page errors or foreign requests');
    },
  };
}

const active = (page) =>
  page.evaluate(() => {
    const a = document.activeElement;
    return a ? { tag: a.tagName, id: a.id, role: a.getAttribute('role'), example: a.dataset.example ?? null, cls: a.className } : null;
  });
const selectedPath = (page) => page.getAttribute('[role="treeitem"][aria-selected="true"]', 'data-path');

/** Presses Tab until `pred(activeElement info)` holds (at most `max` times). */
async function tabTo(page, pred, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (pred(await active(page))) return;
  }
  assert.fail('Tab never reached the wanted control');
}

/** The focus ring of the focused element: its computed outline. */
const ring = (page, sel = null) =>
  page.evaluate((sel) => {
    const el = sel ? document.querySelector(sel) : document.activeElement;
    const s = getComputedStyle(el);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor };
  }, sel);

test('keyboard only: open an example, move in the tree, the ? list, a fix and its undo', async () => {
  const { page, close } = await openApp();
  // The first Tab stops reach the drop zone, then the examples.
  await tabTo(page, (a) => a?.id === 'dropzone');
  let r = await ring(page);
  assert.equal(r.style, 'solid', 'the drop zone shows a focus ring');
  assert.ok(r.width >= 2);
  await tabTo(page, (a) => a?.example === 'xen-2012-proposal.dtb');
  await page.keyboard.press('Enter');
  await page.locator('[role="treeitem"][data-path="/hypervisor"]').waitFor();
  assert.equal(await selectedPath(page), '/hypervisor');

  // T focuses the tree; the selected row carries the ring; arrows move the selection.
  await page.keyboard.press('t');
  assert.equal((await active(page)).role, 'tree');
  r = await ring(page, '[role="treeitem"][aria-selected="true"]');
  assert.equal(r.style, 'solid', 'the selected row of the focused tree shows a ring');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.querySelector('[role="treeitem"][aria-selected="true"]')?.dataset.path === '/hypervisor/grant_table');
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction(() => document.querySelector('[role="treeitem"][aria-selected="true"]')?.dataset.path === '/hypervisor');
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => document.querySelector('[role="treeitem"][data-path="/hypervisor"]')?.getAttribute('aria-expanded') === 'false');
  assert.equal(await page.locator('[role="treeitem"][data-path="/hypervisor/events"]').count(), 0, 'collapsed');
  await page.keyboard.press('ArrowRight');
  await page.locator('[role="treeitem"][data-path="/hypervisor/events"]').waitFor();

  // ? lists the shortcuts from the same table the handler uses; Esc closes, focus returns.
  await page.keyboard.press('?');
  await page.waitForSelector('dialog#shortcuts[open]');
  const list = await page.locator('dialog#shortcuts').innerText();
  for (const k of ['Ctrl+Z', 'Ctrl+Shift+Z', '↑', 'Esc', '/']) assert.ok(list.includes(k), `the list shows ${k}`);
  assert.ok(await page.evaluate(() => document.querySelector('dialog#shortcuts').contains(document.activeElement)), 'focus is in the list');
  // Other single keys do nothing while it is open.
  await page.keyboard.press('l');
  assert.equal(new URL(page.url()).hash, '');
  await page.keyboard.press('Escape');
  await page.waitForSelector('dialog#shortcuts:not([open])', { state: 'attached' });
  assert.equal((await active(page)).role, 'tree', 'focus is back on the tree');

  // F goes to the findings; Tab reaches a fix; Enter applies it; the node is marked changed;
  // Ctrl+Z (outside a text field) undoes it.
  await page.keyboard.press('f');
  await page.waitForFunction(() => document.activeElement?.closest('.findings-pane'));
  await tabTo(page, (a) => /\bfix\b/.test(a?.cls ?? ''), 200);
  assert.equal((await ring(page)).style, 'solid', 'the fix button shows a focus ring');
  assert.ok(await page.locator('#undo').isDisabled());
  await page.keyboard.press('Enter');
  await page.waitForSelector('#undo:not([disabled])');
  await page.locator('[role="treeitem"].changed').first().waitFor();
  await page.keyboard.press('t');
  await page.keyboard.press('Control+z');
  await page.waitForSelector('#undo[disabled]');
  assert.equal(await page.locator('[role="treeitem"].changed').count(), 0, 'undone: nothing marked');

  // / focuses the filter; Esc clears it and goes back to the tree (no trap).
  await page.keyboard.press('/');
  assert.equal((await active(page)).id, 'tree-filter');
  await page.keyboard.type('events');
  await page.waitForFunction(() => document.querySelectorAll('[role="treeitem"]').length <= 3);
  await page.keyboard.press('Escape');
  assert.equal((await active(page)).role, 'tree');
  // L opens Learn; E goes back to the start screen with focus on the first example.
  await page.keyboard.press('l');
  await page.waitForSelector('.learn');
  await page.keyboard.press('e');
  await page.waitForFunction(() => document.activeElement?.matches('.start .example'));
  await close();
});

/** Every element that sticks out of the viewport on the right, and the page's own scroll. */
const overflow = (page) =>
  page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const out = [];
    for (const el of document.querySelectorAll('.app *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.height > 0 && r.right > w + 1 && getComputedStyle(el).position !== 'fixed') {
        // Inside a scroller that clips it, it is not cut off: it scrolls.
        let p = el.parentElement;
        let clipped = false;
        while (p && p !== document.body) {
          const o = getComputedStyle(p).overflowX;
          if ((o === 'auto' || o === 'scroll' || o === 'hidden') && p.getBoundingClientRect().right <= w + 1) {
            clipped = true;
            break;
          }
          p = p.parentElement;
        }
        if (!clipped) out.push(`${el.tagName}.${el.className}#${el.id}`);
      }
    }
    return { page: document.documentElement.scrollWidth - w, out: out.slice(0, 5) };
  });

test('1024 x 768: no horizontal page scroll, nothing cut off, node and findings as tabs', async () => {
  const { page, close } = await openApp({ width: 1024, height: 768 });
  assert.deepEqual(await overflow(page), { page: 0, out: [] }, 'start screen');
  await page.click('[data-example="xen-2012-proposal.dtb"]');
  await page.locator('[role="treeitem"][data-path="/hypervisor"]').waitFor();
  assert.deepEqual(await overflow(page), { page: 0, out: [] }, 'main view');
  // The top bar fits on one line: its controls are all inside the window.
  for (const sel of ['#home', '#open-btn', '#undo', '.downloads .menu-toggle', '#learn-link', '#show-shortcuts', '.sev-count.sev-error']) {
    assert.ok(await page.locator(sel).isVisible(), `${sel} visible`);
  }
  // Node and findings share a column: one tab at a time, each with room.
  const nodeBox = await page.locator('.node-pane').boundingBox();
  assert.ok(nodeBox.width > 450 && nodeBox.height > 250, `node pane usable: ${JSON.stringify(nodeBox)}`);
  assert.equal(await page.locator('.findings-pane').isVisible(), false);
  await page.click('#show-findings');
  await page.locator('.findings-pane .finding').first().waitFor();
  assert.equal(await page.locator('.node-pane').isVisible(), false);
  assert.deepEqual(await overflow(page), { page: 0, out: [] }, 'findings tab');
  // The counts in the top bar lead to the findings too.
  await page.click('#show-node');
  await page.click('.sev-count.sev-error');
  await page.locator('.findings-pane .finding').first().waitFor({ state: 'visible' });
  // The downloads fold into a menu; Esc closes it and focus returns to its button.
  await page.click('.downloads .menu-toggle');
  await page.locator('#export-dts').waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.activeElement?.id === 'export-dtb');
  await page.keyboard.press('Escape');
  await page.locator('#export-dts').waitFor({ state: 'hidden' });
  assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('menu-toggle')));
  // The tree splitter resizes from the keyboard.
  const w0 = (await page.locator('.tree-pane').boundingBox()).width;
  await page.focus('.splitter >> nth=0');
  await page.keyboard.press('Shift+ArrowRight');
  await page.waitForFunction((w0) => document.querySelector('.tree-pane').getBoundingClientRect().width >= w0 + 60, w0);
  assert.deepEqual(await overflow(page), { page: 0, out: [] }, 'after resizing');
  // The editable DTS tab and Learn also fit.
  await page.click('#tab-edit-dts');
  await page.locator('#dts-editor').waitFor();
  assert.deepEqual(await overflow(page), { page: 0, out: [] }, 'DTS editor');
  await page.evaluate(() => { location.hash = '#learn/xen'; });
  await page.locator('.binding-page').waitFor();
  assert.deepEqual(await overflow(page), { page: 0, out: [] }, 'Learn page');
  await close();
});

test('the theme follows the system colour scheme; the setting overrides it and persists', async () => {
  const bg = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/\d+/g).map(Number);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const { page, close } = await openApp({ colorScheme: 'light' });
  const light = await bg(page);
  assert.ok(luminance(light) > 200, `light background: ${light}`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForFunction((light) => getComputedStyle(document.body).backgroundColor !== light, light);
  const dark = await bg(page);
  assert.ok(luminance(dark) < 60, `dark background: ${dark}`);
  // The focus ring colour changes with it (visible on both backgrounds).
  await page.keyboard.press('Tab');
  const ringDark = (await ring(page)).color;
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForFunction((light) => getComputedStyle(document.body).backgroundColor === light, light);
  assert.notEqual((await ring(page)).color, ringDark);

  // A fixed choice wins over the system's and survives a reload.
  await page.selectOption('#theme', 'dark');
  await page.waitForFunction((dark) => getComputedStyle(document.body).backgroundColor === dark, dark);
  await page.reload();
  await page.waitForSelector('.start .dropzone');
  assert.equal(await bg(page), dark, 'still dark after a reload with a light system');
  assert.equal(await page.inputValue('#theme'), 'dark');
  await page.selectOption('#theme', 'system');
  await page.waitForFunction((light) => getComputedStyle(document.body).backgroundColor === light, light);
  await close();
});

test('errors say what happened and what to do: not a DTB, damaged blob, DTS that does not compile', async () => {
  const { page, close } = await openApp();
  await page.setInputFiles('#open-file', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello, not a blob\n') });
  const notice = page.locator('.doc-notice[role="alert"]');
  await notice.waitFor();
  let text = await notice.innerText();
  assert.match(text, /notes\.txt is not a device-tree blob/);
  assert.match(text, /68 65 6c 6c/, 'says what the file starts with');
  assert.match(text, /Open a \.dtb/, 'says what to do');
  await page.click('#notice-diagnostics');
  await page.locator('#tab-diagnostics[aria-selected="true"]').waitFor();

  // A truncated blob: what could be read is shown, with where it broke.
  const blob = fs.readFileSync(path.join(repo, 'static', 'examples', 'xen-guest.dtb'));
  await page.setInputFiles('#open-file', { name: 'cut.dtb', mimeType: 'application/octet-stream', buffer: blob.subarray(0, 300) });
  await page.waitForFunction(() => /cut\.dtb is damaged/.test(document.querySelector('.doc-notice')?.textContent ?? ''));
  text = await notice.innerText();
  assert.match(text, /reader errors?; everything that could be read is shown/);
  assert.ok((await page.locator('[role="treeitem"]').count()) > 1, 'the readable part is in the tree');

  // A clean blob has no notice.
  await page.setInputFiles('#open-file', { name: 'ok.dtb', mimeType: 'application/octet-stream', buffer: blob });
  await page.waitForFunction(() => document.querySelector('.topbar .file')?.textContent === 'ok.dtb');
  assert.equal(await notice.count(), 0);

  // DTS that does not compile: line:column, and what to do.
  await page.setInputFiles('#open-file', { name: 'bad.dts', mimeType: 'text/plain', buffer: Buffer.from('/dts-v1/;\n/ {\n\tx = <1;\n};\n') });
  const banner = page.locator('.banner.failed');
  await banner.waitFor();
  text = await banner.innerText();
  assert.match(text, /^3:\d+: /);
  assert.match(text, /bad\.dts is DTS source that does not compile .*fix it and open it again/);
  await close();
});

test('severity colours and the focus ring keep their contrast in both themes', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, close } = await openApp({ colorScheme });
    await page.click('[data-example="xen-2012-proposal.dtb"]');
    await page.locator('.finding[data-severity="warning"]').first().waitFor();
    const ratios = await page.evaluate(() => {
      const rgb = (s) => s.match(/[\d.]+/g).slice(0, 3).map(Number);
      const lum = (c) => {
        const [r, g, b] = c.map((v) => {
          v /= 255;
          return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const ratio = (a, b) => {
        const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p);
        return (x + 0.05) / (y + 0.05);
      };
      const bgOf = (el) => {
        for (let e = el; e; e = e.parentElement) {
          const c = getComputedStyle(e).backgroundColor;
          if (!/rgba\(.*, 0\)$/.test(c) && c !== 'transparent') return c;
        }
        return getComputedStyle(document.body).backgroundColor;
      };
      const text = (sel) => {
        const el = document.querySelector(sel);
        return ratio(getComputedStyle(el).color, bgOf(el));
      };
      return {
        error: text('.topbar .sev-count.sev-error'),
        warning: text('.topbar .sev-count.sev-warning'),
        info: text('.topbar .sev-count.sev-info'),
        findingWarning: text('.finding[data-severity="warning"] .sev'),
        badge: text('[role="treeitem"] .badge'),
        // The ring's colour as used: a probe element takes --focus through the CSSOM.
        focus: (() => {
          const probe = document.createElement('div');
          probe.style.color = 'var(--focus)';
          document.body.append(probe);
          const c = getComputedStyle(probe).color;
          probe.remove();
          return ratio(c, getComputedStyle(document.body).backgroundColor);
        })(),
      };
    });
    for (const [what, r] of Object.entries(ratios)) {
      assert.ok(r >= (what === 'focus' ? 3 : 4.5), `${colorScheme}: ${what} contrast ${r.toFixed(2)}`);
    }
    await close();
  }
});

test('1024 px: a review link opens on the findings side, where the review is', async () => {
  const a = await openApp({ width: 1024, height: 768 });
  await a.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await a.page.click('[data-example="xen-2012-proposal.dtb"]');
  await a.page.locator('[role="treeitem"][data-path="/hypervisor"]').waitFor();
  await a.page.click('#show-findings');
  await a.page.click('.finding[data-rule="xen-compatible-order"] button.fix');
  await a.page.waitForSelector('#undo:not([disabled])');
  await a.page.click('#share');
  const link = await a.page.locator('#share-link').inputValue();
  assert.match(link, /#v1\./);
  await a.close();
  const b = await openApp({ width: 1024, height: 768, hash: link.slice(link.indexOf('#')) });
  await b.page.locator('#review #findings-delta').waitFor({ state: 'visible' });
  assert.match(await b.page.locator('#findings-delta').innerText(), /fixes 2, introduces 0/);
  assert.equal(await b.page.getAttribute('#show-findings', 'aria-selected'), 'true');
  await b.close();
});

// Makes the README's screenshots (docs/screenshots/) from the built app. Not a test: run it
// after `trunk build --release --offline --locked` with `node e2e/screenshots.mjs`
// (DTLENS_DIST=dist-x for another build dir). When `pngquant` is installed (Debian package
// pngquant) the PNGs are reduced to a palette, which keeps them a few tens of KB each.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { start, stop, repo } from './harness.mjs';

const out = path.join(repo, 'docs', 'screenshots');
fs.mkdirSync(out, { recursive: true });

function hasPngquant() {
  try {
    execFileSync('pngquant', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const quantize = hasPngquant();

async function shot(page, name) {
  const file = path.join(out, name);
  await page.screenshot({ path: file });
  if (quantize) execFileSync('pngquant', ['--force', '--skip-if-larger', '--speed', '1', '--quality', '60-90', '--output', file, file]);
  console.log(`${name}: ${fs.statSync(file).size} bytes`);
}

const h = await start();
try {
  const page1 = async (width, height, colorScheme = 'light') => {
    const context = await h.browser.newContext({ viewport: { width, height }, colorScheme });
    const page = await context.newPage();
    await page.goto(h.base);
    await page.waitForSelector('.start .dropzone');
    return { context, page };
  };
  const openExample = async (page, file) => {
    await page.click(`[data-example="${file}"]`);
    await page.locator('[role="treeitem"][data-path="/hypervisor"][aria-selected="true"]').waitFor();
    await page.locator('.finding').first().waitFor({ state: 'attached' });
  };

  // Light, 1280 px: the start screen, the main view, an edit, the review of its link, Learn.
  const { context, page } = await page1(1280, 800);
  await shot(page, 'start.png');
  await openExample(page, 'xen-2012-proposal.dtb');
  await shot(page, 'main-view.png');
  await page.click('.finding[data-rule="xen-compatible-order"] button.fix');
  await page.locator('[role="treeitem"].changed[data-path="/hypervisor"]').waitFor();
  await page.click('tr[data-prop="compatible"] .edit-prop');
  await page.locator('#edit-prop').waitFor();
  await shot(page, 'editor.png');
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.click('#share');
  const link = await page.locator('#share-link').inputValue();
  const review = await context.newPage();
  await review.goto(link);
  await review.locator('#review #findings-delta').waitFor();
  await shot(review, 'review-view.png');
  await page.evaluate(() => { location.hash = '#learn/xen'; });
  await page.locator('.binding-page').waitFor();
  await shot(page, 'learn.png');
  await context.close();

  // Dark, 1024 x 768: the main view with the findings tab, and the shortcut list.
  const dark = await page1(1024, 768, 'dark');
  await openExample(dark.page, 'xen-2012-proposal.dtb');
  await dark.page.click('#show-findings');
  await dark.page.locator('.findings-pane .finding').first().waitFor();
  await shot(dark.page, 'main-view-dark-1024.png');
  await dark.page.keyboard.press('?');
  await dark.page.waitForSelector('dialog#shortcuts[open]');
  await shot(dark.page, 'shortcuts-dark.png');
  await dark.context.close();
} finally {
  await stop(h);
}

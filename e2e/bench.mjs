// Browser timing of the built app (issue 6, "Prove it"). A benchmark, not a test (node --test
// does not pick this file up).
//
//   cargo bench --bench pipeline                # writes the generated blobs to target/bench/
//   trunk build --release --offline --locked    # builds dist/ (or --dist dist-x, then --dist ../dist-x)
//   (cd e2e && npm ci && node bench.mjs)        # or: node bench.mjs --runs 7 --dist DIR FILE...
//
// Each input is opened in a fresh page load, several times; the tables give medians. Times are
// taken inside the page with performance.now():
// - "tree": from the #open-file input's `change` event (captured on the document, before the
//   app's own handler) to the tree's root row [data-path="/"] in the DOM and the next
//   animation frame;
// - "findings": to the findings pane's severity counts (`.findings [data-count]`, shown only
//   once the checks are done) in the DOM and the next frame;
// - "longest block": the longest main-thread task (PerformanceObserver 'longtask', installed
//   before the app loads) and the longest gap between animation frames, while opening, while
//   scrolling the tree from top to bottom, and while typing a search for the last node of the
//   blob (a keystroke at a time) until its row is shown;
// - the wasm memory (`memory.buffer.byteLength`) and the JS heap (performance.memory) once the
//   blob is open;
// - one edit on the first input (a typical board): a property added through the node pane's
//   form, from the click on "Add property" to the new row and the findings shown again, with a
//   leaf node selected and with the root selected (whose "DTS: this node" is the whole tree).
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
let runs = 5;
let dist = path.join(repo, 'dist');
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else if (args[i] === '--dist') dist = path.resolve(args[++i]);
  else if (args[i] === '--help' || args[i] === '-h') {
    console.log('usage: node bench.mjs [--runs N] [--dist DIR] [FILE...]   (the first FILE is also edited)');
    process.exit(0);
  } else files.push(path.resolve(args[i]));
}
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs needs a positive integer');
if (files.length === 0) {
  const bench = path.join(repo, 'target', 'bench');
  files.push(
    path.join(repo, '..', 'shared', 'corpus', 'deb32_am572x-idk.dtb'),
    ...['nodes-10000.dtb', 'nodes-100000.dtb', 'phandles-10000.dtb', 'props-20000.dtb', 'bigprops-4x1MiB.dtb'].map(
      (f) => path.join(bench, f),
    ),
  );
}
for (const f of files) {
  if (!fs.existsSync(f)) {
    console.error(`missing ${f}: run \`cargo bench --bench pipeline\` first (it writes target/bench/)`);
    process.exit(1);
  }
}
if (!fs.existsSync(path.join(dist, 'index.html'))) {
  console.error(`no ${dist}/index.html: run \`trunk build --release --offline\` first`);
  process.exit(1);
}

/** The name of the last node of a blob in document order (what the search looks for). */
function lastNodeName(bytes) {
  const be = (o) => bytes.readUInt32BE(o);
  let pos = be(8);
  const strEnd = be(8) + (be(20) >= 17 ? be(36) : bytes.length);
  let last = '';
  while (pos + 4 <= Math.min(strEnd, bytes.length)) {
    const tok = be(pos);
    pos += 4;
    if (tok === 1) {
      const end = bytes.indexOf(0, pos);
      if (end < 0) break;
      last = bytes.toString('utf8', pos, end);
      pos = (end + 4) & ~3;
    } else if (tok === 3) pos = (pos + 8 + be(pos) + 3) & ~3;
    else if (tok === 9) break;
  }
  return last;
}

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  let file = path.normalize(path.join(dist, decodeURIComponent(url.pathname)));
  if (!file.startsWith(dist)) {
    res.writeHead(403).end();
    return;
  }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  fs.readFile(file, (err, body) => {
    if (err) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(body);
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
    '--enable-precise-memory-info',
  ],
});

function median(xs) {
  const s = xs.filter((x) => x !== undefined && !Number.isNaN(x)).sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
function size(n) {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
const fmt = (ms) => (Number.isNaN(ms) ? '—' : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));
const mib = (b) => (Number.isNaN(b) ? '—' : `${(b / (1 << 20)).toFixed(0)} MiB`);

// Installed before the app loads: long tasks and animation-frame times for the whole page life.
function instrument() {
  const p = (window.__perf = { long: [], frames: [] });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) p.long.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    p.noLongtask = true;
  }
  const tick = () => {
    p.frames.push(performance.now());
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  // Resolves once the next frame has been painted.
  window.__painted = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
}

// In the page: the longest task and the longest frame gap that overlap [a, b].
function blocks({ a, b }) {
  const p = window.__perf;
  let task = 0;
  for (const [s, d] of p.long) if (s < b && s + d > a) task = Math.max(task, d);
  let gap = 0;
  const f = p.frames;
  for (let i = 1; i < f.length; i++) if (f[i] > a && f[i - 1] < b) gap = Math.max(gap, f[i] - f[i - 1]);
  return { task, gap };
}

async function openOnce(page, file) {
  await page.goto(base);
  await page.waitForSelector('#open-file', { state: 'attached' });
  await page.evaluate(() => {
    const b = (window.__bench = { t0: 0, tree: 0, findings: 0, treePaint: 0, findingsPaint: 0, progress: false });
    document.addEventListener('change', () => (b.t0 = performance.now()), true);
    // The next animation frame: the one that paints the change (a timeout after it could be
    // queued behind the app's own slices of work and measure those instead).
    const after = (key) => requestAnimationFrame(() => (b[key] = performance.now()));
    new MutationObserver((_, obs) => {
      if (!b.t0) return;
      if (!b.progress && document.querySelector('.banner.loading, [role="progressbar"]')) b.progress = true;
      if (!b.tree && document.querySelector('[data-path="/"]')) {
        b.tree = performance.now();
        after('treePaint');
      }
      if (!b.findings && document.querySelector('.findings [data-count]')) {
        b.findings = performance.now();
        after('findingsPaint');
      }
      if (b.tree && b.findings) obs.disconnect();
    }).observe(document.documentElement, { childList: true, subtree: true, attributes: true });
  });
  if (await page.$('[data-path="/"]')) throw new Error('a tree is already shown before a file was opened');
  await page.setInputFiles('#open-file', file);
  await page.waitForFunction(() => window.__bench.treePaint > 0 && window.__bench.findingsPaint > 0, null, {
    timeout: 600_000,
  });
  const b = await page.evaluate(() => window.__bench);
  const open = await page.evaluate(blocks, { a: b.t0, b: b.findingsPaint });
  return { b, open };
}

async function scrollAndSearch(page, needle) {
  // Scroll the tree from top to bottom in 40 steps, a frame apart.
  const scroll = await page.evaluate(async () => {
    const el = document.querySelector('.tree-scroller');
    const t0 = performance.now();
    const steps = 40;
    for (let i = 1; i <= steps; i++) {
      el.scrollTop = ((el.scrollHeight - el.clientHeight) * i) / steps;
      el.dispatchEvent(new Event('scroll'));
      await window.__painted();
    }
    const rows = document.querySelectorAll('.tree-inner [role="treeitem"]').length;
    el.scrollTop = 0;
    el.dispatchEvent(new Event('scroll'));
    await window.__painted();
    return { t0, t1: performance.now(), rows };
  });
  const scrollBlocks = await page.evaluate(blocks, { a: scroll.t0, b: scroll.t1 });
  // Type the search a keystroke at a time, then wait for the node's row.
  await page.click('#tree-filter');
  const t0 = await page.evaluate(() => performance.now());
  await page.keyboard.type(needle, { delay: 30 });
  await page.locator(`[role="treeitem"][data-path$="/${needle}"]`).first().waitFor({ timeout: 600_000 });
  const t1 = await page.evaluate(async () => {
    await window.__painted();
    return performance.now();
  });
  const searchBlocks = await page.evaluate(blocks, { a: t0, b: t1 });
  return { scroll: scrollBlocks, rows: scroll.rows, search: searchBlocks };
}

async function memory(page) {
  return page.evaluate(async () => {
    const meta = document.querySelector('meta[name="dtlens-boot"]');
    // The glue's init returns the instance's exports when it is already initialised.
    const wasm = await (await import(meta.dataset.js)).default({ module_or_path: meta.dataset.wasm });
    return { wasm: wasm.memory.buffer.byteLength, js: performance.memory ? performance.memory.usedJSHeapSize : NaN };
  });
}

/** One edit (add a property through the form) with `node` selected: ms to new row + findings painted. */
async function editOnce(page, node, i) {
  await page.evaluate(async (node) => {
    // Bring the row into the virtualised list: the root is the first row.
    if (node === '/') {
      const el = document.querySelector('.tree-scroller');
      el.scrollTop = 0;
      el.dispatchEvent(new Event('scroll'));
      await window.__painted();
    }
  }, node);
  await page.locator(`[role="treeitem"][data-path="${node}"]`).click();
  await page.locator(`[role="treeitem"][data-path="${node}"][aria-selected="true"]`).waitFor();
  return page.evaluate(
    async (i) => {
      const name = `dtlens-bench${i}`;
      const input = document.querySelector('#prop-add-name');
      input.value = name;
      input.dispatchEvent(new InputEvent('input', { bubbles: true }));
      const value = document.querySelector('#prop-add-value');
      value.value = `<${i}>`;
      value.dispatchEvent(new InputEvent('input', { bubbles: true }));
      await window.__painted();
      const t0 = performance.now();
      document.querySelector('#prop-add').click();
      // The new row, and the findings pane re-rendered from the new document.
      while (!document.querySelector(`tr[data-prop="${name}"]`) || !document.querySelector('.findings [data-count]')) {
        await new Promise((r) => setTimeout(r, 0));
      }
      const t1 = performance.now();
      await window.__painted();
      const t2 = performance.now();
      return { dom: t1 - t0, painted: t2 - t0, t0, t2 };
    },
    i,
  );
}

const rows = [];
const edits = { leaf: [], root: [], leafTask: [], rootTask: [] };
let failed = false;
const loadBefore = os.loadavg();
try {
  for (const [fi, file] of files.entries()) {
    const bytes = fs.readFileSync(file);
    const needle = lastNodeName(bytes);
    const m = { tree: [], findings: [], openTask: [], openGap: [], scrollTask: [], scrollGap: [], searchTask: [], searchGap: [] };
    let mem = { wasm: NaN, js: NaN };
    let domRows = NaN;
    let progress = false;
    for (let r = 0; r < runs; r++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.addInitScript(instrument);
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
      const { b, open } = await openOnce(page, file);
      m.tree.push(b.treePaint - b.t0);
      m.findings.push(b.findingsPaint - b.t0);
      m.openTask.push(open.task);
      m.openGap.push(open.gap);
      progress ||= b.progress;
      if (r === 0) mem = await memory(page);
      if (needle) {
        const s = await scrollAndSearch(page, needle);
        m.scrollTask.push(s.scroll.task);
        m.scrollGap.push(s.scroll.gap);
        m.searchTask.push(s.search.task);
        m.searchGap.push(s.search.gap);
        domRows = s.rows;
      }
      if (fi === 0) {
        // A fresh load for the edits, so the search above does not change what is selected.
        await openOnce(page, file);
        // The bottom pane on "DTS: this node" (a blob with reader warnings opens on the
        // diagnostics): with the root selected, that is the whole tree.
        await page.click('#tab-node-dts');
        const leaf = await page.evaluate(() => {
          // The first row without children (a leaf), in view at the top of the tree.
          const r = document.querySelector('[role="treeitem"]:not([aria-expanded])');
          return r ? r.dataset.path : null;
        });
        for (const [which, node] of [
          ['leaf', leaf],
          ['root', '/'],
        ]) {
          for (let k = 0; k < 3; k++) {
            const e = await editOnce(page, node, r * 10 + k + (which === 'root' ? 5 : 0));
            edits[which].push(e.painted);
            edits[`${which}Task`].push((await page.evaluate(blocks, { a: e.t0, b: e.t2 })).task);
          }
        }
        edits.leafPath = leaf;
      }
      if (errors.length) {
        failed = true;
        console.error(`${path.basename(file)}: console errors: ${errors.join(' | ')}`);
      }
      await page.close();
    }
    const med = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, median(v)]));
    rows.push({ file, bytes: bytes.length, ...med, mem, domRows, needle, progress });
    process.stderr.write(
      `${path.basename(file)}: tree ${fmt(med.tree)} ms, findings ${fmt(med.findings)} ms, open block ${fmt(med.openTask)} ms\n`,
    );
  }
} finally {
  await browser.close();
  server.close();
}
const loadAfter = os.loadavg();

const version = String(execFileSync('/usr/bin/chromium', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] })).trim();
console.log(
  `\n${version}, headless, 1280×800; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}; median of ${runs} page loads per input;` +
    ` load average ${loadBefore[0].toFixed(1)} before, ${loadAfter[0].toFixed(1)} after\n`,
);
console.log('| input | size | tree on screen ms | findings on screen ms | longest task opening ms | longest task scrolling ms | longest task searching ms | rows in DOM | wasm memory | JS heap |');
console.log('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
for (const r of rows) {
  console.log(
    `| ${path.basename(r.file)} | ${size(r.bytes)} | ${fmt(r.tree)} | ${fmt(r.findings)} | ${fmt(r.openTask)} | ${fmt(r.scrollTask)} | ${fmt(r.searchTask)} | ${r.domRows} | ${mib(r.mem.wasm)} | ${mib(r.mem.js)} |`,
  );
}
console.log('\nLongest gap between animation frames (ms): opening / scrolling / searching');
for (const r of rows) {
  console.log(`- ${path.basename(r.file)}: ${fmt(r.openGap)} / ${fmt(r.scrollGap)} / ${fmt(r.searchGap)} (search: "${r.needle}")`);
}
if (edits.leaf.length) {
  console.log(`\nOne edit on ${path.basename(files[0])} (add a property; click → new row and findings painted), median of ${edits.leaf.length}:`);
  console.log('| selected | edit ms | longest task ms |');
  console.log('|---|--:|--:|');
  console.log(`| leaf ${edits.leafPath} | ${fmt(median(edits.leaf))} | ${fmt(median(edits.leafTask))} |`);
  console.log(`| root / | ${fmt(median(edits.root))} | ${fmt(median(edits.rootTask))} |`);
}
if (failed) process.exit(1);

// Browser timing of the built app: how long from picking a file in #open-file until the
// tree's root row [data-path="/"] is in the page, and until the frame after it is painted.
// A benchmark, not a test (node --test does not pick this file up).
//
//   cargo bench --bench pipeline                # writes the generated blobs to target/bench/
//   trunk build --release --offline             # builds dist/
//   (cd e2e && npm ci && node bench.mjs)        # or: node bench.mjs --runs 7 FILE...
//
// Times are measured inside the page (performance.now()): from the input's `change` event
// (captured on the document, before the app's own handler) to the first DOM mutation that
// makes [data-path="/"] exist; "painted" adds the next animation frame. Each input is opened
// in a fresh page load, several times; the table gives the medians.
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
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
    console.log('usage: node bench.mjs [--runs N] [--dist DIR] [FILE...]');
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
  ],
});

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
function size(n) {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
const fmt = (ms) => (ms < 100 ? ms.toFixed(1) : ms.toFixed(0));

const rows = [];
let failed = false;
try {
  for (const file of files) {
    const inDom = [];
    const painted = [];
    for (let r = 0; r < runs; r++) {
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(base);
      await page.waitForSelector('#open-file', { state: 'attached' });
      await page.evaluate(() => {
        const b = (window.__bench = { t0: 0, t1: 0, t2: 0 });
        document.addEventListener('change', () => (b.t0 = performance.now()), true);
        new MutationObserver((_, obs) => {
          if (b.t0 && !b.t1 && document.querySelector('[data-path="/"]')) {
            b.t1 = performance.now();
            obs.disconnect();
            requestAnimationFrame(() => setTimeout(() => (b.t2 = performance.now()), 0));
          }
        }).observe(document.documentElement, { childList: true, subtree: true, attributes: true });
      });
      if (await page.$('[data-path="/"]')) throw new Error('a tree is already shown before a file was opened');
      await page.setInputFiles('#open-file', file);
      await page.waitForFunction(() => window.__bench.t2 > 0, null, { timeout: 300_000 });
      const b = await page.evaluate(() => window.__bench);
      inDom.push(b.t1 - b.t0);
      painted.push(b.t2 - b.t0);
      if (errors.length) {
        failed = true;
        console.error(`${path.basename(file)}: console errors: ${errors.join(' | ')}`);
      }
      await page.close();
    }
    rows.push({ file, bytes: fs.statSync(file).size, inDom: median(inDom), painted: median(painted) });
    process.stderr.write(`${path.basename(file)}: ${fmt(median(inDom))} ms\n`);
  }
} finally {
  await browser.close();
  server.close();
}

const version = (await import('node:child_process')).execFileSync('/usr/bin/chromium', ['--version'], {
  stdio: ['ignore', 'pipe', 'ignore'],
});
console.log(`\n${String(version).trim()}, headless; median of ${runs} page loads per input\n`);
console.log('| input | size | open → root row in DOM ms | open → painted ms |');
console.log('|---|--:|--:|--:|');
for (const r of rows) {
  console.log(`| ${path.basename(r.file)} | ${size(r.bytes)} | ${fmt(r.inDom)} | ${fmt(r.painted)} |`);
}
if (failed) process.exit(1);

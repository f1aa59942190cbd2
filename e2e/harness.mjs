// The shared harness of the e2e tests: a static server for ../dist on 127.0.0.1:0 (wasm as
// application/wasm) and headless Debian Chromium through playwright-core, with the flags that
// keep it off the network. Each test file starts one of each in `before` and stops them in
// `after`.
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '..');
// DTLENS_DIST lets several people build and test side by side (`trunk build --dist dist-x`).
export const dist = path.resolve(repo, process.env.DTLENS_DIST || 'dist');
export const corpus = path.join(repo, '..', 'shared', 'corpus');
export const artifacts = path.join(here, 'artifacts');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.dtb': 'application/octet-stream',
  '.dts': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.json': 'application/json',
};

/** Starts the static server and the browser: `{ server, base, browser }`. */
export async function start() {
  assert.ok(fs.existsSync(path.join(dist, 'index.html')), 'dist/index.html missing: run `trunk build --release --offline --locked` first');
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let rel = decodeURIComponent(url.pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.normalize(path.join(dist, rel));
    if (!file.startsWith(dist + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  return { server, base, browser };
}

/** Stops what `start` started (either may be missing if `start` failed). */
export async function stop({ server, browser }) {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
}

/** For a test file: starts the server and browser before its tests and stops them after.
 *  The returned object holds `base` (the app's URL) and `browser` once started. */
export function useApp() {
  const env = {};
  before(async () => {
    Object.assign(env, await start());
  });
  after(async () => {
    await stop(env);
  });
  return env;
}

/** Collects a page's console errors, page errors and requests to another origin than `base`. */
export function watch(page, base) {
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) {
      problems.push(`request to another origin: ${r.url()}`);
    }
  });
  return problems;
}

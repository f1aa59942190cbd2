// Loads the wasm app. A separate file (not an inline script) so the page's
// Content-Security-Policy can forbid inline scripts. Trunk writes the hashed file
// names into <meta name="dtlens-boot"> (see pattern_script in Trunk.toml).
const meta = document.querySelector('meta[name="dtlens-boot"]');

// The colour theme chosen in the settings (settings.rs), applied before the app paints.
try {
  const theme = localStorage.getItem('dtlens-theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch (_) {
  // Storage may be disabled: the theme follows the system.
}

function fail(message) {
  const div = document.createElement('div');
  div.id = 'fatal';
  div.setAttribute('role', 'alert');
  div.textContent = 'dtlens could not start: ' + message;
  document.body.append(div);
}

if (!meta) {
  fail('the loader configuration is missing from the page.');
} else {
  try {
    const { default: init } = await import(meta.dataset.js);
    await init({ module_or_path: meta.dataset.wasm });
  } catch (e) {
    // A panic inside the app has already been reported in the page by the panic hook.
    if (!document.getElementById('fatal')) fail(String(e && e.message ? e.message : e));
    throw e;
  }
}

import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The operator's UI. Built into dist/renderer with relative asset paths, so the same files load from
 * the browser-mode host (http://127.0.0.1:…/) and from file:// inside Electron. The page runs under
 * a strict CSP (script-src 'self'; style-src 'self'): no inline scripts, CSS only as emitted files.
 *
 * `npm run dev:renderer` serves it with hot reload and forwards /ipc to a running browser-mode host
 * (KEYBENCH_WEB_HOST, default http://127.0.0.1:8790); open http://localhost:5173/#token=<its token>.
 */
const stationHost = process.env.KEYBENCH_WEB_HOST ?? 'http://127.0.0.1:8790';

/** The same policy the browser-mode host sends, also as a meta tag so file:// in Electron gets it too. */
const csp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Only in the build: the dev server's hot reload needs an inline preamble the policy would block. */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'keybench-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: csp },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react(), contentSecurityPolicyMeta()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // The polyfill would be inlined into index.html; Electron's Chromium and every supported browser
    // preload modules natively.
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: {
      '/ipc': {
        target: stationHost,
        ws: true,
        // The host accepts only its own Origin on the socket.
        configure: (proxy) => {
          proxy.on('proxyReqWs', (proxyReq) => proxyReq.setHeader('origin', stationHost));
        },
      },
    },
  },
});

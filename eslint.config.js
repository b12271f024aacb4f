import { builtinModules } from 'node:module';
import path from 'node:path';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Node's modules, by bare name (`fs`, `fs/promises`) and with the `node:` scheme (matched by prefix). */
const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));

/**
 * Import bans for a layer: which folders (repo-relative) and packages its files may not import.
 * no-restricted-imports matches what an import says, not where it lands, so a folder is banned by the
 * relative path that reaches it from each depth of the layer: one config block per depth, whose regex
 * is the exact climb from that depth to the folder (`../../server` from electron/core/x.ts,
 * `../main` for electron/main). The climb to the repo root and down (`../../electron/main`) is banned too.
 * Packages are banned by exact name (`paths`), and by `prefixes` (`node:`, `electron/`) for subpaths.
 */
function layerBans(layer, { folders = [], packages = [], prefixes = [], why, maxDepth = 6 }) {
  const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return Array.from({ length: maxDepth }, (_, i) => {
    const dir = path.posix.join(layer, ...Array(i).fill('x'));
    const regex = [
      ...folders.flatMap((folder) => {
        const nearest = path.posix.relative(dir, folder);
        const viaRoot = path.posix.join(path.posix.relative(dir, '.'), folder);
        return [...new Set([nearest, viaRoot])].map((spec) => `^${escape(spec)}(/|$)`);
      }),
      ...prefixes.map((prefix) => `^${escape(prefix)}`),
    ];
    return {
      files: [`${layer}/${'*/'.repeat(i)}*.{ts,tsx}`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: packages.map((name) => ({ name, message: why })),
            patterns: regex.length ? [{ regex: regex.join('|'), message: why }] : [],
          },
        ],
      },
    };
  });
}

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'out', 'release', 'test-results', 'playwright-report', '.tsbuild'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Promises nobody awaits lose their errors: type-aware, so each file is read with its layer's
    // project (tsconfig.json's references).
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Also in JSX attributes: the renderer's handlers already wrap their promises (`() => void
      // refetch()`), so an async onClick whose rejection nobody hears is an error here too.
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      // It tells which components the React Compiler would leave unmemoised (useVirtualizer's); the
      // build has no React Compiler, so there is nothing to act on.
      'react-hooks/incompatible-library': 'off',
    },
  },
  {
    // Tests read JSON answers loosely on purpose: the assertions are the type check.
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  // shared/ is the runtime-free layer (VS Code's "common"): it may not reach Node, Electron or another layer.
  ...layerBans('shared', {
    folders: ['electron', 'server', 'renderer'],
    packages: [...nodeBuiltins, 'electron', 'better-sqlite3', 'usb'],
    prefixes: ['node:', 'electron/'],
    why: 'shared/ runs in every host: no Node, no Electron, no other layer.',
  }),
  // The station core is given its server, bench and hosts by the composition roots; it never picks them.
  ...layerBans('electron/core', {
    folders: [
      'server',
      'renderer',
      'electron/simulated-bench',
      'electron/web-host',
      'electron/main',
      'electron/startup',
    ],
    packages: ['electron'],
    prefixes: ['electron/'],
    why: 'electron/core is host-free: the hosts (electron/main.ts, electron/web-host) inject server, bench and Electron.',
  }),
  // The hosts take the reference server (the embedded default) and the simulated bench only through
  // electron/startup/, which chooses them; a host reaching into server/ or the bench itself would make
  // them its dependencies.
  ...['electron/web-host', 'electron/main'].flatMap((layer) =>
    layerBans(layer, {
      folders: ['server', 'renderer', 'electron/simulated-bench'],
      why: `${layer} may not import the reference server, the simulated bench or the page: electron/startup/ chooses and starts them.`,
    }),
  ),
  ...layerBans('electron/simulated-bench', {
    folders: ['server', 'renderer'],
    why: 'electron/simulated-bench may not import the reference server or the page: electron/startup/ chooses and starts the server.',
  }),
  // electron/startup/ chooses what a host runs; it is used by both hosts, so it may not depend on either,
  // on Electron (the web host has none) or on the page.
  ...layerBans('electron/startup', {
    folders: ['renderer', 'electron/web-host', 'electron/main'],
    packages: ['electron'],
    prefixes: ['electron/'],
    why: 'electron/startup serves both hosts: it may not import either host, Electron or the page.',
  }),
  {
    files: ['electron/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./(server|renderer)(/|$)|^(\\.\\./electron|\\.)/simulated-bench(/|$)',
              message:
                'The Electron shell may not import the reference server, the simulated bench or the page: electron/startup/ chooses and starts them.',
            },
          ],
        },
      ],
    },
  },
  // The page reaches the station only through the StationApi (shared/ipc).
  ...layerBans('renderer/src', {
    folders: ['electron', 'server'],
    packages: [...nodeBuiltins, 'electron'],
    prefixes: ['node:', 'electron/'],
    why: 'The renderer talks to the station only through shared/ipc, and has no Node.',
  }),
  // The reference server stands for the real one: it knows nothing of the station or its page.
  ...layerBans('server', {
    folders: ['electron', 'renderer'],
    packages: ['electron'],
    prefixes: ['electron/'],
    why: 'server/ is the reference server: it may not import the station (electron/) or its page (renderer/).',
  }),
);

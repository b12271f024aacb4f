import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveStartup } from '../../electron/startup/resolve-startup';
import { requestFromEnv } from '../../electron/startup/startup-request';
import { GUARDANT_VENDOR_ID, guardantProducts } from '../../shared/guardant/usb-ids';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'keybench-packaging-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// electron-builder's own loader and schema: a misspelt option fails here, not on a packaging machine.
const loadConfig = async () => {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config');
  const { DebugLogger } = require('builder-util');
  const config = await getConfig(root, null, null);
  return { config, validate: (c: unknown) => validateConfiguration(c, new DebugLogger(false)) };
};

/**
 * Where the packaged desktop app reads the udev rules, as a path below its resources folder: what the
 * start-up resolver decides for a real bench when the Electron shell hands it `process.resourcesPath`.
 */
function rulesPathUnderResources(): string {
  const resources = '/opt/Keybench/resources';
  const decision = resolveStartup(
    requestFromEnv(
      { KEYBENCH_SERVER_URL: 'https://station.example', KEYBENCH_API_TOKEN: 't' },
      { appRoot: join(resources, 'app.asar'), packagedResources: resources },
      { cwd: '/', home: '/home/op', hostname: 'bench', userData: '/home/op/.config/Keybench' },
    ),
  ).decision;
  if (decision.server !== 'given' || decision.bench.kind !== 'real') throw new Error('not a real bench');
  return relative(resources, decision.bench.udevRulesPath);
}

/** The ids as udev writes them: four lowercase hex digits, from the list the watcher accepts. */
const hex = (id: number) => id.toString(16).padStart(4, '0');
const GUARDANT_PRODUCTS = [...guardantProducts.keys()].map(hex);

describe('the udev rules', () => {
  const rules = read('resources/linux/70-guardant.rules');
  const lines = rules.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));

  it('open all six Guardant licence-key products to the operator, as USB devices and as hidraw', () => {
    for (const subsystem of ['usb', 'hidraw']) {
      const ruleLines = lines.filter((l) => l.includes(`SUBSYSTEM=="${subsystem}"`));
      const products = ruleLines.map((l) => /idProduct\}=="([0-9a-f]{4})"/.exec(l)?.[1]);
      expect(products.sort()).toEqual([...GUARDANT_PRODUCTS].sort());
      for (const line of ruleLines) {
        expect(line).toContain(`idVendor}=="${hex(GUARDANT_VENDOR_ID)}"`);
        expect(line).toContain('MODE="0660"');
        expect(line).toContain('GROUP="plugdev"');
        expect(line).toContain('TAG+="uaccess"');
      }
    }
  });

  it('touch no other device of the vendor and grant nothing world-writable', () => {
    const products = [...rules.matchAll(/idProduct\}=="([0-9a-f]{4})"/g)].map((m) => m[1]);
    expect(new Set(products)).toEqual(new Set(GUARDANT_PRODUCTS));
    expect(rules).not.toMatch(/MODE="0?66[6-7]"|MODE="0?777"/);
  });

  it('are packed where the app reads them and the deb installs them from', async () => {
    const { config } = await loadConfig();
    const packed: Array<{ from: string; to: string }> = config.linux.extraResources;
    const rules = packed.filter((r) => r.to.endsWith('.rules'));
    expect(rules).toHaveLength(1);
    const { from, to } = rules[0]!;
    // A missing source fails the packaging machine's build; a moved one ships no rules at all.
    expect(existsSync(join(root, from)), `${from} (extraResources) is not in the tree`).toBe(true);
    expect(rulesPathUnderResources()).toBe(to);
    // …and the shell does hand the packaged app's resources folder to the resolver.
    expect(read('electron/main.ts')).toMatch(/packagedResources: process\.resourcesPath/);
    const afterInstall = read(config.deb.afterInstall);
    expect(/RULES_SOURCE="\$APP_DIR\/resources\/([^"]+)"/.exec(afterInstall)?.[1]).toBe(to);
  });

  it('are installed under a name that runs before 73-seat-late.rules, where uaccess takes effect', async () => {
    const { config } = await loadConfig();
    const afterInstall = read(config.deb.afterInstall);
    const installed = /RULES_TARGET='\/etc\/udev\/rules\.d\/([^']+)'/.exec(afterInstall)?.[1];
    expect(installed).toMatch(/^\d+-[\w-]+\.rules$/);
    expect(Number(/^(\d+)-/.exec(installed!)![1])).toBeLessThan(73);
    // The removal takes away the file the install put there.
    expect(read(config.deb.afterRemove)).toContain(`rm -f /etc/udev/rules.d/${installed}`);
  });
});

describe('electron-builder.yml', () => {
  it('is valid by electron-builder’s schema, and the schema does refuse a bad option', async () => {
    const { config, validate } = await loadConfig();
    await expect(validate(config)).resolves.toBeUndefined();
    await expect(validate({ ...config, asarUnpak: ['x'] })).rejects.toThrow(/asarUnpak/);
  });

  it('ships the build and package.json from asar, native addons unpacked, output out of dist/', async () => {
    const { config } = await loadConfig();
    expect(config.productName).toBe('Keybench');
    expect(config.appId).toMatch(/^[a-z0-9.-]+$/);
    // The loader normalises the list into one file set.
    expect(config.files).toEqual([{ filter: ['dist/electron/**', 'dist/renderer/**', 'package.json'] }]);
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['**/*.node', '**/node_modules/better-sqlite3/**', '**/node_modules/usb/**']),
    );
    expect(config.directories.output).not.toMatch(/^dist/);
  });

  it('flips fuses after packing, and packs AppImage + deb, NSIS and DMG', async () => {
    const { config } = await loadConfig();
    expect(config.afterPack).toBe('scripts/after-pack.cjs');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('installs the udev rules from the deb', async () => {
    const { config } = await loadConfig();
    expect(config.deb.afterInstall).toBe('resources/linux/after-install.sh');
    expect(config.deb.afterRemove).toBe('resources/linux/after-remove.sh');
    expect(config.deb.depends).toEqual(expect.arrayContaining(['udev', 'libnss3', 'libsecret-1-0']));
    expect(config.linux.extraResources).toEqual([
      { from: 'resources/linux/70-guardant.rules', to: 'udev/70-guardant.rules' },
    ]);
  });
});

describe('the deb maintainer scripts', () => {
  // electron-builder substitutes ${name} in them and fails the build on a name it does not know.
  const macros = (script: string) => [...script.matchAll(/\$\{([a-zA-Z]+)\}/g)].map((m) => m[1]);

  it.each(['resources/linux/after-install.sh', 'resources/linux/after-remove.sh'])(
    '%s uses only the macros electron-builder fills in, and is valid bash once filled',
    (path) => {
      const script = read(path);
      expect(new Set(macros(script))).toEqual(new Set(['executable', 'sanitizedProductName']));
      const filled = join(scratch, path.split('/').at(-1)!);
      writeFileSync(
        filled,
        script.replace(/\$\{executable\}/g, 'keybench').replace(/\$\{sanitizedProductName\}/g, 'Keybench'),
      );
      const syntax = spawnSync('bash', ['-n', filled], { encoding: 'utf8' });
      expect(syntax.stderr).toBe('');
      expect(syntax.status).toBe(0);
    },
  );

  it('after-install keeps electron-builder’s steps and installs and reloads the udev rules', () => {
    const script = read('resources/linux/after-install.sh');
    expect(script).toContain("update-alternatives --install '/usr/bin/${executable}'");
    expect(script).toContain('chrome-sandbox');
    expect(script).toContain('apparmor_parser');
    expect(script).toContain('"$APP_DIR/resources/udev/70-guardant.rules"');
    expect(script).toMatch(/install -m 0644 "\$RULES_SOURCE" "\$RULES_TARGET"/);
    expect(script).toContain("RULES_TARGET='/etc/udev/rules.d/70-guardant.rules'");
    expect(script).toContain('udevadm control --reload-rules');
    expect(script).toContain('udevadm trigger');
  });

  it('after-remove takes the rules away on removal, not on upgrade', () => {
    const script = read('resources/linux/after-remove.sh');
    expect(script).toMatch(/upgrade\|1\) ;;/);
    expect(script).toContain('rm -f /etc/udev/rules.d/70-guardant.rules');
  });
});

describe('the afterPack hook', () => {
  const hook = require(join(root, 'scripts/after-pack.cjs'));
  const { FuseV1Options, getCurrentFuseWire } = require('@electron/fuses');
  const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

  /** A file with Electron's fuse wire in it: version 1, eight fuses, all as Electron ships them. */
  function fakeElectron(path: string) {
    const shipped = [1, 1, 1, 1, 0, 0, 0, 1].map((on) => (on ? 0x31 : 0x30));
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from('\x7fELF…'),
        Buffer.from(SENTINEL),
        Buffer.from([1, shipped.length, ...shipped]),
        Buffer.from('…'),
      ]),
    );
  }

  it('flips the six fuses on the packaged Linux binary', async () => {
    const appOutDir = mkdtempSync(join(scratch, 'linux-unpacked-'));
    fakeElectron(join(appOutDir, 'keybench'));
    await hook({
      appOutDir,
      electronPlatformName: 'linux',
      arch: 1,
      packager: { executableName: 'keybench', appInfo: { productFilename: 'Keybench' } },
    });
    const wire = await getCurrentFuseWire(join(appOutDir, 'keybench'));
    const ON = 0x31;
    const OFF = 0x30;
    expect(wire[FuseV1Options.RunAsNode]).toBe(OFF);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(OFF);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(OFF);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ON);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ON);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(ON);
    // Left as Electron ships them.
    expect(wire[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]).toBe(OFF);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(ON);
  });

  it('finds the binary where electron-builder puts it on each platform', () => {
    const packager = { executableName: 'keybench', appInfo: { productFilename: 'Keybench' } };
    const at = (electronPlatformName: string) =>
      hook.electronBinaryPath({ appOutDir: '/out', electronPlatformName, packager });
    expect(at('linux')).toBe('/out/keybench');
    expect(at('win32')).toBe('/out/Keybench.exe');
    expect(at('darwin')).toBe('/out/Keybench.app');
    expect(at('mas')).toBe('/out/Keybench.app');
  });

  it('refuses a binary without a fuse wire instead of shipping it unflipped', async () => {
    const appOutDir = mkdtempSync(join(scratch, 'broken-'));
    copyFileSync(join(root, 'package.json'), join(appOutDir, 'keybench'));
    await expect(
      hook({
        appOutDir,
        electronPlatformName: 'linux',
        arch: 1,
        packager: { executableName: 'keybench', appInfo: {} },
      }),
    ).rejects.toThrow(/sentinel/);
  });
});

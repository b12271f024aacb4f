import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAppRequest, serveAppRequest } from '../../electron/main/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/app-security';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'keybench-protocol-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Keybench</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
  // Beside the renderer folder: what a traversal would be after.
  writeFileSync(join(base, 'secret.json'), '{"token":"x"}');
  mkdirSync(join(base, 'renderer-evil'));
  writeFileSync(join(base, 'renderer-evil', 'x.js'), 'evil()');
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('resolving app:// URLs', () => {
  it('maps our files, "/" to index.html', () => {
    expect(resolveAppRequest(root, 'app://keybench/')).toMatchObject({
      ok: true,
      file: join(root, 'index.html'),
    });
    expect(resolveAppRequest(root, 'app://keybench/index.html')).toMatchObject({
      ok: true,
      contentType: 'text/html; charset=utf-8',
    });
    expect(resolveAppRequest(root, 'app://keybench/assets/index-abc.js?v=1#x')).toMatchObject({
      ok: true,
      file: join(root, 'assets', 'index-abc.js'),
      contentType: 'text/javascript; charset=utf-8',
    });
  });

  it.each([
    ['app://keybench/../secret.json', 'the URL parser folds it'],
    ['app://keybench/%2e%2e/secret.json', 'encoded dots'],
    ['app://keybench/assets/%2e%2e%2f%2e%2e%2fsecret.json', 'encoded slashes'],
    ['app://keybench/assets/..%2f..%2fsecret.json', 'mixed'],
    ['app://keybench/..%5csecret.json', 'a backslash'],
    ['app://keybench/index.html%00.js', 'a NUL'],
    ['app://keybench/%2e%2e/renderer-evil/x.js', 'a sibling folder sharing the prefix'],
    ['app://keybench//etc/passwd', 'an absolute path'],
    ['app://other/index.html', 'another host'],
    ['file:///etc/passwd', 'another scheme'],
    ['app://keybench/%E0%A4%A', 'malformed escapes'],
  ])('never leaves the renderer folder: %s (%s)', (url) => {
    const resolved = resolveAppRequest(root, url);
    if (resolved.ok) {
      // The URL parser folded the dots away: the path is then one inside the folder (and not there).
      expect(resolved.file.startsWith(join(root, '/'))).toBe(true);
      expect(resolved.file).not.toBe(join(base, 'secret.json'));
      expect(resolved.file).not.toBe(join(base, 'renderer-evil', 'x.js'));
    } else {
      expect([400, 403, 404]).toContain(resolved.status);
    }
  });

  it('refuses dot segments the URL parser left encoded', () => {
    expect(resolveAppRequest(root, 'app://keybench/assets/..%2f..%2fsecret.json')).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(resolveAppRequest(root, 'app://keybench/%2e%2e%2fsecret.json')).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(resolveAppRequest(root, 'app://keybench/..%5csecret.json')).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(resolveAppRequest(root, 'app://other/index.html')).toMatchObject({ ok: false, status: 403 });
  });

  it('serves only the file types a built renderer has', () => {
    expect(resolveAppRequest(root, 'app://keybench/station.db')).toMatchObject({ ok: false, status: 404 });
    expect(resolveAppRequest(root, 'app://keybench/assets')).toMatchObject({ ok: false, status: 404 });
  });
});

describe('serving app:// requests', () => {
  it('answers a file with its type and the policy', async () => {
    const response = await serveAppRequest(root, {
      url: 'app://keybench/assets/index-abc.css',
      method: 'GET',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('body{}');
  });

  it('carries the policy on the page itself', async () => {
    const response = await serveAppRequest(root, { url: 'app://keybench/', method: 'GET' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await response.text()).toContain('<title>Keybench</title>');
  });

  it('answers 404 for a missing file and 403 for a traversal, with no file content', async () => {
    const missing = await serveAppRequest(root, { url: 'app://keybench/assets/nope.js', method: 'GET' });
    expect(missing.status).toBe(404);
    const traversal = await serveAppRequest(root, {
      url: 'app://keybench/assets/..%2f..%2fsecret.json',
      method: 'GET',
    });
    expect(traversal.status).toBe(403);
    expect(await traversal.text()).not.toContain('token');
  });

  it('refuses methods other than GET and HEAD', async () => {
    const post = await serveAppRequest(root, { url: 'app://keybench/index.html', method: 'POST' });
    expect(post.status).toBe(405);
    const head = await serveAppRequest(root, { url: 'app://keybench/index.html', method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveAsset, resolveUrl, SlotbridgeError, ErrorCode } from '../../src/manifest/index.js';

const base = 'https://apps.example.com/counter/1.0.0';

describe('resolveAsset', () => {
  it('resolves ${ASSET:file} to <baseUrl>/assets/file, with or without a trailing slash', () => {
    assert.equal(resolveAsset('${ASSET:icon.svg}', base), `${base}/assets/icon.svg`);
    assert.equal(resolveAsset('${ASSET:icon.svg}', `${base}/`), `${base}/assets/icon.svg`);
  });

  it('resolves every reference in every string of a value and leaves the rest alone', () => {
    const value = { icon: '${ASSET:a b.png}', list: ['x ${ASSET:dir/c.png} y', 3, null], html: 'no asset' };
    assert.deepEqual(resolveAsset(value, base), {
      icon: `${base}/assets/a%20b.png`,
      list: [`x ${base}/assets/dir/c.png y`, 3, null],
      html: 'no asset',
    });
  });

  it('keeps a "__proto__" key a plain key', () => {
    const out = resolveAsset(JSON.parse('{"__proto__": {"x": "${ASSET:a}"}}'), base) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.ok(Object.hasOwn(out, '__proto__'));
  });

  it('throws BAD_INPUT for a reference that leaves assets/ or for a relative baseUrl', () => {
    const isBadInput = (err: unknown) => err instanceof SlotbridgeError && err.code === ErrorCode.BAD_INPUT;
    assert.throws(() => resolveAsset('${ASSET:../secret}', base), isBadInput);
    assert.throws(() => resolveAsset('${ASSET:/etc/passwd}', base), isBadInput);
    assert.throws(() => resolveAsset('${ASSET:a.png}', 'relative/path'), isBadInput);
  });
});

describe('resolveUrl', () => {
  it('joins a relative page to baseUrl and keeps an absolute http(s) page', () => {
    assert.equal(resolveUrl('panels/viewer/index.html', base), `${base}/panels/viewer/index.html`);
    assert.equal(resolveUrl('https://cdn.example.com/p.html', base), 'https://cdn.example.com/p.html');
  });

  it('throws BAD_INPUT for javascript: and for paths leaving the app folder', () => {
    assert.throws(() => resolveUrl('javascript:alert(1)', base), SlotbridgeError);
    assert.throws(() => resolveUrl('../x.html', base), SlotbridgeError);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateManifest, parseManifest, resolveUrl, SlotbridgeError, ErrorCode } from '../../src/manifest/index.js';

const minimal = () => ({
  name: 'my-app',
  version: '1.0.0',
  components: {
    panels: [{ name: 'viewer', supportedSlots: [{ type: 'itemViewer' }] }],
    toolbars: [{ displayName: 'Open', invoke: { type: 'panel', namespace: 'viewer' } }],
    modules: [{ name: 'counter', functions: [{ name: 'count', input: [{ name: 'n', type: 'Integer' }], output: [] }] }],
  },
});

/** Validates and returns the single error at `path`, failing when there is none. */
function errorAt(input: unknown, path: string) {
  const result = validateManifest(input);
  assert.equal(result.ok, false, 'expected the manifest to be refused');
  assert.equal(result.manifest, undefined);
  const error = result.errors.find((e) => e.path === path);
  assert.ok(error, `expected an error at "${path}", got: ${JSON.stringify(result.errors)}`);
  assert.ok(error.message.length > 10, 'the message says what to do');
  return error;
}

describe('validateManifest', () => {
  it('accepts a minimal manifest and applies every default', () => {
    const result = validateManifest(minimal());
    assert.deepEqual(result.errors, []);
    assert.equal(result.ok, true);
    const m = result.manifest!;
    assert.equal(m.displayName, 'my-app');
    assert.equal(m.scope, 'project');
    assert.equal(m.featured, 500);
    assert.deepEqual(m.permissions, []);
    assert.equal(m.components.panels[0].url, 'panels/viewer/index.html');
    assert.equal(m.components.panels[0].displayName, 'viewer');
    assert.equal(m.components.modules[0].url, 'modules/counter/index.html');
  });

  it('accepts JSON text as well as parsed data', () => {
    assert.equal(validateManifest(JSON.stringify(minimal())).ok, true);
  });

  it('leaves a module with an entryPoint and no url to the platform executor', () => {
    const input = minimal();
    input.components.modules[0] = { ...input.components.modules[0], entryPoint: 'main.py' } as never;
    assert.equal(validateManifest(input).manifest!.components.modules[0].url, undefined);
  });

  it('settles resizable from either spelling, as Dataloop writes it', () => {
    const input = minimal();
    input.components.panels[0].supportedSlots = [
      { type: 'dialog', configuration: { layout: { resizeable: true, position: 'center' } } } as never,
    ];
    const layout = validateManifest(input).manifest!.components.panels[0].supportedSlots[0].configuration!.layout!;
    assert.equal(layout.resizable, true);
  });

  it("reads Dataloop's system scope as public, so a platform app's manifest installs anywhere", () => {
    const result = validateManifest({ ...minimal(), scope: 'system' });
    assert.deepEqual(result.errors, []);
    assert.equal(result.manifest!.scope, 'public');
    errorAt({ ...minimal(), scope: 'everyone' }, 'scope');
  });

  it('refuses text that is not JSON, with an error at the root', () => {
    const error = errorAt('{ "name": ', '');
    assert.equal(error.code, 'not_json');
  });

  it('names the line and column of a JSON error, as an editor shows them', () => {
    const error = errorAt('{\n  "name": "x"\n  "version": "1.0.0"\n}', '');
    assert.match(error.message, /\(line 3, column 3\)|line 3 column 3/);
  });

  for (const [label, value] of [
    ['an array', []],
    ['a number', 42],
    ['null', null],
    ['a JSON string', '"app"'],
  ] as const) {
    it(`refuses JSON that is ${label} instead of an object`, () => {
      assert.equal(errorAt(value, '').code, 'not_object');
    });
  }

  it('refuses values that cannot be JSON without throwing', () => {
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic['self'] = cyclic;
    assert.equal(errorAt(cyclic, '').code, 'not_json');
    assert.equal(errorAt(10n, '').code, 'not_json');
    assert.equal(errorAt(undefined, '').code, 'not_json');
    assert.equal(errorAt(() => 1, '').code, 'not_json');
  });

  it('refuses a missing name at "name"', () => {
    const { name: _drop, ...rest } = minimal();
    assert.equal(errorAt(rest, 'name').code, 'required');
  });

  for (const bad of ['../evil', '..', '.', 'a/b', 'a\\b', 'tab\there', '', 'x'.repeat(101)]) {
    it(`refuses the name ${JSON.stringify(bad.slice(0, 12))}`, () => {
      assert.equal(errorAt({ ...minimal(), name: bad }, 'name').code, 'invalid_format');
    });
  }

  it('warns, without refusing, about a name that is not a slug', () => {
    const result = validateManifest({ ...minimal(), name: 'AI DQL Agent' });
    assert.equal(result.ok, true);
    assert.equal(result.warnings.find((w) => w.path === 'name')?.code, 'name_not_slug');
  });

  it('refuses a version that is not semver, and warns when it is missing', () => {
    assert.equal(errorAt({ ...minimal(), version: '1.0' }, 'version').code, 'invalid_format');
    const { version: _drop, ...rest } = minimal();
    const result = validateManifest(rest);
    assert.equal(result.manifest!.version, '0.0.0');
    assert.equal(result.warnings.find((w) => w.path === 'version')?.code, 'version_missing');
  });

  it('refuses a toolbar whose invoke.namespace names no panel', () => {
    const input = minimal();
    input.components.toolbars[0].invoke.namespace = 'nope';
    const error = errorAt(input, 'components.toolbars[0].invoke.namespace');
    assert.equal(error.code, 'unknown_reference');
    assert.match(error.message, /"viewer"/, 'the message lists the panels to choose from');
  });

  it('refuses a function toolbar whose module.function does not exist, in both forms', () => {
    for (const namespace of ['counter.missing', 'nomodule.count', 'svc.counter.missing', 'justone']) {
      const input = minimal();
      input.components.toolbars[0].invoke = { type: 'function', namespace };
      errorAt(input, 'components.toolbars[0].invoke.namespace');
    }
    for (const namespace of ['counter.count', 'any-service.counter.count']) {
      const input = minimal();
      input.components.toolbars[0].invoke = { type: 'function', namespace };
      assert.equal(validateManifest(input).ok, true, namespace);
    }
  });

  it('refuses a duplicate panel name at the second one', () => {
    const input = minimal();
    input.components.panels.push({ name: 'viewer', supportedSlots: [] });
    assert.equal(errorAt(input, 'components.panels[1].name').code, 'duplicate_name');
  });

  it('refuses duplicate module, function and parameter names', () => {
    const input = minimal();
    const fn = input.components.modules[0].functions[0];
    fn.input.push({ name: 'n', type: 'String' });
    input.components.modules[0].functions.push({ ...fn, input: [] });
    input.components.modules.push({ name: 'counter', functions: [] });
    errorAt(input, 'components.modules[1].name');
    errorAt(input, 'components.modules[0].functions[1].name');
    errorAt(input, 'components.modules[0].functions[0].input[1].name');
  });

  it('refuses an unknown IO type and lists the known ones', () => {
    const input = minimal();
    input.components.modules[0].functions[0].input[0].type = 'Blob';
    const error = errorAt(input, 'components.modules[0].functions[0].input[0].type');
    assert.match(error.message, /Item\[\]/);
  });

  it('refuses an IO type "Artifact:" with no valid name, saying how to write one', () => {
    const input = minimal();
    input.components.modules[0].functions[0].input[0].type = 'Artifact:';
    const error = errorAt(input, 'components.modules[0].functions[0].input[0].type');
    assert.match(error.message, /"Item\[\]".*or "Artifact:<name>" naming an artifact type of components\.artifacts/);
  });

  describe('artifact types', () => {
    const withArtifacts = () => {
      const input = minimal() as ReturnType<typeof minimal> & { components: { artifacts: Record<string, unknown>[] } };
      input.components.modules[0].functions.push(
        { name: 'make', input: [], output: [{ name: 'mask', type: 'Artifact:mask' }] as never[] },
        { name: 'encode', input: [], output: [] },
        { name: 'decode', input: [], output: [] },
      );
      input.components.artifacts = [
        { name: 'mask', module: 'counter', serialize: 'encode', deserialize: 'decode', mediaType: 'image/png' },
      ];
      return input;
    };

    it('accepts a type whose codec functions exist, used as an output and an input, with a default media type', () => {
      const input = withArtifacts();
      input.components.modules[0].functions[0].input.push({ name: 'previous', type: 'Artifact:mask' });
      delete input.components.artifacts[0]['mediaType'];
      const result = validateManifest(input);
      assert.deepEqual(result.errors, []);
      assert.deepEqual(result.manifest!.components.artifacts[0], {
        name: 'mask',
        module: 'counter',
        serialize: 'encode',
        deserialize: 'decode',
        mediaType: 'application/octet-stream',
      });
      assert.deepEqual(validateManifest(minimal()).manifest!.components.artifacts, []);
    });

    it('refuses an Artifact:<name> that no artifact type declares, naming the declared ones', () => {
      const input = withArtifacts();
      input.components.modules[0].functions[0].input[0].type = 'Artifact:masks';
      assert.match(
        errorAt(input, 'components.modules[0].functions[0].input[0].type').message,
        /No artifact type is named "masks".*"Artifact:mask"/,
      );
    });

    it('refuses a codec function the module does not declare, and a module that does not exist', () => {
      const input = withArtifacts();
      input.components.artifacts[0]['deserialize'] = 'decodes';
      assert.match(errorAt(input, 'components.artifacts[0].deserialize').message, /Module "counter" declares no function "decodes"/);
      input.components.artifacts[0]['module'] = 'nowhere';
      assert.match(errorAt(input, 'components.artifacts[0].module').message, /No module is named "nowhere"; write one of: "counter"/);
    });

    it('refuses a second artifact type of the same name, a missing codec and a bad media type', () => {
      const input = withArtifacts();
      input.components.artifacts.push({ ...input.components.artifacts[0] });
      errorAt(input, 'components.artifacts[1].name');
      const missing = withArtifacts();
      delete missing.components.artifacts[0]['serialize'];
      errorAt(missing, 'components.artifacts[0].serialize');
      const media = withArtifacts();
      media.components.artifacts[0]['mediaType'] = 'png';
      assert.match(errorAt(media, 'components.artifacts[0].mediaType').message, /media type such as/);
    });

    it('checks a default of an artifact input as a reference', () => {
      const input = withArtifacts();
      input.components.modules[0].functions[0].input.push({ name: 'previous', type: 'Artifact:mask', value: 'art-1' } as never);
      assert.match(errorAt(input, 'components.modules[0].functions[0].input[1].value').message, /\{ artifact: "<id>" \}/);
    });
  });

  it('refuses a default value that does not fit its declared type', () => {
    const input = minimal();
    Object.assign(input.components.modules[0].functions[0].input[0], { value: 0.5 });
    errorAt(input, 'components.modules[0].functions[0].input[0].value');
  });

  it('refuses a wizard conditional on a later field and on a missing one', () => {
    const wizard = {
      entries: [
        { name: 'first', type: 'string', conditional: { entries: [{ name: 'second', value: true }] } },
        { name: 'second', type: 'checkbox' },
        {
          name: 'third',
          type: 'string',
          conditional: { entries: [{ name: 'ghost', value: 1 }] },
          default_conditional_on: { name: 'second', value: { true: 'x' } },
        },
      ],
    };
    const later = errorAt({ ...minimal(), wizard }, 'wizard.entries[0].conditional.entries[0].name');
    assert.match(later.message, /does not come before/);
    const missing = errorAt({ ...minimal(), wizard }, 'wizard.entries[2].conditional.entries[0].name');
    assert.match(missing.message, /no field is named "ghost"/);
    assert.equal(validateManifest({ ...minimal(), wizard }).errors.length, 2, 'default_conditional_on on an earlier field is fine');
  });

  it('lets a field inside a group depend on a field before the group', () => {
    const wizard = {
      entries: [
        { name: 'flag', type: 'checkbox' },
        {
          name: 'group',
          type: 'group',
          item_template: [{ name: 'inner', type: 'string', conditional: { entries: [{ name: 'flag', value: true }] } }],
        },
      ],
    };
    assert.deepEqual(validateManifest({ ...minimal(), wizard }).errors, []);
  });

  it('refuses allow-same-origin and top navigation in sandbox, and tokens off the allowlist', () => {
    const input = minimal();
    Object.assign(input.components.panels[0], {
      sandbox: ['allow-forms', 'allow-same-origin', 'allow-top-navigation', 'allow-pointer-lock'],
    });
    assert.equal(errorAt(input, 'components.panels[0].sandbox[1]').code, 'unsafe_sandbox');
    assert.equal(errorAt(input, 'components.panels[0].sandbox[2]').code, 'unsafe_sandbox');
    assert.equal(errorAt(input, 'components.panels[0].sandbox[3]').code, 'invalid_value');
    assert.equal(validateManifest(input).errors.length, 3);
  });

  it('refuses panel URLs that leave the app folder or are not http(s)', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,x', '../other/index.html', '/abs/index.html', '//evil.example/x']) {
      const input = minimal();
      Object.assign(input.components.panels[0], { url });
      assert.equal(errorAt(input, 'components.panels[0].url').code, 'unsafe_url', url);
    }
    const input = minimal();
    Object.assign(input.components.panels[0], { url: 'https://cdn.example.com/viewer.html' });
    assert.equal(validateManifest(input).ok, true);
  });

  it('judges a panel URL by what the browser makes of it: stripped controls, dropped tabs, encoded dots and backslashes are refused', () => {
    const disguised = [
      ' javascript:alert(document.cookie)',
      '\u0001javascript:alert(1)',
      '\u0000\u001fjavascript:alert(1)',
      'java\tscript:alert(1)',
      'java\nscript:alert(1)',
      'JavaScript:alert(1)',
      'javascript:alert(1)\u0000',
      'vbscript:x',
      'blob:https://platform.example/1',
      'file:///etc/passwd',
      '%2e%2e/other/index.html',
      '%2E%2E/%2e%2E/x.html',
      'panels/%2e%2e/%2e%2e/../x.html',
      '.%2e/x.html',
      'panels\\..\\..\\x.html',
      '\\\\evil.example/x',
      '/\\evil.example/x',
    ];
    for (const url of disguised) {
      const input = minimal();
      Object.assign(input.components.panels[0], { url });
      assert.equal(errorAt(input, 'components.panels[0].url').code, 'unsafe_url', JSON.stringify(url));
    }
    for (const url of [
      'panels/viewer/index.html?x=1#y',
      'a%20b/index.html',
      'panels/./viewer/../viewer/index.html',
      'http://127.0.0.1:8001/x/',
    ]) {
      const input = minimal();
      Object.assign(input.components.panels[0], { url });
      assert.deepEqual(validateManifest(input).errors, [], url);
    }
  });

  it('resolves page URLs to http(s) only, whatever the base', () => {
    assert.equal(resolveUrl('panels/a.html', 'https://apps.example/app/'), 'https://apps.example/app/panels/a.html');
    for (const [url, base] of [
      ['\u0001javascript:alert(1)', 'https://apps.example/app/'],
      ['%2e%2e/x.html', 'https://apps.example/app/'],
      ['panels/a.html', 'data:text/html,x/'],
    ]) {
      assert.throws(
        () => resolveUrl(url, base),
        (err: SlotbridgeError) => err.code === ErrorCode.BAD_INPUT,
        JSON.stringify([url, base]),
      );
    }
  });

  it('refuses an ${ASSET:...} reference that leaves the assets folder', () => {
    for (const file of ['%2e%2e/secret.png', '..%2fsecret.png', 'a/%2E%2E/%2e%2e/secret.png', 'a\u0000/../../b']) {
      assert.equal(errorAt({ ...minimal(), icon: `\${ASSET:${file}}` }, 'icon').code, 'bad_asset', file);
    }
    assert.equal(errorAt({ ...minimal(), icon: '${ASSET:../../secret.png}' }, 'icon').code, 'bad_asset');
    assert.equal(validateManifest({ ...minimal(), icon: '${ASSET:icons/app.svg}' }).ok, true);
  });

  it('refuses a 5 MB manifest with a message giving the limit', () => {
    const big = JSON.stringify({ ...minimal(), description: 'x'.repeat(5 * 1024 * 1024) });
    const error = errorAt(big, '');
    assert.equal(error.code, 'too_large');
    assert.match(error.message, /limit is 1\.0 MB/);
  });

  it('refuses 10,000 levels of nesting, as text and as data, without throwing', () => {
    const text = `{"name":"deep","attributes":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    assert.equal(errorAt(text, validateManifest(text).errors[0].path).code, 'too_deep');
    let nested: unknown = {};
    for (let i = 0; i < 10_000; i++) nested = { a: nested };
    const result = validateManifest({ name: 'deep', attributes: nested });
    assert.equal(result.ok, false);
  });

  it('refuses __proto__, constructor and prototype keys wherever they are', () => {
    const text =
      '{"name":"x","__proto__":{"polluted":true},"components":{"panels":[{"name":"p","supportedSlots":[],"constructor":{}}]},"attributes":{"prototype":1}}';
    const result = validateManifest(text);
    assert.deepEqual(
      result.errors
        .filter((e) => e.code === 'forbidden_key')
        .map((e) => e.path)
        .sort(),
      ['__proto__', 'attributes.prototype', 'components.panels[0].constructor'].sort(),
    );
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined, 'no prototype was touched');
  });

  it('reports every problem at once, schema and references together', () => {
    const input = { ...minimal(), version: 'one' };
    input.components.toolbars[0].invoke.namespace = 'nope';
    input.components.panels.push({ name: 'viewer', supportedSlots: [] });
    const paths = validateManifest(input).errors.map((e) => e.path);
    assert.deepEqual(paths.sort(), ['components.panels[1].name', 'components.toolbars[0].invoke.namespace', 'version']);
  });

  it('reports a wrong type with what was expected and what came', () => {
    const error = errorAt({ ...minimal(), featured: 'first' }, 'featured');
    assert.equal(error.code, 'invalid_type');
    assert.match(error.message, /Expected a number, got a string/);
  });

  it('keeps Dataloop fields and warns about components the browser does not run', () => {
    const input = { ...minimal(), codebase: { type: 'git' }, components: { ...minimal().components, services: [{ name: 's' }] } };
    const result = validateManifest(input);
    assert.equal(result.ok, true);
    assert.deepEqual(result.manifest!['codebase'], { type: 'git' });
    assert.equal(result.warnings.find((w) => w.path === 'components.services')?.code, 'component_not_run');
  });

  it('warns about slot types and invoke types the browser does not run', () => {
    const input = minimal();
    input.components.panels[0].supportedSlots = [{ type: 'annotationStudio' }];
    input.components.toolbars[0].invoke = { type: 'script', namespace: 'run' };
    const result = validateManifest(input);
    assert.equal(result.ok, true);
    assert.deepEqual(result.warnings.map((w) => w.code).sort(), ['script_not_run', 'slot_not_run']);
  });
});

describe('parseManifest', () => {
  it('throws MANIFEST_INVALID with every error in details', () => {
    assert.throws(
      () => parseManifest({ name: '..', version: 'x' }),
      (err: unknown) =>
        err instanceof SlotbridgeError &&
        err.code === ErrorCode.MANIFEST_INVALID &&
        (err.details as { errors: unknown[] }).errors.length === 2 &&
        /name:/.test(err.message),
    );
  });
});

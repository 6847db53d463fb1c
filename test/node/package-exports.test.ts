import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

describe('the built package in Node', () => {
  it('imports slotbridge/manifest through the exports map and validates with it', async () => {
    const manifest = await import('slotbridge/manifest');
    assert.equal(typeof manifest.validateManifest, 'function');
    assert.equal(manifest.validateManifest({ name: 'x', version: '1.0.0' }).ok, true);
    assert.equal(typeof manifest.manifestJsonSchema, 'object');
    assert.equal(new manifest.SlotbridgeError(manifest.ErrorCode.BAD_INPUT, 'm').code, 'BAD_INPUT');
  });

  it('imports slotbridge and slotbridge/manifest.schema.json', async () => {
    const root = await import('slotbridge');
    assert.equal(root.ErrorCode.MANIFEST_INVALID, 'MANIFEST_INVALID');
    // The values the API contract names, the two stores and the service's registry; everything else the root gives is a type.
    assert.deepEqual(Object.keys(root).sort(), [
      'ErrorCode',
      'IndexedDbStore',
      'MemoryStore',
      'SlotbridgeError',
      'createHost',
      'defineApi',
      'method',
      'remoteRegistry',
    ]);
    // The guest SDK in one file, for a hand-written app to copy beside its pages (docs/getting-started-platform.md).
    const guest = readFileSync(new URL(import.meta.resolve('slotbridge/guest/browser')), 'utf8');
    assert.match(guest, /export\s*\{[^}]*\bconnect\b/);
    assert.doesNotMatch(guest, /^import\s/m, 'it imports nothing: it runs as one file');
    const schemaPath = import.meta.resolve('slotbridge/manifest.schema.json');
    assert.equal((JSON.parse(readFileSync(new URL(schemaPath), 'utf8')) as { title: string }).title, 'slotbridge app manifest');
  });

  it('imports slotbridge/dataloop: the adapter, refusing an api that is not made of method()s', async () => {
    const { dataloopBridge } = await import('slotbridge/dataloop');
    const adapter = dataloopBridge();
    assert.equal(adapter.binds, 'load');
    assert.deepEqual(Object.keys(adapter.api ?? {}), ['settings']);
    assert.throws(() => dataloopBridge({ api: { item: { read: () => 1 } } as never }), /item\.read is not declared with method/);
    assert.throws(() => dataloopBridge({ api: { settings: {} } }), /answered by slotbridge itself/);
  });

  it('imports slotbridge/server: createServer, signUserToken and startRunner, and nothing of the browser', async () => {
    const server = await import('slotbridge/server');
    assert.deepEqual(Object.keys(server).sort(), ['createServer', 'signUserToken', 'startRunner']);
  });

  it('exports from each entry point exactly the names listed here: the public surface changes only on purpose', () => {
    // Values and types alike, as a user's TypeScript sees each entry's declarations (dist/*.d.ts).
    const surface: Record<string, string[]> = {
      '.': [
        ...[
          'ApiDefinition',
          'AppRecord',
          'AppScope',
          'AppSettings',
          'ArtifactRecord',
          'ArtifactShelf',
          'BridgeAdapter',
          'BridgeConnection',
        ],
        ...['BridgeLogEntry', 'BridgePort', 'CallContext', 'ErrorCode', 'Execution', 'FunctionExecutor', 'GuestApi', 'Host', 'HostEvents'],
        ...['HostOptions', 'IndexedDbStore', 'InstallOptions', 'Installation', 'LogSink', 'Manifest', 'MemoryStore', 'MountOptions'],
        ...['Notification', 'PanelHandle', 'PanelState', 'PublishOptions', 'Registry', 'RegistryStore', 'RemoteRegistryOptions', 'Report'],
        ...[
          'SlotbridgeError',
          'StoreWrite',
          'Theme',
          'UninstallOptions',
          'UserInfo',
          'createHost',
          'defineApi',
          'method',
          'remoteRegistry',
        ],
      ],
      './guest': [
        ...['ApiDefinition', 'AppSettings', 'ArtifactRecord', 'ConnectOptions', 'ErrorCode', 'Execution', 'GuestApi', 'GuestContext'],
        ...['GuestFunction', 'GuestHost', 'SerializedSlotbridgeError', 'SlotbridgeError', 'connect'],
      ],
      './guest/testing': ['MockHost', 'MockHostOptions', 'createMockHost'],
      './slots': [
        ...['SbAppDashboard', 'SbAppSettings', 'SbDataBrowser', 'SbDialogs', 'SbFloatingWindows', 'SbHost', 'SbInspector', 'SbItemViewer'],
        ...['SbMarketplace', 'SbRoute', 'SbSidePanel', 'SbToolbar'],
      ],
      './manifest': [
        ...['ARTIFACT_IO_TYPE', 'ArtifactReference', 'ArtifactType', 'BROWSER_SLOT_TYPES', 'BrowserSlotType', 'Dashboard', 'EntityCheck'],
        ...[
          'ErrorCode',
          'IO_TYPES',
          'IoParameter',
          'IoType',
          'Layout',
          'MAX_MANIFEST_CHARS',
          'MAX_MANIFEST_DEPTH',
          'Manifest',
          'ManifestInput',
        ],
        ...[
          'ManifestIssue',
          'ManifestIssueCode',
          'Module',
          'ModuleFunction',
          'Panel',
          'SANDBOX_ALLOWLIST',
          'SandboxToken',
          'SlotbridgeError',
        ],
        ...[
          'Toolbar',
          'ValidationResult',
          'Wizard',
          'WizardEntry',
          'artifactTypeOf',
          'hasStringId',
          'ioTypeProblem',
          'isArtifactReference',
        ],
        ...['manifestJsonSchema', 'parseManifest', 'resolveAsset', 'resolveUrl', 'validateManifest'],
      ],
      './dataloop': ['DataloopBridgeOptions', 'dataloopBridge'],
      './server': [
        'BlobStore',
        'PlatformUser',
        'Runner',
        'RunnerOptions',
        'ServerOptions',
        'SlotbridgeServer',
        'createServer',
        'signUserToken',
        'startRunner',
      ],
    };
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, string | { types: string }>;
    };
    const declared = Object.entries(pkg.exports).flatMap(([entry, target]) =>
      typeof target === 'object' ? [[entry, target.types] as const] : [],
    );
    assert.deepEqual(declared.map(([entry]) => entry).sort(), Object.keys(surface).sort(), 'every entry point with code is listed');
    const root = new URL('../../', import.meta.url);
    for (const [entry, types] of declared) {
      const file = new URL(types, root).pathname;
      const program = ts.createProgram([file], { skipLibCheck: true });
      const checker = program.getTypeChecker();
      const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
      const names = checker.getExportsOfModule(module).map((symbol) => symbol.name);
      assert.deepEqual(names.sort(), [...surface[entry]].sort(), `${entry}'s exports`);
    }
  });

  it('declares types for every entry point that has code', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> };
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'object' && target !== null) assert.ok('types' in target, `${entry} has types`);
    }
  });
});

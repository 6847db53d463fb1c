/**
 * The author's test loop that `slotbridge init` writes: a package.json whose
 * `npm test` runs web-test-runner in headless Chromium, its config (no plugins:
 * the package is native ESM), and a test of the panel's logic against
 * `createMockHost`.
 */
export function testLoopFiles(name: string, dependencies: Readonly<Record<string, string>>): Record<string, string> {
  const pkg = {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: {
      dev: 'slotbridge dev .',
      test: 'web-test-runner',
      validate: 'slotbridge validate .',
      package: 'slotbridge pack .',
    },
    devDependencies: {
      ...dependencies,
      '@web/test-runner': '^0.20.2',
      '@web/test-runner-chrome': '^0.18.1',
      chai: '^5.3.3',
    },
  };
  return {
    'package.json': `${JSON.stringify(pkg, null, 2)}\n`,
    '.gitignore': 'node_modules/\n*.zip\n',
    'web-test-runner.config.mjs': `// \`npm test\`: every test/*.test.js in headless Chrome or Chromium (the one installed here; CHROME_PATH picks another).
import { chromeLauncher } from '@web/test-runner-chrome';

// Chromium will not start as root (a container, most CI) without --no-sandbox.
const asRoot = process.getuid?.() === 0;

export default {
  files: 'test/**/*.test.js',
  nodeResolve: true,
  browsers: [chromeLauncher({ launchOptions: { executablePath: process.env.CHROME_PATH, args: asRoot ? ['--no-sandbox'] : [] } })],
};
`,
    'test/panel.test.js': `// The panel's logic against a mock host: the real protocol, permission checks and
// errors, in the same page, with no platform. Run: npm test
import { expect } from 'chai';
import { connect } from 'slotbridge/guest';
import { createMockHost } from 'slotbridge/guest/testing';
import { startPanel } from '../panels/main/panel.js';

const cat = { id: 'item-1', name: 'cat.jpg', metadata: { width: 640, height: 480 } };

/** Waits for a condition that a message from the panel makes true. */
async function until(condition) {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).to.equal(true);
}

describe('the main panel', () => {
  let mock;
  let host;
  let root;
  let stop;

  beforeEach(async () => {
    mock = createMockHost({ context: { app: '${name}', item: cat } });
    host = await connect({ port: mock.port });
    root = document.body.appendChild(document.createElement('main'));
    stop = startPanel(host, root);
  });

  afterEach(() => {
    stop();
    host.destroy();
    mock.destroy();
    root.remove();
  });

  it('shows the current item and its metadata', () => {
    expect(root.querySelector('h1').textContent).to.equal('cat.jpg');
    expect([...root.querySelectorAll('dt')].map((dt) => dt.textContent)).to.deep.equal(['width', 'height']);
  });

  it('follows the platform to the next item', async () => {
    await mock.setContext({ app: '${name}', item: { id: 'item-2', name: 'dog.jpg' } });
    await until(() => root.querySelector('h1').textContent === 'dog.jpg');
    expect(root.querySelectorAll('dt')).to.have.length(0);
  });

  it('says hello through the platform', async () => {
    root.querySelector('button').click();
    await until(() => mock.notifications.length === 1);
    expect(mock.notifications[0]).to.deep.include({ message: 'Hello from ${name}', level: 'success' });
  });

  it('follows the platform theme', async () => {
    await mock.emit('theme', 'dark');
    await until(() => root.classList.contains('dark'));
  });
});
`,
  };
}

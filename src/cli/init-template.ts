import { testLoopFiles } from './init-test-template.js';

/** The files `slotbridge init` writes: one panel and one toolbar (with `python`, a Python function and its button too), valid and runnable under `slotbridge dev`. */

/** What the new app installs for development: slotbridge, and for `python` Pyodide (slotbridge's optional peer), each by its spec. */
export type TemplateDependencies = { slotbridge: string; pyodide?: string };

export function appTemplate(name: string, title: string, dependencies: TemplateDependencies, python = false): Record<string, string> {
  const manifest = {
    name,
    displayName: title,
    version: '0.1.0',
    description: `${title}: a slotbridge app.`,
    icon: '${ASSET:icon.svg}',
    permissions: ['items:read'],
    components: {
      panels: [
        {
          name: 'main',
          displayName: title,
          supportedSlots: [
            { type: 'itemSidePanel' },
            { type: 'floatingWindow', configuration: { layout: { width: 420, height: 320, resizable: true } } },
          ],
        },
      ],
      toolbars: [
        { displayName: `Open ${title}`, location: 'itemMenu', invoke: { type: 'panel', namespace: 'main' } },
        ...(python
          ? [{ displayName: 'Describe (Python)', location: 'itemMenu', invoke: { type: 'function', namespace: 'main.describe' } }]
          : []),
      ],
      ...(python ? { modules: [PYTHON_MODULE] } : {}),
    },
  };
  return {
    ...(python ? { 'modules/main.py': PYTHON_SOURCE } : {}),
    'app.json': `${JSON.stringify(manifest, null, 2)}\n`,
    'assets/icon.svg':
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect x="3" y="3" width="18" height="18" rx="4" fill="#3f7fd9"/><path d="M8 12h8M12 8v8" stroke="#fff" stroke-width="2"/></svg>\n',
    'panels/main/index.html': `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${title}</title>
    <!-- The guest SDK ships with the app (lib/), so the packed app runs anywhere. -->
    <script type="importmap">{ "imports": { "slotbridge/guest": "../../lib/slotbridge-guest.js" } }</script>
    <style>
      body { margin: 0; font: 14px/1.5 system-ui, sans-serif; color: #1d2433; background: #fff; }
      body:has(> main.dark) { color: #e8ecf5; background: #1f2533; }
      main { padding: 12px 16px; }
      h1 { font-size: 16px; margin: 0 0 8px; }
      dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 0 0 12px; }
      dt { color: #68718a; }
      main.dark dt { color: #a9b1c6; }
    </style>
  </head>
  <body>
    <main id="app">Connecting…</main>
    <script type="module" src="./main.js"></script>
  </body>
</html>
`,
    'panels/main/main.js': `// The panel's entry: connect to the platform, then hand the host to the panel's logic (panel.js).
import { connect } from 'slotbridge/guest';
import { startPanel } from './panel.js';

const host = await connect({ autoResize: true });
startPanel(host, document.querySelector('#app'));
`,
    'panels/main/panel.js': `// The panel's logic. It takes the host as an argument, so a test can hand it
// a mock host (test/panel.test.js) and the page hands it the real one (main.js).

/** Draws the panel into \`root\` and follows the platform's changes; returns a function that stops it. */
export function startPanel(host, root) {
  const title = document.createElement('h1');
  const details = document.createElement('dl');
  const hello = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Say hello' });
  root.replaceChildren(title, details, hello);

  const show = (context) => {
    const item = context.item;
    title.textContent = item ? item.name ?? item.id : 'No item selected';
    const rows = item ? Object.entries(item.metadata ?? {}) : [];
    // Text only: nothing from the platform goes into innerHTML.
    details.replaceChildren(...rows.flatMap(([key, value]) => [
      Object.assign(document.createElement('dt'), { textContent: key }),
      Object.assign(document.createElement('dd'), { textContent: JSON.stringify(value) }),
    ]));
  };
  const applyTheme = (theme) => root.classList.toggle('dark', theme === 'dark');
  const sayHello = () => host.ui.notify({ message: \`Hello from \${host.context.app}\`, level: 'success' });

  applyTheme(host.context.theme);
  show(host.context);
  host.on('theme', applyTheme);
  host.on('context', show);
  hello.addEventListener('click', sayHello);
  return () => {
    host.off('theme', applyTheme);
    host.off('context', show);
    hello.removeEventListener('click', sayHello);
  };
}
`,
    ...testLoopFiles(name, dependencies),
    'README.md': `# ${title}

A [slotbridge](https://www.npmjs.com/package/slotbridge) app.

\`\`\`sh
npm install
npm run dev        # run it inside a local platform; panels reload on save
npm test           # the tests in test/, in headless Chromium, against a mock host
npm run validate   # check app.json
npm run package    # ${name}-0.1.0.zip, ready to publish
\`\`\`

- \`app.json\`: the manifest (what the app adds to the platform, and the permissions it asks for).
- \`panels/main/\`: the panel, a page served in a sandboxed frame. \`main.js\` connects; \`panel.js\` is the logic, given the host.
- \`test/panel.test.js\`: the panel's logic against \`createMockHost\` (the real protocol and permission checks, no platform).
- \`lib/slotbridge-guest.js\`: the guest SDK (\`slotbridge/guest\`), bundled; panels load it through their import map.
${python ? "- `modules/main.py`: Python functions, run in the browser on Pyodide (see slotbridge's docs/python.md).\n" : ''}`,
  };
}

const PYTHON_MODULE = {
  name: 'main',
  entryPoint: 'modules/main.py',
  functions: [
    {
      name: 'describe',
      displayName: 'Describe',
      description: 'One sentence about the item, from Python.',
      input: [{ name: 'item', type: 'Item' }],
      output: [{ name: 'description', type: 'String' }],
    },
  ],
};

const PYTHON_SOURCE = `\"\"\"The app's Python functions: each declared in app.json, run in the browser on Pyodide.\"\"\"
import slotbridge


def describe(item: dict) -> str:
    \"\"\"One sentence about the item; print() lines go to the app's log (and, under slotbridge dev, the terminal).\"\"\"
    metadata = item.get("metadata") or {}
    print(f"describing {item['id']}")
    facts = ", ".join(f"{key} {value}" for key, value in sorted(metadata.items()) if not isinstance(value, dict))
    return f"{item.get('name', item['id'])}" + (f": {facts}" if facts else "") + f" (project {slotbridge.context()['project']})"
`;

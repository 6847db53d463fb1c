// Dependencies point one way: no module under src/ or slots/ reaches itself
// through its imports, type-only imports included (they tie the files together
// for a reader as much as for the compiler). The imports are read and resolved
// by TypeScript itself (`preProcessFile`, `resolveModuleName`).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = new URL('../..', import.meta.url).pathname;
const folders = ['src', 'slots'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Each module's imports among the project's own modules, as paths relative to the root. */
function importGraph(): Map<string, string[]> {
  const options = ts.parseJsonConfigFileContent(
    ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile).config,
    ts.sys,
    root,
  ).options;
  const graph = new Map<string, string[]>();
  for (const file of folders.flatMap((folder) => sources(join(root, folder)))) {
    const imports = ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles;
    const own = imports.flatMap(({ fileName }) => {
      const resolved = ts.resolveModuleName(fileName, file, options, ts.sys).resolvedModule?.resolvedFileName;
      return resolved && folders.some((folder) => resolved.startsWith(join(root, folder) + '/')) ? [relative(root, resolved)] : [];
    });
    graph.set(relative(root, file), [...new Set(own)]);
  }
  return graph;
}

/** Every cycle as a chain of modules (the strongly connected components of more than one module, or one importing itself). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** The folder of a module, to one level below src/ or slots/ (`src/host/builtins/x.ts` is `src/host`). */
const folderOf = (module: string) => module.split('/').slice(0, 2).join('/');

/** The graph of folders: one folder imports another when any of its modules does (a module importing its own folder is no edge). */
function folderGraph(graph: Map<string, string[]>): Map<string, string[]> {
  const folders = new Map<string, Set<string>>();
  for (const [module, imports] of graph) {
    const from = folderOf(module);
    const to = folders.get(from) ?? new Set<string>();
    for (const imported of imports) if (folderOf(imported) !== from) to.add(folderOf(imported));
    folders.set(from, to);
  }
  return new Map([...folders].map(([folder, to]) => [folder, [...to]]));
}

describe('the import graph of src/ and slots/', () => {
  it('reads every module and its imports', () => {
    const graph = importGraph();
    assert.ok(graph.size > 100, `${graph.size} modules`);
    assert.ok(graph.get('src/index.ts')!.length > 5, 'the host barrel imports its modules');
    assert.ok(
      graph.get('src/bridge/router.ts')!.includes('src/errors/error-code.ts'),
      'imports written with .js resolve to the .ts modules',
    );
  });

  it('has no cycle', () => {
    assert.deepEqual(cycles(importGraph()), []);
  });

  it('has no cycle between folders either: each concern depends on others one way', () => {
    assert.deepEqual(cycles(folderGraph(importGraph())), []);
  });

  it("reaches src/ from slots/ only through the public entry or the elements' own door (src/for-slots.ts)", () => {
    const doors = new Set(['src/index.ts', 'src/for-slots.ts']);
    const around = [...importGraph()].flatMap(([module, imports]) =>
      module.startsWith('slots/') ? imports.filter((i) => i.startsWith('src/') && !doors.has(i)).map((i) => `${module} -> ${i}`) : [],
    );
    assert.deepEqual(around, []);
  });

  it('finds a cycle where there is one', () => {
    assert.deepEqual(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
          ['d', ['a']],
          ['e', ['e']],
        ]),
      ),
      [['a', 'b', 'c'], ['e']],
    );
  });
});

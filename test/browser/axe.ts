/**
 * Runs axe-core on an element (shadow DOM included) and returns its
 * violations as `rule: target` strings, so a failing test says what is wrong.
 */
interface AxeResults {
  violations: { id: string; nodes: { target: unknown[] }[] }[];
}
declare global {
  interface Window {
    axe?: { run(context: Element, options?: object): Promise<AxeResults> };
  }
}

let loading: Promise<void> | undefined;

function loadAxe(): Promise<void> {
  // axe-core ships a classic script, not an ES module.
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/node_modules/axe-core/axe.min.js';
    script.onload = () => resolve();
    script.onerror = () => reject(new Error('axe-core did not load'));
    document.head.append(script);
  });
  return loading;
}

export async function axeViolations(element: Element): Promise<string[]> {
  await loadAxe();
  const results = await window.axe!.run(element, { resultTypes: ['violations'] });
  return results.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)}`));
}

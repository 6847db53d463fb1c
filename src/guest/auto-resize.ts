/**
 * Keeps the host told of the document's height: in-flow content, and
 * absolutely or fixed positioned content (menus, popovers) that sticks out
 * of it. Measures at most once a frame, and only sends a changed height.
 */
export function autoResize(send: (height: number) => void): () => void {
  let last = -1;
  // A script in the head runs before there is a body (the DOM types say there always is).
  const body = (): HTMLElement | null => document.body;
  let scheduled = 0;
  const measure = (): void => {
    scheduled = 0;
    const doc = document.documentElement;
    // The html box, not scrollHeight: scrollHeight never drops below the frame's current height.
    let bottom = doc.getBoundingClientRect().height;
    for (const el of body()?.querySelectorAll('*') ?? []) {
      const position = getComputedStyle(el).position;
      if (position === 'absolute' || position === 'fixed') bottom = Math.max(bottom, el.getBoundingClientRect().bottom + scrollY);
    }
    const height = Math.ceil(bottom);
    if (height !== last) send((last = height));
  };
  const schedule = (): void => {
    scheduled ||= requestAnimationFrame(measure);
  };
  const resize = new ResizeObserver(schedule);
  resize.observe(document.documentElement);
  const start = body();
  if (start) resize.observe(start);
  const mutations = new MutationObserver(schedule);
  mutations.observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
  schedule();
  return () => {
    resize.disconnect();
    mutations.disconnect();
    cancelAnimationFrame(scheduled);
  };
}

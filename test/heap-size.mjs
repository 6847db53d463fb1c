// The JavaScript heap of a page after a full collection, from a heap
// snapshot: the self sizes of every node but the native ones. Native nodes
// include what DevTools itself keeps of each network request while a driver
// is attached, which a page without DevTools never holds; the security
// suite's soak and the bench both measure without them.
export async function jsHeapSize(cdp) {
  const chunks = [];
  const onChunk = (event) => chunks.push(event.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  }
  const { snapshot, nodes } = JSON.parse(chunks.join(''));
  const fields = snapshot.meta.node_fields;
  const native = snapshot.meta.node_types[0].indexOf('native');
  const [typeAt, sizeAt] = [fields.indexOf('type'), fields.indexOf('self_size')];
  let size = 0;
  for (let i = 0; i < nodes.length; i += fields.length) if (nodes[i + typeAt] !== native) size += nodes[i + sizeAt];
  return size;
}

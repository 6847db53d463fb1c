// `npm run bench`: the bridge benchmarks join with the bridge (see the issues); nothing to measure yet.
console.log('bench: no benchmarks yet; they arrive with the bridge.');

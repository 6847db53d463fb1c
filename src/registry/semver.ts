/** Orders semantic versions (pre-releases before their release, as semver says). */
export function compareVersions(a: string, b: string): number {
  const [coreA = '', preA] = a.split('+')[0].split(/-(.*)/s) as [string?, string?];
  const [coreB = '', preB] = b.split('+')[0].split(/-(.*)/s) as [string?, string?];
  const pa = coreA.split('.').map(Number);
  const pb = coreB.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  if (preA === preB) return 0;
  if (preA === undefined) return 1;
  if (preB === undefined) return -1;
  return preA < preB ? -1 : 1;
}

/**
 * Which files of an app folder a browser may fetch from the local servers:
 * what its pages and the platform load, and nothing else. That is the
 * manifest, the folders a package carries for the browser (`assets/`,
 * `lib/`, `panels/`), the folder of each panel page and browser module page
 * the manifest names, and the entry file of each Python module (the browser
 * runtime fetches that file alone). Server-side code (a module the
 * platform's executor runs), notes, keys and data kept beside the app are not
 * served, to any origin. A panel page at the app's root makes the root
 * public: keep private files elsewhere then.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, posix } from 'node:path';
import { validateManifest } from '../../manifest/validate.js';
import { isPythonModule } from '../../manifest/python-module.js';

/** Folders an app package carries for the browser. */
const BROWSER_FOLDERS = ['assets/', 'lib/', 'panels/'];

interface PublicSet {
  /** Folder prefixes, each ending in "/" ("" for the whole folder). */
  folders: string[];
  files: Set<string>;
}

const cache = new Map<string, { mtime: number; set: PublicSet }>();

/** Whether a URL path inside the app folder (as requested: encoded, maybe with dots) names a file that may be served. */
export function isPublicFile(manifestFile: string, urlPath: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return false;
  }
  // Judged as the file server will resolve it: `panels/../secrets.json` is `secrets.json`.
  const relative = posix.normalize(`/${decoded}`).replace(/^\/+/, '');
  if (decoded.includes('\\') || relative.startsWith('..')) return false;
  const set = publicSet(manifestFile);
  return set.files.has(relative) || set.folders.some((folder) => relative.startsWith(folder));
}

function publicSet(manifestFile: string): PublicSet {
  const mtime = statSync(manifestFile, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const cached = cache.get(manifestFile);
  if (cached && cached.mtime === mtime) return cached.set;
  const set: PublicSet = { folders: [...BROWSER_FOLDERS], files: new Set([basename(manifestFile)]) };
  let text = '';
  try {
    text = readFileSync(manifestFile, 'utf8');
  } catch {
    // No manifest to read: only the fixed folders.
  }
  // An invalid manifest (mid-edit under dev) keeps what the last valid one made public.
  const { manifest } = validateManifest(text);
  if (!manifest && cached) return cached.set;
  for (const page of [...(manifest?.components.panels ?? []), ...(manifest?.components.modules ?? [])]) {
    const url = (page as { url?: string }).url;
    const folder = url === undefined ? undefined : folderOf(url);
    if (folder !== undefined && !set.folders.includes(folder)) set.folders.push(folder);
  }
  for (const module of manifest?.components.modules ?? []) {
    if (isPythonModule(module) && typeof module.entryPoint === 'string') {
      const entry = posix.normalize(module.entryPoint.replace(/^\.\//, ''));
      if (!entry.startsWith('..')) set.files.add(entry);
    }
  }
  cache.set(manifestFile, { mtime, set });
  return set;
}

/** The folder of a relative page URL inside the app ("" for the root), or undefined for one elsewhere. */
function folderOf(url: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('/')) return undefined;
  const path = posix.normalize(url.replace(/[?#].*$/, ''));
  if (path.startsWith('..')) return undefined;
  const folder = posix.dirname(path);
  return folder === '.' ? '' : `${folder}/`;
}

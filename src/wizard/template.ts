/**
 * Fills a dashboard html box's `${hyperparams.<section>.<name>.value}` and
 * `${configuration.<name>}` references from the saved settings. Values go in
 * as text (escaped), so a setting can never add markup; the result is still
 * sanitized before it is shown. A setting not saved yet reads "not set"
 * (`<em class="unset">`), not as a gap in a sentence.
 */
import { type AppSettings, readTarget } from './app-settings.js';
import { textOf } from './text-of.js';

const UNSET = '<em class="unset">not set</em>';
const REFERENCE = /\$\{(?:hyperparams\.([^.}]+)\.([^.}]+)\.value|configuration\.([^}]+))\}/g;

export function fillTemplate(text: string, settings: AppSettings): string {
  return text.replace(REFERENCE, (_, section: string | undefined, name: string | undefined, config: string | undefined) => {
    const value =
      config !== undefined
        ? readTarget(settings, { field: 'configuration', name: config })
        : readTarget(settings, { field: 'hyperparams', section, name: name! });
    if (value === undefined || value === '') return UNSET;
    return escapeHtml(textOf(value));
  });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

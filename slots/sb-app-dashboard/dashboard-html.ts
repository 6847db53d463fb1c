import { LitElement, css, nothing, type PropertyValues } from 'lit';
import type { DOMPurify } from 'dompurify';

/** What a dashboard html box may not hold beyond DOMPurify's defaults: styles that reach the page, forms, frames, focus thieves, media. */
const FORBID_TAGS = [
  'style',
  'link',
  'meta',
  'base',
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'option',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'dialog',
  'template',
  'video',
  'audio',
  'source',
  'track',
  'picture',
  'image',
  'use',
  'feimage',
];
const FORBID_ATTR = ['id', 'name', 'autofocus', 'autoplay', 'tabindex', 'accesskey', 'formaction', 'srcset', 'ping'];
/** Attributes that make the browser fetch or go somewhere. */
const URL_ATTRS = ['src', 'href', 'xlink:href', 'poster', 'background', 'action', 'data', 'lowsrc', 'dynsrc'];
/** The only sources kept: images inside the html itself, which fetch nothing. */
export const INLINE_IMAGE = /^data:image\/(png|jpeg|gif|webp|avif);/i;
/**
 * CSS that fetches (`url()`, `image-set()`, `image()`, `cross-fade()`,
 * `element()`, `src()`, `@import`), tested on text as the CSS parser reads
 * it: escapes resolved, so `u\72l(` and `\75 rl(` are `url(`.
 */
const FETCHING_CSS = /(?:url|image-set|image|cross-fade|element|src)\s*\(|@import/i;
/** Attributes that hold words for people, never CSS: left as they are. */
const TEXT_ATTRS: ReadonlySet<string> = new Set([
  'alt',
  'title',
  'aria-label',
  'aria-description',
  'aria-roledescription',
  'class',
  'lang',
  'dir',
  'role',
  'colspan',
  'rowspan',
  'scope',
  'headers',
]);

/** Text with its CSS escapes resolved (`\72` and `\r` are both "r"), as the CSS parser sees it. */
export function cssUnescaped(text: string): string {
  return text.replace(
    /\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|([^\n\r\f0-9a-fA-F]))/g,
    (_, hex: string | undefined, char: string | undefined) => {
      if (char !== undefined) return char;
      const code = parseInt(hex!, 16);
      return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\ufffd' : String.fromCodePoint(code);
    },
  );
}

/** Whether a style text or an attribute value would make the browser fetch, read with its escapes resolved and without comments. */
export function fetchesCss(text: string): boolean {
  const read = cssUnescaped(text.replace(/\/\*[\s\S]*?(?:\*\/|$)/g, ''));
  return FETCHING_CSS.test(read) || FETCHING_CSS.test(text);
}

let purifier: Promise<DOMPurify> | undefined;

/** A DOMPurify of this module's own: its hook must not change what the platform's own DOMPurify lets through. */
async function createPurifier(): Promise<DOMPurify> {
  const { default: createDOMPurify } = await import('dompurify');
  const purify = createDOMPurify(window);
  purify.addHook('afterSanitizeAttributes', (node) => {
    for (const name of URL_ATTRS) {
      const value = node.getAttribute(name);
      if (value === null) continue;
      const link = node.tagName === 'A' && name === 'href' && /^https?:\/\//i.test(value.trim());
      if (!link && !(name === 'src' && node.tagName === 'IMG' && INLINE_IMAGE.test(value.trim()))) node.removeAttribute(name);
    }
    // A link opens a tab of its own: the platform's tab stays where it is.
    if (node.tagName === 'A' && node.hasAttribute('href')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
    // A style is kept only as the browser's own CSS parser wrote it back, and only when nothing in it fetches.
    const style = node.getAttribute('style');
    if (style !== null) {
      const parsed = document.createElement('div').style;
      parsed.cssText = style;
      if (fetchesCss(style) || fetchesCss(parsed.cssText)) node.removeAttribute('style');
      else node.setAttribute('style', parsed.cssText);
    }
    // SVG presentation attributes (fill, mask, clip-path, marker-end, filter, cursor...) are CSS too.
    for (const { name, value } of [...node.attributes]) {
      if (name !== 'style' && !TEXT_ATTRS.has(name) && !name.startsWith('aria-') && fetchesCss(value)) node.removeAttribute(name);
    }
  });
  return purify;
}

/**
 * HTML from a manifest or a guest, as a fragment safe to show: no script, no
 * event handler attribute, no URL that fetches or navigates the platform's
 * tab (remote images, media, CSS `url()`; links open a new tab), nothing of
 * the list above. DOMPurify is loaded on first use.
 */
export async function sanitizeHtml(dirty: string): Promise<DocumentFragment> {
  const purify = await (purifier ??= createPurifier());
  return purify.sanitize(dirty, { RETURN_DOM_FRAGMENT: true, FORBID_TAGS, FORBID_ATTR, ALLOW_DATA_ATTR: false });
}

/**
 * @summary A sanitized html box. Its content is painted inside the box only
 * (`contain: paint`), so no style can lay it over the page.
 */
export class SbDashboardHtml extends LitElement {
  static override properties = { html: {}, _fragment: { state: true } };
  static override styles = css`
    :host {
      display: block;
      contain: paint;
      overflow: auto;
      max-width: 100%;
    }
    :host > * {
      max-width: 100%;
    }
    /* A setting the template names that is not saved yet. */
    .unset {
      font-weight: normal;
      opacity: 0.75;
    }
  `;

  declare html: string;
  declare _fragment: DocumentFragment | undefined;
  #request = 0;

  constructor() {
    super();
    this.html = '';
    this._fragment = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('html')) return;
    const request = ++this.#request;
    void sanitizeHtml(this.html).then((fragment) => {
      if (request === this.#request) this._fragment = fragment;
    });
  }

  protected override render() {
    return this._fragment ?? nothing;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-dashboard-html': SbDashboardHtml;
  }
}

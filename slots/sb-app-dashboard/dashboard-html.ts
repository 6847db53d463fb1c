import { LitElement, css, nothing, type PropertyValues } from 'lit';

/** What a dashboard html box may not hold beyond DOMPurify's defaults: styles that reach the page, forms, frames, focus thieves. */
const FORBID_TAGS = ['style', 'link', 'meta', 'base', 'form', 'input', 'button', 'textarea', 'select', 'option', 'iframe', 'frame', 'frameset', 'object', 'embed', 'dialog', 'template'];
const FORBID_ATTR = ['id', 'name', 'autofocus', 'tabindex', 'accesskey', 'formaction', 'srcset', 'ping'];

let purifier: Promise<typeof import('dompurify')> | undefined;

/**
 * HTML from a manifest or a guest, as a fragment safe to show: no script, no
 * event handler attribute, no `javascript:` URL, nothing of the list above.
 * DOMPurify is loaded on first use.
 */
export async function sanitizeHtml(dirty: string): Promise<DocumentFragment> {
  const { default: DOMPurify } = await (purifier ??= import('dompurify'));
  return DOMPurify.sanitize(dirty, { RETURN_DOM_FRAGMENT: true, FORBID_TAGS, FORBID_ATTR, ALLOW_DATA_ATTR: false });
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

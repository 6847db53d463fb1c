import { css } from 'lit';

export const marketplaceStyles = css`
  /* The element sits on the page's own background; the cards carry the surface colour. */
  :host {
    display: block;
  }
  .bar {
    display: flex;
    gap: 12px;
    align-items: center;
    flex-wrap: wrap;
    margin-bottom: 12px;
  }
  input[type='search'] {
    font: inherit;
    color: inherit;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 4px 8px;
    min-width: 16em;
  }
  ul.apps {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(260px, 1fr));
    gap: 12px;
  }
  li.app {
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 12px;
    display: grid;
    grid-template-columns: 40px 1fr;
    /* Name, provider, then the description takes what a taller card in the row leaves: every card's buttons line up at its foot. */
    grid-template-rows: auto auto 1fr;
    gap: 4px 12px;
  }
  .icon {
    width: 40px;
    height: 40px;
    border-radius: 8px;
    background: var(--_accent);
    color: var(--_accent-fg);
    display: grid;
    place-items: center;
    font-weight: 700;
    grid-row: span 3;
    object-fit: cover;
  }
  li.app h2 {
    margin: 0;
    font-size: 1em;
  }
  .meta,
  .description {
    color: var(--_muted);
    margin: 0;
  }
  .badges {
    display: flex;
    gap: 4px;
    flex-wrap: wrap;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .badges li {
    border: 1px solid var(--_border);
    border-radius: 999px;
    padding: 0 8px;
    font-size: 0.85em;
  }
  .actions {
    grid-column: 2;
    display: flex;
    gap: 8px;
    align-items: center;
  }
  .installed {
    color: var(--_accent);
    font-weight: 600;
  }
  .error {
    color: var(--_danger);
  }
  dialog {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_fg);
    max-width: 28em;
  }
  dialog ul {
    padding-left: 1.2em;
  }
  .permissions li {
    margin-bottom: 0.4em;
  }
  .permissions .meaning {
    display: block;
    color: var(--_muted);
  }
  .done:empty {
    display: none;
  }
  .empty {
    color: var(--_muted);
  }
`;

import { css } from 'lit';

export const appDashboardStyles = css`
  :host {
    display: grid;
    /* As wide as the page gives it, however wide a box's content: wide content scrolls within its box. */
    grid-template-columns: minmax(0, 1fr);
    gap: 12px;
  }
  .line {
    display: flex;
    flex-wrap: wrap;
    gap: 12px;
    min-height: 0;
    min-width: 0;
  }
  .box {
    flex: 1 1 18rem;
    min-width: 0;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    padding: 8px 12px 12px;
    overflow: hidden;
  }
  h3 {
    margin: 0 0 8px;
    font-size: 1em;
  }
  .empty,
  .note,
  .muted {
    color: var(--_muted);
    margin: 4px 0;
  }
  .no-info {
    display: block;
    width: 100%;
    min-height: 160px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  .table-scroll {
    overflow-x: auto;
    max-width: 100%;
  }
  th,
  td {
    text-align: left;
    padding: 4px 8px;
    border-bottom: 1px solid var(--_border);
    vertical-align: top;
    overflow-wrap: anywhere;
  }
  /* Headers and short values stay whole; long values (a setting, an id) may wrap anywhere. */
  th,
  .nowrap {
    overflow-wrap: normal;
    white-space: nowrap;
  }
  .bars,
  .images {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .bars li {
    display: grid;
    grid-template-columns: minmax(4rem, auto) 1fr auto;
    gap: 8px;
    align-items: center;
  }
  .bar {
    height: 12px;
    background: var(--_accent);
    border-radius: 2px;
  }
  .images {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(140px, 1fr));
    gap: 8px;
  }
  figure {
    margin: 0;
  }
  img {
    width: 100%;
    height: auto;
    display: block;
  }
  figcaption {
    font-size: 0.85em;
    color: var(--_muted);
  }
`;

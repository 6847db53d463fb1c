import { css } from 'lit';

export const toolbarStyles = css`
  :host {
    display: block;
  }
  [role='toolbar'] {
    display: flex;
    gap: 6px;
    align-items: center;
    flex-wrap: wrap;
  }
  button img {
    width: 16px;
    height: 16px;
    vertical-align: -3px;
    margin-right: 4px;
  }
  .more {
    position: relative;
  }
  [role='menu'] {
    position: absolute;
    z-index: 10;
    margin: 4px 0 0;
    padding: 4px;
    list-style: none;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: 0 4px 16px #0003;
    min-width: 12em;
  }
  [role='menuitem'] {
    display: block;
    width: 100%;
    text-align: left;
    border: none;
  }
  .status {
    margin: 6px 0 0;
    color: var(--_muted);
  }
  .status.error {
    color: var(--_danger);
  }
`;

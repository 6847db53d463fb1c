import { css } from 'lit';

export const panelSlotStyles = css`
  :host {
    display: block;
  }
  .chooser {
    display: flex;
    gap: 8px;
    align-items: center;
    margin-bottom: 8px;
  }
  select {
    font: inherit;
    color: inherit;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 2px 6px;
  }
  [role='tablist'] {
    display: flex;
    gap: 4px;
    border-bottom: 1px solid var(--_border);
    margin-bottom: 8px;
  }
  [role='tab'] {
    border: none;
    border-bottom: 2px solid transparent;
    border-radius: 0;
    background: none;
    padding: 6px 10px;
  }
  [role='tab'][aria-selected='true'] {
    border-bottom-color: var(--_accent);
    font-weight: 600;
  }
  .frames {
    position: relative;
    /* A panel's frame is clipped to its slot: it cannot draw over the host's own controls. */
    overflow: hidden;
    contain: paint;
  }
  .frame[hidden] {
    display: none;
  }
  .frame iframe {
    display: block;
    width: 100%;
    border: 0;
  }
  .state {
    padding: 12px;
    color: var(--_muted);
  }
  .state.error {
    color: var(--_danger);
  }
`;

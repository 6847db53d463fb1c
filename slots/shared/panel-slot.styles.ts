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

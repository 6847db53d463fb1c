/** A panel that could not start, said where it was to be: what went wrong, and Retry. */
import { css, html } from 'lit';

export function panelError(label: string, message: string, retry: () => void) {
  return html`<div class="state error" role="alert">
    <p>${label} could not start: ${message}</p>
    <button @click=${retry}>Retry</button>
  </div>`;
}

/** Its look in a window (a docked slot styles `.state` with its own). */
export const panelErrorStyles = css`
  .state.error {
    margin: 0;
    padding: 8px 12px;
    color: var(--_danger);
    border-bottom: 1px solid var(--_border);
  }
  .state.error p {
    margin: 0 0 6px;
  }
`;

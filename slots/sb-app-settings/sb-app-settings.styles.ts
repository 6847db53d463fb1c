import { css } from 'lit';

export const appSettingsStyles = css`
  :host {
    display: block;
  }
  form {
    display: grid;
    gap: 12px;
    max-width: 40rem;
  }
  .field {
    display: grid;
    gap: 4px;
  }
  .field.checkbox {
    grid-template-columns: auto 1fr;
    align-items: center;
    column-gap: 8px;
  }
  .field.checkbox .info,
  .field.checkbox .error {
    grid-column: 1 / -1;
  }
  label {
    font-weight: 600;
  }
  input[type='text'],
  input[type='search'],
  textarea,
  select {
    font: inherit;
    color: inherit;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 4px 8px;
  }
  [aria-invalid='true'] {
    border-color: var(--_danger);
  }
  .info {
    color: var(--_muted);
  }
  .error,
  .required {
    color: var(--_danger);
  }
  fieldset {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    display: grid;
    gap: 12px;
    padding: 8px 12px 12px;
  }
  fieldset > div {
    display: grid;
    gap: 12px;
  }
  [hidden] {
    display: none !important;
  }
  legend {
    font-weight: 600;
    padding: 0 4px;
  }
  .toggle {
    border: none;
    padding: 0;
    background: none;
    font-weight: 600;
  }
  .toggle::before {
    content: '▾ ';
  }
  .toggle[aria-expanded='false']::before {
    content: '▸ ';
  }
  .actions {
    display: flex;
    gap: 12px;
    align-items: center;
  }
  .empty {
    color: var(--_muted);
  }
  textarea:focus-visible,
  select:focus-visible {
    outline: none;
    box-shadow: var(--_focus);
  }
`;

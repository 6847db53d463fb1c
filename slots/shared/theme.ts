import { css } from 'lit';

/**
 * The design tokens every slot element reads, as CSS custom properties with
 * light defaults; a platform sets them (or `theme="dark"` on the element) to
 * match its own look.
 */
export const themeStyles = css`
  :host {
    --_bg: var(--sb-color-background, #ffffff);
    --_fg: var(--sb-color-text, #1d2433);
    --_muted: var(--sb-color-muted, #5b6577);
    --_border: var(--sb-color-border, #d5dbe6);
    --_accent: var(--sb-color-accent, #2f5fd0);
    --_accent-fg: var(--sb-color-on-accent, #ffffff);
    --_danger: var(--sb-color-danger, #b3261e);
    --_radius: var(--sb-radius, 6px);
    --_focus: var(--sb-focus-ring, 0 0 0 3px color-mix(in srgb, var(--_accent) 45%, transparent));
    color: var(--_fg);
    font: var(--sb-font, 14px/1.45 system-ui, sans-serif);
  }
  :host([theme='dark']),
  :host([data-host-theme='dark']:not([theme='light'])) {
    --_bg: var(--sb-color-background, #1f2533);
    --_fg: var(--sb-color-text, #e8ecf5);
    --_muted: var(--sb-color-muted, #aab3c5);
    --_border: var(--sb-color-border, #3a4357);
    --_accent: var(--sb-color-accent, #8fb0ff);
    --_accent-fg: var(--sb-color-on-accent, #10162a);
  }
  button {
    font: inherit;
    border-radius: var(--_radius);
    border: 1px solid var(--_border);
    background: var(--_bg);
    color: var(--_fg);
    padding: 4px 12px;
    cursor: pointer;
  }
  select {
    font: inherit;
    color: inherit;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 2px 6px;
  }
  /* Links in the theme's accent (a browser's default blue and purple are unreadable on the dark background). */
  a {
    color: var(--_accent);
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-fg);
  }
  button:focus-visible,
  input:focus-visible,
  [role='tab']:focus-visible {
    outline: none;
    box-shadow: var(--_focus);
  }
`;

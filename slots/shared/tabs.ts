/** What the tab lists of the slot elements share: their styles and their keys. */
import { css } from 'lit';

export const tabStyles = css`
  [role='tablist'] {
    display: flex;
    gap: 4px;
    border-bottom: 1px solid var(--_border);
    margin-bottom: 8px;
    /* More tabs than the width holds scroll within the list, never widen the page. */
    overflow-x: auto;
    scrollbar-width: thin;
  }
  [role='tab'] {
    flex: none;
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
`;

/**
 * Arrow keys, Home and End move between the tabs of `root` (the WAI-ARIA tabs
 * pattern, automatic activation: the tab is clicked, then focused once `done`).
 */
export function moveBetweenTabs(root: ParentNode, event: KeyboardEvent, done: Promise<unknown>): void {
  const tabs = [...root.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const current = tabs.findIndex((t) => t.getAttribute('aria-selected') === 'true');
  const next = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: tabs.length - 1 }[event.key];
  if (next === undefined) return;
  event.preventDefault();
  const target = tabs[(next + tabs.length) % tabs.length];
  target.click();
  void done.then(() => target.focus());
}

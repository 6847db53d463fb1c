/**
 * Keeps panels from taking the keyboard: focus may enter a panel's frame only
 * when the user sends it there (the pointer is over that frame, or Tab moved
 * focus). Otherwise (a guest calling `focus()` on its own) the host's
 * previously focused control gets focus back.
 */
export class FocusGuard {
  #lastHostFocus: HTMLElement | undefined;
  #hovered: HTMLIFrameElement | undefined;
  readonly #frames = new Map<HTMLIFrameElement, () => void>();
  #tabbing = false;
  readonly #onRefused: (frame: HTMLIFrameElement) => void;

  constructor(onRefused: (frame: HTMLIFrameElement) => void) {
    this.#onRefused = onRefused;
    document.addEventListener('focusin', this.#onFocusIn, true);
    document.addEventListener('keydown', this.#onKeyDown, true);
    document.addEventListener('pointerdown', this.#onPointerDown, true);
    // Focus moving into a frame on another process fires no focus event on the iframe element:
    // the host window blurs, and the iframe becomes the active element.
    window.addEventListener('blur', this.#onWindowBlur);
  }

  /** Guards one frame; returns what stops guarding it. */
  watch(frame: HTMLIFrameElement): () => void {
    const enter = () => (this.#hovered = frame);
    const leave = () => {
      if (this.#hovered === frame) this.#hovered = undefined;
    };
    const focus = () => {
      if (this.#hovered === frame || this.#tabbing) return;
      const back = this.#lastHostFocus;
      if (back?.isConnected) back.focus();
      else frame.blur();
      this.#onRefused(frame);
    };
    frame.addEventListener('pointerenter', enter);
    frame.addEventListener('pointerleave', leave);
    frame.addEventListener('focus', focus);
    this.#frames.set(frame, focus);
    return () => {
      leave();
      this.#frames.delete(frame);
      frame.removeEventListener('pointerenter', enter);
      frame.removeEventListener('pointerleave', leave);
      frame.removeEventListener('focus', focus);
    };
  }

  destroy(): void {
    document.removeEventListener('focusin', this.#onFocusIn, true);
    document.removeEventListener('keydown', this.#onKeyDown, true);
    document.removeEventListener('pointerdown', this.#onPointerDown, true);
    window.removeEventListener('blur', this.#onWindowBlur);
    this.#frames.clear();
    this.#lastHostFocus = undefined;
    this.#hovered = undefined;
  }

  #onFocusIn = (event: FocusEvent): void => {
    const target = event.composedPath()[0];
    if (target instanceof HTMLElement && !(target instanceof HTMLIFrameElement)) this.#lastHostFocus = target;
  };

  #onKeyDown = (event: KeyboardEvent): void => {
    this.#tabbing = event.key === 'Tab';
  };

  #onPointerDown = (): void => {
    this.#tabbing = false;
  };

  #onWindowBlur = (): void => {
    const active = document.activeElement;
    if (active instanceof HTMLIFrameElement) this.#frames.get(active)?.();
  };
}

import { useEffect, useRef } from 'react';

/** True when the key press is meant as text for a field, so single-letter shortcuts must not fire. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit'].includes(type);
  }
  return false;
}

/**
 * The digit of an Alt+digit press, read from `code` because on some layouts Alt changes `key`.
 * Returns 1..9 and 10 for Alt+0, or null.
 */
export function altDigit(e: KeyboardEvent): number | null {
  if (!e.altKey || e.ctrlKey || e.metaKey) return null;
  const m = /^(?:Digit|Numpad)(\d)$/.exec(e.code);
  if (!m) return null;
  const d = Number(m[1]);
  return d === 0 ? 10 : d;
}

/** Window-level keydown listener that always sees the latest handler without re-subscribing. */
export function useKeydown(handler: (e: KeyboardEvent) => void, enabled = true): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!enabled) return;
    const listener = (e: KeyboardEvent) => ref.current(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, [enabled]);
}

/** The value after the user stopped typing for `ms`. */
export function useDebounced<T>(value: T, ms: number, onSettle: (v: T) => void): void {
  const cb = useRef(onSettle);
  cb.current = onSettle;
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const id = setTimeout(() => cb.current(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
}

/** The key that calls the selected number on an account screen (listed in the help overlay). */
export const CALL_KEY = 'c';

/**
 * The call button the call key presses: the one in the contact row holding the focus, else the
 * first enabled one (the rules and the softphone decide which are enabled). Null when none may call.
 */
export function callButtonFor(root: ParentNode, focused: Element | null): HTMLButtonElement | null {
  const row = focused?.closest('[data-testid="contact-point"]');
  const own = row?.querySelector<HTMLButtonElement>('[data-testid="call-button"]');
  if (own) return own.disabled ? null : own;
  return root.querySelector<HTMLButtonElement>('[data-testid="call-button"]:not(:disabled)');
}

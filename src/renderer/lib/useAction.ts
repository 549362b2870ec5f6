import { useCallback, useEffect, useState } from 'react';
import { toUiError, type UiError } from './errors';

/**
 * The busy flag and the failure of the actions a component starts (save, send, decide): busy
 * while one runs, its failure as a UiError to show with errorText. `run` resolves to whether the
 * action succeeded; with `onError` the failure goes there instead (e.g. to a form field).
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiError | null>(null);
  const run = useCallback(async (fn: () => Promise<unknown>, opts: { onError?: (e: UiError) => void } = {}): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      return true;
    } catch (e) {
      const ui = toUiError(e);
      if (opts.onError) opts.onError(ui);
      else setError(ui);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}

/**
 * What a screen loads when it opens (and again when `deps` change): null until it comes, or the
 * failure. An answer for older deps is dropped.
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): { data: T | null; error: UiError | null } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  useEffect(() => {
    let live = true;
    setError(null);
    load().then(
      (d) => {
        if (live) setData(d);
      },
      (e) => {
        if (live) setError(toUiError(e));
      },
    );
    return () => {
      live = false;
    };
  }, deps);
  return { data, error };
}

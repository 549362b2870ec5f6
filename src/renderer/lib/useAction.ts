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

/**
 * A list a team lead works through (hardship claims, unknown senders…): loaded when the component
 * opens, and `act` runs one action on an item then reloads, so the list always shows the server's
 * state; either failure is the list's `error`.
 */
export function useWorkList<T>(load: () => Promise<T[]>) {
  const [items, setItems] = useState<T[]>([]);
  const [error, setError] = useState<UiError | null>(null);
  const reload = useCallback(async () => {
    try {
      setItems(await load());
      setError(null);
    } catch (e) {
      setError(toUiError(e));
    }
  }, [load]);
  useEffect(() => {
    void reload();
  }, [reload]);
  const act = useCallback(
    async (fn: () => Promise<unknown>): Promise<boolean> => {
      try {
        await fn();
      } catch (e) {
        setError(toUiError(e));
        return false;
      }
      await reload();
      return true;
    },
    [reload],
  );
  return { items, error, setError, reload, act };
}

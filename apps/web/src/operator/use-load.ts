import { useCallback, useEffect, useState } from 'react';

/** Loads data for a view, with a `reload` for after changes; errors go to the view and to `onError`. */
export function useLoad<T>(load: () => Promise<T>, onError: (error: unknown) => void) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let cancelled = false;
    void generation;
    load().then(
      (value) => {
        if (cancelled) return;
        setData(value);
        setError(null);
      },
      (cause: unknown) => {
        if (cancelled) return;
        setError(cause instanceof Error ? cause.message : String(cause));
        onError(cause);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [load, onError, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { data, error, reload };
}

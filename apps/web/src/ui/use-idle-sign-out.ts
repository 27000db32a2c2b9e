import { useCallback, useEffect, useRef, useState } from 'react';

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'mousemove'] as const;

export interface IdleSignOutOptions {
  /** The server's idle timeout; its timer restarts with every keep-alive. */
  idleTimeoutSeconds: number;
  /** Resets the server's idle timer. */
  keepAlive: () => Promise<unknown>;
  /** Called once when the idle time has passed. */
  onTimeout: () => void;
  /** When the server's idle timer runs out now (from the session), if known. */
  idleExpiresAt?: string;
  now?: () => number;
}

export interface IdleSignOutState {
  /** Seconds left before sign-out while the warning shows, otherwise null. */
  warningSecondsLeft: number | null;
  staySignedIn: () => void;
}

/**
 * Mirrors the server's inactivity timeout in the page. Activity (pointer, keys) sends a keep-alive at
 * most every `keepAliveEvery` so the server's timer restarts; with no activity, a warning with a
 * countdown opens shortly before the timeout, and only "stay signed in" dismisses it.
 */
export function useIdleSignOut({
  idleTimeoutSeconds,
  keepAlive,
  onTimeout,
  idleExpiresAt,
  now = Date.now,
}: IdleSignOutOptions) {
  const idleMs = idleTimeoutSeconds * 1000;
  const warnMs = Math.min(60_000, Math.floor(idleMs / 3));
  const keepAliveEveryMs = Math.max(5_000, Math.min(60_000, Math.floor(idleMs / 4)));
  const serverDeadline = idleExpiresAt ? Date.parse(idleExpiresAt) : Number.NaN;
  const deadline = useRef(Number.isFinite(serverDeadline) ? serverDeadline : now() + idleMs);
  const lastKeepAlive = useRef(now());
  const lastActivity = useRef(now());
  const warning = useRef(false);
  const timedOut = useRef(false);
  const [warningSecondsLeft, setWarningSecondsLeft] = useState<number | null>(null);

  const refresh = useCallback(() => {
    const sentAt = now();
    lastKeepAlive.current = sentAt;
    void keepAlive().then(
      () => {
        deadline.current = sentAt + idleMs;
      },
      () => {
        // A failed keep-alive leaves the deadline as it was; the countdown then tells the truth.
      },
    );
  }, [keepAlive, idleMs, now]);

  useEffect(() => {
    const onActivity = () => {
      lastActivity.current = now();
    };
    for (const event of ACTIVITY_EVENTS) window.addEventListener(event, onActivity, { passive: true });
    const timer = window.setInterval(() => {
      if (timedOut.current) return;
      const current = now();
      if (
        !warning.current &&
        lastActivity.current > lastKeepAlive.current &&
        current - lastKeepAlive.current >= keepAliveEveryMs
      ) {
        refresh();
      }
      const left = deadline.current - current;
      if (left <= 0) {
        timedOut.current = true;
        setWarningSecondsLeft(null);
        onTimeout();
        return;
      }
      if (left <= warnMs) {
        warning.current = true;
        setWarningSecondsLeft(Math.ceil(left / 1000));
      } else if (warning.current) {
        warning.current = false;
        setWarningSecondsLeft(null);
      }
    }, 1000);
    return () => {
      window.clearInterval(timer);
      for (const event of ACTIVITY_EVENTS) window.removeEventListener(event, onActivity);
    };
  }, [keepAliveEveryMs, warnMs, refresh, onTimeout, now]);

  const staySignedIn = useCallback(() => {
    warning.current = false;
    setWarningSecondsLeft(null);
    deadline.current = now() + idleMs;
    refresh();
  }, [refresh, idleMs, now]);

  return { warningSecondsLeft, staySignedIn } satisfies IdleSignOutState;
}

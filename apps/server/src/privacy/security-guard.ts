/**
 * Temporary blocks after repeated failures. The decision is made in memory on the real address at
 * request time; the address never leaves this map, which forgets it when its window and block end.
 * What is stored for the operator's security view is the anonymised form only (see usage-log.ts).
 */
export interface SecurityGuardOptions {
  blockAfterFailures: number;
  failureWindowSeconds: number;
  blockDurationSeconds: number;
}

interface AddressState {
  windowStart: number;
  failures: number;
  blockedUntil: number;
}

export interface FailureOutcome {
  /** This failure started a block ending at that time. */
  blockedUntil: Date | null;
  failures: number;
}

export interface SecurityGuard {
  /** The time the address is blocked until, or null. */
  blockedUntil(address: string, now: Date): Date | null;
  recordFailure(address: string, now: Date): FailureOutcome;
  /** Drops addresses whose window and block are over. */
  prune(now: Date): void;
  size(): number;
}

/** 4xx answers that suggest probing or abuse (not our own block answers, which would compound). */
export function isFailureStatus(status: number): boolean {
  return status >= 400 && status < 500;
}

export function createSecurityGuard(options: SecurityGuardOptions): SecurityGuard {
  const states = new Map<string, AddressState>();
  const windowMs = options.failureWindowSeconds * 1000;
  const blockMs = options.blockDurationSeconds * 1000;

  return {
    blockedUntil(address, now) {
      const state = states.get(address);
      if (!state || state.blockedUntil <= now.getTime()) return null;
      return new Date(state.blockedUntil);
    },
    recordFailure(address, now) {
      const time = now.getTime();
      let state = states.get(address);
      if (!state || time - state.windowStart > windowMs) {
        state = { windowStart: time, failures: 0, blockedUntil: state?.blockedUntil ?? 0 };
        states.set(address, state);
      }
      state.failures += 1;
      if (state.failures >= options.blockAfterFailures && state.blockedUntil <= time) {
        state.blockedUntil = time + blockMs;
        const failures = state.failures;
        state.failures = 0;
        state.windowStart = time;
        return { blockedUntil: new Date(state.blockedUntil), failures };
      }
      return { blockedUntil: null, failures: state.failures };
    },
    prune(now) {
      const time = now.getTime();
      for (const [address, state] of states) {
        if (state.blockedUntil <= time && time - state.windowStart > windowMs) states.delete(address);
      }
    },
    size: () => states.size,
  };
}

import type { TeamEvent } from '@mailissa/contracts';
import type { Database, Queryable } from '../db/database.js';

/** The channel on which PostgreSQL fans Team changes out to every server (decision 051). */
export const TEAM_EVENTS_CHANNEL = 'mailissa_team';

type Listener = (event: TeamEvent) => void;

/**
 * Live Team updates for the event streams of this process. A change is announced inside the
 * transaction that makes it (`announceTeamEvent`): PostgreSQL delivers the NOTIFY on commit to every
 * server that LISTENs, this one included, so two instances behind a load balancer see the same.
 * PGlite has no other process to tell; there the change's caller hands the events over after the
 * commit (`deliverTeamEvents`). Subscribers are kept per team.
 */
export class TeamEventHub {
  private readonly byTeam = new Map<string, Set<Listener>>();
  private unlisten: (() => Promise<void>) | null = null;

  constructor(private readonly db: Database) {}

  /** Whether events reach this process through NOTIFY (else the caller delivers them itself). */
  get fansOutThroughDatabase(): boolean {
    return this.unlisten !== null;
  }

  async start(): Promise<void> {
    hubs.set(this.db, this);
    if (!this.db.listen) return;
    this.unlisten = await this.db.listen(
      TEAM_EVENTS_CHANNEL,
      (payload) => {
        const event = parseEvent(payload);
        if (event) this.dispatch(event);
      },
      // Notices may have been lost while the connection was down: every stream refreshes.
      () => {
        for (const teamId of this.byTeam.keys()) {
          this.dispatch({ type: 'team', teamId, teamMailId: null, actorUserId: null });
        }
      },
    );
  }

  async stop(): Promise<void> {
    if (hubs.get(this.db) === this) hubs.delete(this.db);
    await this.unlisten?.();
    this.unlisten = null;
  }

  subscribe(teamId: string, listener: Listener): () => void {
    const set = this.byTeam.get(teamId) ?? new Set<Listener>();
    set.add(listener);
    this.byTeam.set(teamId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.byTeam.delete(teamId);
    };
  }

  /** How many streams are open in this process (the benchmark checks it). */
  get subscriberCount(): number {
    let count = 0;
    for (const set of this.byTeam.values()) count += set.size;
    return count;
  }

  dispatch(event: TeamEvent): void {
    const listeners = this.byTeam.get(event.teamId);
    if (!listeners) return;
    for (const listener of listeners) listener(event);
  }
}

const hubs = new WeakMap<Database, TeamEventHub>();

function parseEvent(payload: string): TeamEvent | null {
  try {
    const value = JSON.parse(payload) as Partial<TeamEvent>;
    if (
      (value.type === 'mail' || value.type === 'presence' || value.type === 'team') &&
      typeof value.teamId === 'string'
    ) {
      return {
        type: value.type,
        teamId: value.teamId,
        teamMailId: typeof value.teamMailId === 'string' ? value.teamMailId : null,
        actorUserId: typeof value.actorUserId === 'string' ? value.actorUserId : null,
      };
    }
  } catch {
    // Not ours: another version's payload; ignored.
  }
  return null;
}

/** Announces a change in the caller's transaction; PostgreSQL sends it only if the transaction commits. */
export async function announceTeamEvent(tx: Queryable, event: TeamEvent): Promise<void> {
  await tx.query('select pg_notify($1, $2)', [TEAM_EVENTS_CHANNEL, JSON.stringify(event)]);
}

/**
 * After the commit: on a database without LISTEN (PGlite, one process) hands the events to this
 * process's streams; with LISTEN they arrive through NOTIFY and nothing is done here.
 */
export function deliverTeamEvents(db: Database, events: readonly TeamEvent[]): void {
  const hub = hubs.get(db);
  if (!hub || hub.fansOutThroughDatabase) return;
  for (const event of events) hub.dispatch(event);
}

import type { TeamEvent } from './team-api.js';

/**
 * Follows a team's server-sent events (`GET /api/team/teams/:teamId/events`). EventSource cannot send
 * the bearer token, so the stream is read with fetch; when it ends or fails it reconnects after a
 * second (and `onReconnect` lets the caller reload what it may have missed). Returns a stop function.
 */
export function followTeamEvents(options: {
  teamId: string;
  getAccessToken: () => Promise<string>;
  onEvent: (event: TeamEvent) => void;
  onConnected?: (connected: boolean) => void;
}): () => void {
  const controller = new AbortController();
  let first = true;
  const run = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      try {
        const response = await fetch(`/api/team/teams/${options.teamId}/events`, {
          headers: { authorization: `Bearer ${await options.getAccessToken()}`, accept: 'text/event-stream' },
          signal: controller.signal,
        });
        if (!response.ok || !response.body) throw new Error(`events: ${response.status}`);
        options.onConnected?.(true);
        // After a reconnect the caller reloads: events sent while we were away are not replayed.
        if (!first)
          options.onEvent({ type: 'team', teamId: options.teamId, teamMailId: null, actorUserId: null });
        first = false;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block
              .split('\n')
              .filter((line) => line.startsWith('data:'))
              .map((line) => line.slice(5).trim())
              .join('\n');
            if (data) {
              try {
                options.onEvent(JSON.parse(data) as TeamEvent);
              } catch {
                // Not an event of ours; skipped.
              }
            }
            end = buffer.indexOf('\n\n');
          }
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      options.onConnected?.(false);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  void run();
  return () => controller.abort();
}

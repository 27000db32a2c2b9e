import { describe, expect, it } from 'vitest';
import type { JobDefinition } from './job-definition.js';
import type { JobQueue } from './job-queue.js';
import { registerJobs } from './register-jobs.js';

function recordingQueue(): { queue: JobQueue; calls: string[] } {
  const calls: string[] = [];
  const queue: JobQueue = {
    createQueue: async (name) => void calls.push(`create ${name}`),
    send: async () => null,
    work: async (name) => void calls.push(`work ${name}`),
    fail: async () => undefined,
    schedule: async (name, cron) => void calls.push(`schedule ${name} ${cron}`),
    stop: async () => undefined,
  };
  return { queue, calls };
}

const definitions: JobDefinition[] = [
  { queue: 'transfer', workers: 2, handler: async () => undefined },
  { queue: 'retention', cron: '17 3 * * *', handler: async () => undefined },
];

describe('registering the jobs of a process', () => {
  it('creates every queue, starts its workers and sets its schedule in a process that works jobs', async () => {
    const { queue, calls } = recordingQueue();
    await registerJobs(queue, definitions);
    expect(calls).toEqual([
      'create transfer',
      'work transfer',
      'work transfer',
      'create retention',
      'work retention',
      'schedule retention 17 3 * * *',
    ]);
  });

  it('only creates the queues in a process that serves requests (PROCESS_ROLE=api)', async () => {
    const { queue, calls } = recordingQueue();
    await registerJobs(queue, definitions, { work: false });
    expect(calls).toEqual(['create transfer', 'create retention']);
  });
});

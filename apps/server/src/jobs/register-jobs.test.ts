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

  it('holds every job until the process is ready to take it (a demo server listening)', async () => {
    const handlers: Array<
      (job: { id: string; name: string; data: object; retryCount: number }) => Promise<void>
    > = [];
    const queue: JobQueue = {
      ...recordingQueue().queue,
      work: async (_name, handler) => {
        handlers.push(handler as (typeof handlers)[number]);
      },
    };
    const ran: string[] = [];
    let listen: () => void = () => undefined;
    const listening = new Promise<void>((resolve) => {
      listen = resolve;
    });
    await registerJobs(queue, [{ queue: 'mail', handler: async (job) => void ran.push(job.id) }], {
      work: true,
      startWhen: listening,
    });
    const running = handlers[0]?.({ id: 'job-1', name: 'mail', data: {}, retryCount: 0 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toEqual([]);
    listen();
    await running;
    expect(ran).toEqual(['job-1']);
  });
});

import { describe, expect, it } from 'vitest';
import { WorkerWakeups } from './worker-wakeups.js';

function wakeupsOf(workers: string[]) {
  const woken: string[] = [];
  const wakeups = new WorkerWakeups((workerId) => woken.push(workerId));
  for (const workerId of workers) wakeups.add('transfer', workerId);
  return { wakeups, woken };
}

describe('waking workers for sent jobs', () => {
  it('wakes one worker per job, taking turns', () => {
    const { wakeups, woken } = wakeupsOf(['a', 'b', 'c']);
    for (let job = 0; job < 4; job++) wakeups.wakeOne('transfer');
    expect(woken).toEqual(['a', 'b', 'c', 'a']);
  });

  it('passes over workers running a job, and wakes none when all are busy', () => {
    const { wakeups, woken } = wakeupsOf(['a', 'b', 'c']);
    wakeups.started('transfer', 'a');
    wakeups.started('transfer', 'b');
    wakeups.wakeOne('transfer');
    wakeups.started('transfer', 'c');
    wakeups.wakeOne('transfer');
    expect(woken).toEqual(['c']);
    wakeups.finished('transfer', 'b');
    wakeups.wakeOne('transfer');
    expect(woken).toEqual(['c', 'b']);
  });

  it('wakes every worker of a queue when there may be several jobs, and none of another queue', () => {
    const { wakeups, woken } = wakeupsOf(['a', 'b']);
    wakeups.add('mail', 'm');
    wakeups.started('transfer', 'a');
    wakeups.wakeAll('transfer');
    wakeups.wakeOne('unknown');
    expect(woken).toEqual(['a', 'b']);
    expect(wakeups.queueNames()).toEqual(['transfer', 'mail']);
  });
});

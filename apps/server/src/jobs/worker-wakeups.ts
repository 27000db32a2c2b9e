/**
 * Which of a process's workers a queue's news wakes (decision 172). pg-boss workers sleep between
 * fetches; a woken one fetches at once. A sent job is one job: waking every worker of its queue made
 * all but one of them fetch nothing, and those empty fetches were most of the queue's database work.
 * So a sent job wakes one worker that is not running a job, taking turns. A worker running a job is
 * left alone: it fetches again the moment it finishes. News that may stand for several jobs (the
 * scan for jobs that came due, a reconnect after notices may have been lost) wakes them all.
 *
 * None is lost: a worker woken while it fetches fetches once more before it sleeps (pg-boss keeps
 * the notice), and the scan for due jobs wakes every worker of a queue with work left.
 */
export class WorkerWakeups {
  private readonly queues = new Map<string, { workers: string[]; running: Set<string>; next: number }>();

  constructor(private readonly notify: (workerId: string) => void) {}

  /** The queues that have a worker in this process. */
  queueNames(): string[] {
    return [...this.queues.keys()];
  }

  add(queue: string, workerId: string): void {
    const entry = this.queues.get(queue) ?? { workers: [], running: new Set<string>(), next: 0 };
    entry.workers.push(workerId);
    this.queues.set(queue, entry);
  }

  /** Marks a worker as running a job, until `finished`. */
  started(queue: string, workerId: string): void {
    this.queues.get(queue)?.running.add(workerId);
  }

  finished(queue: string, workerId: string): void {
    this.queues.get(queue)?.running.delete(workerId);
  }

  /** One new job: wakes the next worker of the queue that is not running one, if any. */
  wakeOne(queue: string): void {
    const entry = this.queues.get(queue);
    if (!entry) return;
    const count = entry.workers.length;
    for (let step = 0; step < count; step++) {
      const index = (entry.next + step) % count;
      const workerId = entry.workers[index];
      if (workerId === undefined || entry.running.has(workerId)) continue;
      entry.next = (index + 1) % count;
      this.notify(workerId);
      return;
    }
  }

  /** Perhaps several jobs: wakes every worker of the queue. */
  wakeAll(queue: string): void {
    for (const workerId of this.queues.get(queue)?.workers ?? []) this.notify(workerId);
  }
}

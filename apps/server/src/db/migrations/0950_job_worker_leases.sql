-- Which worker process runs which job, so a job of a process that died (kill -9, a lost host) is
-- handed to another worker within seconds instead of after the queue's expiry (jobs/worker-leases.ts).
-- Operational rows only: no tenant, no personal data.
create table job_workers (
  id uuid primary key,
  role text not null check (role in ('all', 'worker')),
  started_at timestamptz not null default now(),
  seen_at timestamptz not null default now()
);

create table job_leases (
  job_id uuid primary key,
  queue text not null check (length(queue) <= 200),
  worker_id uuid not null references job_workers (id) on delete cascade,
  started_at timestamptz not null default now()
);

create index job_leases_worker on job_leases (worker_id);

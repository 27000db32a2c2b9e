-- Where each written file is in the target (a drive item id), so a failed, cancelled or replaced
-- transfer can delete exactly what it wrote, even when the target's folder changed since.
alter table transfer_files add column location text check (length(location) <= 1024);

-- Credit notes get their own gapless series per year (CN-YYYY-NNNNN), beside the invoices' YYYY-NNNNN;
-- each credit note names the invoice it corrects and why; every issued document records when it was
-- mailed to the buyer, so a retried mail job sends it once. See docs/decisions/115 and 116.

alter table invoice_counters add column series text not null default 'invoice'
  check (series in ('invoice', 'credit_note'));
alter table invoice_counters drop constraint invoice_counters_pkey;
alter table invoice_counters add primary key (series, year);

alter table invoices drop constraint invoices_year_sequence_key;
alter table invoices add constraint invoices_kind_year_sequence_key unique (kind, year, sequence);
-- Why the operator credited (shown on the credit note); the provider's credit note that refunded it.
alter table invoices add column reason text check (length(reason) between 1 and 500);
alter table invoices add column provider_credit_note_id text unique;
alter table invoices add constraint invoices_credit_note_corrects
  check ((kind = 'credit_note') = (corrects_invoice_id is not null));
alter table invoices add column mailed_at timestamptz;

-- Issued means final: only the payment date and the mailing date may still be set (each once), and the
-- link to the account may go when the account is deleted (the buyer snapshot stays).
create or replace function invoices_immutable() returns trigger language plpgsql as $$
begin
  if (to_jsonb(new) - 'paid_at' - 'account_id' - 'mailed_at')
       is distinct from (to_jsonb(old) - 'paid_at' - 'account_id' - 'mailed_at')
     or (old.paid_at is not null and new.paid_at is distinct from old.paid_at)
     or (old.mailed_at is not null and new.mailed_at is distinct from old.mailed_at)
     or (new.account_id is not null and new.account_id is distinct from old.account_id) then
    raise exception 'invoice % is issued and cannot be changed; issue a credit note', old.number
      using errcode = 'check_violation';
  end if;
  return new;
end $$;

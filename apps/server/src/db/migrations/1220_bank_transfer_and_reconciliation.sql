-- Pay on invoice (bank transfer) beside card and SEPA Direct Debit, and what the operator reconciles:
-- how a subscription is collected, when an invoice paid by transfer is due, and how each invoice was
-- paid. See docs/decisions/143.

-- charge_automatically: card or SEPA debit charged by the provider; send_invoice: the buyer transfers
-- the amount by the due date and the operator records the payment.
alter table subscriptions add column collection_method text not null default 'charge_automatically'
  check (collection_method in ('charge_automatically', 'send_invoice'));

-- When an unpaid invoice is due (bank transfer); null for invoices collected at once.
alter table invoices add column due_at timestamptz;
-- How the invoice was paid, set with paid_at (card, SEPA debit, or bank transfer recorded by the operator).
alter table invoices add column payment_method text
  check (payment_method in ('card', 'sepa_debit', 'bank_transfer'));

-- Issued means final: only the payment (date and method), the mailing date (each once) and the link to
-- the account (when the account is deleted) may still change.
create or replace function invoices_immutable() returns trigger language plpgsql as $$
begin
  if (to_jsonb(new) - 'paid_at' - 'payment_method' - 'account_id' - 'mailed_at')
       is distinct from (to_jsonb(old) - 'paid_at' - 'payment_method' - 'account_id' - 'mailed_at')
     or (old.paid_at is not null and new.paid_at is distinct from old.paid_at)
     or (old.payment_method is not null and new.payment_method is distinct from old.payment_method)
     or (old.mailed_at is not null and new.mailed_at is distinct from old.mailed_at)
     or (new.account_id is not null and new.account_id is distinct from old.account_id) then
    raise exception 'invoice % is issued and cannot be changed; issue a credit note', old.number
      using errcode = 'check_violation';
  end if;
  return new;
end $$;

-- The operator's list of open bank-transfer invoices and the accountant's export read by these.
create index invoices_open_due on invoices (due_at) where paid_at is null and due_at is not null;
create index invoices_issued on invoices (issued_at);

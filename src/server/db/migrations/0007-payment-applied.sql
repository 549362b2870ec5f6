-- What a payment actually took off the balance. The balance never goes below zero, so an
-- over-payment (a debtor paying 120 on a balance of 100) takes off only 100; its reversal must
-- put back those 100, not 120. NULL on payments recorded before this column: the whole amount
-- (what they took off unless they over-paid, which cannot be told apart afterwards).
ALTER TABLE payments ADD COLUMN applied_minor bigint CHECK (applied_minor >= 0 AND applied_minor <= amount_minor);

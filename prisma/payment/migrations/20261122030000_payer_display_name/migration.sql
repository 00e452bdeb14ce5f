-- The payer's name as it was when they paid: Payment.payer provides it without a call to the user subgraph.
ALTER TABLE `payments` ADD COLUMN `payer_display_name` VARCHAR(50) NOT NULL AFTER `payer_user_id`;

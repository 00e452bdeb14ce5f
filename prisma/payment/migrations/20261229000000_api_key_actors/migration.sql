-- Partners (contract part 4, partners.md): a partner's server, with a machine
-- token of one of the business's API keys, makes payment requests and
-- payment links, refunds payments and asks for statements. Such a row has no
-- member behind it: `created_by_user_id` (`requested_by_user_id`) is NULL and
-- `created_by_api_key_id` (`requested_by_api_key_id`) names the key (the
-- user subgraph's `key_…`; no foreign key across services). Exactly one of
-- the two is set on every new row; rows made before this have a user.
--
-- A statement's idempotency key is per business and asker, so an API key's
-- retries get their own unique index beside the members' one (a NULL in
-- either never collides in MySQL or MariaDB).

ALTER TABLE `payment_requests`
    MODIFY `created_by_user_id` VARCHAR(40) NULL,
    ADD COLUMN `created_by_api_key_id` VARCHAR(40) NULL AFTER `created_by_user_id`;

ALTER TABLE `payment_links`
    MODIFY `created_by_user_id` VARCHAR(40) NULL,
    ADD COLUMN `created_by_api_key_id` VARCHAR(40) NULL AFTER `created_by_user_id`;

ALTER TABLE `refunds`
    MODIFY `created_by_user_id` VARCHAR(40) NULL,
    ADD COLUMN `created_by_api_key_id` VARCHAR(40) NULL AFTER `created_by_user_id`;

ALTER TABLE `statements`
    MODIFY `requested_by_user_id` VARCHAR(40) NULL,
    ADD COLUMN `requested_by_api_key_id` VARCHAR(40) NULL AFTER `requested_by_user_id`;

CREATE UNIQUE INDEX `statements_api_key_idempotency_key`
    ON `statements`(`business_id`, `requested_by_api_key_id`, `idempotency_key`);

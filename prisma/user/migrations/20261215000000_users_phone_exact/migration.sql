-- `users.phone` compares byte for byte. Under utf8mb4_unicode_ci a lookup of
-- `＋８５２９１２３４５６７` (full-width) found `+85291234567`, so one account
-- answered to many spellings while logIn counted wrong passwords per spelling.
-- utf8mb4_bin (on MySQL 8 and MariaDB 10.11 alike) matches only the same
-- characters; like every PAD SPACE collation it still ignores trailing
-- spaces, which the check below keeps out of the column and the user
-- subgraph strips from every number before it looks one up.
--
-- The check is the E.164 shape sign-up has always enforced, so existing rows
-- pass it, and a row unique under the old collation is unique under this
-- finer one: neither step can fail on existing data.
ALTER TABLE `users`
    MODIFY `phone` VARCHAR(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    ADD CONSTRAINT `users_phone_e164` CHECK (`phone` REGEXP '^[+][1-9][0-9]{1,14}$');

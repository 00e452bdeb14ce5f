-- One entry per side of an event: a user can be on both sides of one (a
-- cashier paying a request they created after leaving the business), so the
-- kind joins the key that makes each event's entries once.
-- DropIndex, CreateIndex (one statement: the table is never without the key)
ALTER TABLE `timeline_entries`
    DROP INDEX `timeline_entries_user_id_source_event_id_key`,
    ADD UNIQUE INDEX `timeline_entries_user_id_source_event_id_kind_key`(`user_id`, `source_event_id`, `kind`);

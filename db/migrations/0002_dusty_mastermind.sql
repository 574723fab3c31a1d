DROP INDEX `jobs_agent_idx`;--> statement-breakpoint
DROP INDEX `jobs_lease_token_idx`;--> statement-breakpoint
CREATE INDEX `jobs_agent_state_idx` ON `jobs` (`lease_agent_id`,`state`);--> statement-breakpoint
ALTER TABLE `jobs` DROP COLUMN `lease_token`;
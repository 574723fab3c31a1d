CREATE TABLE `fleet_counters` (
	`name` text NOT NULL,
	`labels` text NOT NULL,
	`value` real NOT NULL,
	PRIMARY KEY(`name`, `labels`)
);
--> statement-breakpoint
CREATE TABLE `job_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_id` text NOT NULL,
	`footprint_key` text NOT NULL,
	`node_type` text NOT NULL,
	`tier` text NOT NULL,
	`template` text NOT NULL,
	`gpu_class` text NOT NULL,
	`pool_id` text,
	`peak_vram_mib` integer,
	`run_ms` integer NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `job_runs_key_idx` ON `job_runs` (`footprint_key`,`id`);--> statement-breakpoint
CREATE TABLE `pools` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`studio_id` text,
	`owner_id` text,
	`min_agents` integer DEFAULT 0 NOT NULL,
	`max_agents` integer DEFAULT 10 NOT NULL,
	`target_wait_s` integer DEFAULT 120 NOT NULL,
	`scale_down_idle_s` integer DEFAULT 300 NOT NULL,
	`scaling_token_hash` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`studio_id`) REFERENCES `studios`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `pools_studio_idx` ON `pools` (`studio_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `pools_studio_name_idx` ON `pools` (`studio_id`,lower("name")) WHERE studio_id is not null;--> statement-breakpoint
CREATE TABLE `project_pools` (
	`project_id` text NOT NULL,
	`pool_id` text NOT NULL,
	`granted_by` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `pool_id`),
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`pool_id`) REFERENCES `pools`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`granted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `project_pools_pool_idx` ON `project_pools` (`pool_id`);--> statement-breakpoint
CREATE TABLE `studio_members` (
	`studio_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`studio_id`, `user_id`),
	FOREIGN KEY (`studio_id`) REFERENCES `studios`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `studio_members_user_idx` ON `studio_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `studios` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`join_code_hash` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `studios_join_code_hash_unique` ON `studios` (`join_code_hash`);--> statement-breakpoint
ALTER TABLE `agents` ADD `pool_id` text;--> statement-breakpoint
CREATE INDEX `agents_pool_idx` ON `agents` (`pool_id`);--> statement-breakpoint
ALTER TABLE `enrollment_tokens` ADD `pool_id` text;--> statement-breakpoint
ALTER TABLE `enrollment_tokens` ADD `reusable` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `enrollment_tokens` ADD `uses` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `enrollment_tokens` ADD `revoked_at` integer;--> statement-breakpoint
ALTER TABLE `jobs` ADD `footprint` text;--> statement-breakpoint
-- Agents enrolled before pools join their owner's personal pool, whose id is the owner's id
-- (db/schema/fleet.ts): they serve exactly the projects they served before.
INSERT INTO `pools` (`id`, `name`, `owner_id`, `created_at`, `updated_at`)
SELECT a.`owner_id`, u.`name` || '''s agents', a.`owner_id`, min(a.`created_at`), min(a.`created_at`)
FROM `agents` a JOIN `users` u ON u.`id` = a.`owner_id`
GROUP BY a.`owner_id`;
--> statement-breakpoint
UPDATE `agents` SET `pool_id` = `owner_id` WHERE `pool_id` IS NULL;
--> statement-breakpoint
-- The counters `/metrics` reports (edge/services/fleet/metrics.ts), counted where every
-- transition is recorded, so every edge thread and isolate counts into the same numbers: per
-- pool (of the agent that held the job) and tier, claims, completions, dead letters (the job
-- ended failed) and lease expiries, and when the pool last had work (the scale-down hold).
CREATE TRIGGER `fleet_event_counts` AFTER INSERT ON `job_events`
WHEN new.`agent_id` IS NOT NULL
  AND (new.`to_state` IN ('leased', 'succeeded', 'failed') OR new.`actor` = 'reaper')
BEGIN
  INSERT INTO `fleet_counters` (`name`, `labels`, `value`)
  SELECT c.`name`, l.`labels`, c.`value`
  FROM (
    SELECT 'pool="' || coalesce((SELECT `pool_id` FROM `agents` WHERE `id` = new.`agent_id`), '')
      || '",tier="' || coalesce((SELECT `tier` FROM `jobs` WHERE `id` = new.`job_id`), '') || '"'
      AS `labels`
  ) l, (
    SELECT 'md_claims_total' AS `name`, 1 AS `value` WHERE new.`to_state` = 'leased'
    UNION ALL SELECT 'md_completions_total', 1 WHERE new.`to_state` = 'succeeded'
    UNION ALL SELECT 'md_dead_lettered_total', 1 WHERE new.`to_state` = 'failed'
    UNION ALL SELECT 'md_lease_expiries_total', 1 WHERE new.`actor` = 'reaper'
    UNION ALL SELECT 'md_pool_last_work_timestamp_seconds', new.`at` / 1000.0
  ) c
  WHERE true
  ON CONFLICT (`name`, `labels`) DO UPDATE SET `value` = CASE
    WHEN `name` = 'md_pool_last_work_timestamp_seconds' THEN max(`value`, excluded.`value`)
    ELSE `value` + excluded.`value` END;
END;

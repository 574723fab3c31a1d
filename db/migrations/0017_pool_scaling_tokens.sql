CREATE TABLE `pool_scaling_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`pool_id` text NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	FOREIGN KEY (`pool_id`) REFERENCES `pools`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pool_scaling_tokens_token_hash_unique` ON `pool_scaling_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `pool_scaling_tokens_pool_idx` ON `pool_scaling_tokens` (`pool_id`,`created_at`);--> statement-breakpoint
-- A pool's one scaling token from before becomes a named token of the pool, so the autoscaler
-- holding it keeps working (a UUIDv4 id made here; the edge's own ids are v7).
INSERT INTO `pool_scaling_tokens` (`id`, `pool_id`, `name`, `token_hash`, `created_at`)
SELECT lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-' ||
  substr('89ab', 1 + abs(random()) % 4, 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12)),
  `id`, 'Autoscaler', `scaling_token_hash`, `updated_at`
FROM (SELECT *, hex(randomblob(16)) AS h FROM `pools` WHERE `scaling_token_hash` IS NOT NULL);
--> statement-breakpoint
ALTER TABLE `pools` DROP COLUMN `scaling_token_hash`;
CREATE TABLE `agents` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text NOT NULL,
	`name` text NOT NULL,
	`secret_hash` text NOT NULL,
	`profile` text NOT NULL,
	`max_vram_mib` integer NOT NULL,
	`healthy_backends` text NOT NULL,
	`models` text NOT NULL,
	`concurrency` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `agents_owner_idx` ON `agents` (`owner_id`);--> statement-breakpoint
CREATE TABLE `enrollment_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`agent_id` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `enrollment_tokens_token_hash_unique` ON `enrollment_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `job_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_id` text NOT NULL,
	`from_state` text,
	`to_state` text NOT NULL,
	`attempt` integer NOT NULL,
	`agent_id` text,
	`actor` text NOT NULL,
	`message` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `job_events_job_idx` ON `job_events` (`job_id`,`id`);--> statement-breakpoint
CREATE TABLE `job_previews` (
	`job_id` text PRIMARY KEY NOT NULL,
	`content_type` text NOT NULL,
	`base64` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`node_id` text NOT NULL,
	`node_type` text NOT NULL,
	`params` text NOT NULL,
	`inputs` text NOT NULL,
	`tier` text NOT NULL,
	`requested_tier` text NOT NULL,
	`allow_downgrade` integer NOT NULL,
	`rationale` text,
	`backends` text NOT NULL,
	`min_vram_mib` integer NOT NULL,
	`models` text NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL,
	`state` text NOT NULL,
	`attempt` integer DEFAULT 0 NOT NULL,
	`max_attempts` integer NOT NULL,
	`lease_agent_id` text,
	`lease_expires_at` integer,
	`lease_token` text,
	`progress` text,
	`error` text,
	`idempotency_key` text,
	`request_hash` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `jobs_queue_idx` ON `jobs` (`state`,"priority" desc,`created_at`);--> statement-breakpoint
CREATE INDEX `jobs_lease_idx` ON `jobs` (`state`,`lease_expires_at`);--> statement-breakpoint
CREATE INDEX `jobs_agent_idx` ON `jobs` (`lease_agent_id`);--> statement-breakpoint
CREATE INDEX `jobs_project_idx` ON `jobs` (`project_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `jobs_node_idx` ON `jobs` (`project_id`,`node_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_idempotency_idx` ON `jobs` (`project_id`,`idempotency_key`) WHERE idempotency_key is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_lease_token_idx` ON `jobs` (`lease_token`);--> statement-breakpoint
CREATE TABLE `takes` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`node_id` text NOT NULL,
	`job_id` text NOT NULL,
	`agent_id` text,
	`state` text NOT NULL,
	`scene` text NOT NULL,
	`shot` text NOT NULL,
	`version` integer NOT NULL,
	`take` integer NOT NULL,
	`ext` text NOT NULL,
	`content_type` text NOT NULL,
	`bytes` integer,
	`sha256` text,
	`node_type` text NOT NULL,
	`tier` text NOT NULL,
	`template` text,
	`seed` integer,
	`params` text NOT NULL,
	`created_at` integer NOT NULL,
	`completed_at` integer,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `takes_number_idx` ON `takes` (`project_id`,`scene`,`shot`,`version`,`take`);--> statement-breakpoint
CREATE INDEX `takes_node_idx` ON `takes` (`project_id`,`node_id`,`state`);--> statement-breakpoint
CREATE INDEX `takes_job_idx` ON `takes` (`job_id`);
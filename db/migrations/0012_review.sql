CREATE TABLE `comment_edits` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`comment_id` text NOT NULL,
	`body` text NOT NULL,
	`replaced_at` integer NOT NULL,
	FOREIGN KEY (`comment_id`) REFERENCES `comments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `comment_edits_comment_idx` ON `comment_edits` (`comment_id`,`id`);--> statement-breakpoint
CREATE TABLE `comments` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`parent_id` text,
	`target_kind` text NOT NULL,
	`node_id` text NOT NULL,
	`take_id` text,
	`frame` integer,
	`fps` integer,
	`shape` text,
	`author_person` text NOT NULL,
	`author_name` text NOT NULL,
	`author_role` text NOT NULL,
	`body` text NOT NULL,
	`mentions` text NOT NULL,
	`created_at` integer NOT NULL,
	`edited_at` integer,
	`resolved_at` integer,
	`resolved_by` text,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`parent_id`) REFERENCES `comments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`take_id`) REFERENCES `takes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `comments_take_idx` ON `comments` (`project_id`,`take_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `comments_node_idx` ON `comments` (`project_id`,`node_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `comments_project_time_idx` ON `comments` (`project_id`,`created_at`,`author_person`);--> statement-breakpoint
CREATE INDEX `comments_parent_idx` ON `comments` (`parent_id`);--> statement-breakpoint
CREATE TABLE `review_reads` (
	`project_id` text NOT NULL,
	`person` text NOT NULL,
	`read_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `person`),
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `take_decisions` (
	`project_id` text NOT NULL,
	`take_id` text NOT NULL,
	`node_id` text NOT NULL,
	`person` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`decision` text NOT NULL,
	`note` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`take_id`, `person`),
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`take_id`) REFERENCES `takes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `take_decisions_project_time_idx` ON `take_decisions` (`project_id`,`at`,`person`);--> statement-breakpoint
CREATE INDEX `takes_project_completed_idx` ON `takes` (`project_id`,`completed_at`,`state`);
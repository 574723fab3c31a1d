CREATE TABLE `take_selects` (
	`project_id` text NOT NULL,
	`node_id` text NOT NULL,
	`take_id` text NOT NULL,
	`selected_by` text,
	`selected_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `node_id`),
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`take_id`) REFERENCES `takes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`selected_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
DROP INDEX `takes_number_idx`;--> statement-breakpoint
ALTER TABLE `takes` ADD `variant` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `takes_number_idx` ON `takes` (`project_id`,`scene`,`shot`,`version`,`variant`,`take`);
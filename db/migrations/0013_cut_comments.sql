ALTER TABLE `comments` ADD `cut_id` text;--> statement-breakpoint
CREATE INDEX `comments_cut_idx` ON `comments` (`project_id`,`cut_id`,`created_at`);
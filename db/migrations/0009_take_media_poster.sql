ALTER TABLE `takes` ADD `media` text;--> statement-breakpoint
ALTER TABLE `takes` ADD `poster_bytes` integer;
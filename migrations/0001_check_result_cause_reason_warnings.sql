ALTER TABLE `check_results` ADD `warnings` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `check_results` ADD `cause` text;--> statement-breakpoint
ALTER TABLE `check_results` ADD `reason` text;
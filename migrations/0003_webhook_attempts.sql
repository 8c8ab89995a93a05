CREATE TABLE `webhook_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`at` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`status_code` integer,
	`outcome` text NOT NULL,
	`error` text,
	`retry_in_ms` integer,
	FOREIGN KEY (`run_id`) REFERENCES `audit_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_attempts_run_idx` ON `webhook_attempts` (`run_id`,`attempt`);--> statement-breakpoint
ALTER TABLE `audit_runs` ADD `callback_url` text;--> statement-breakpoint
ALTER TABLE `audit_runs` ADD `callback_secret` text;--> statement-breakpoint
ALTER TABLE `audit_runs` ADD `callback_state` text;
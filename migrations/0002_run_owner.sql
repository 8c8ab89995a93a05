ALTER TABLE `audit_runs` ADD `owner` text;--> statement-breakpoint
CREATE INDEX `audit_runs_owner_idx` ON `audit_runs` (`owner`,`created_at`);
DROP INDEX `audit_runs_status_idx`;--> statement-breakpoint
DROP INDEX `audit_runs_owner_idx`;--> statement-breakpoint
CREATE INDEX `audit_runs_status_created_idx` ON `audit_runs` (`status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `audit_runs_server_created_idx` ON `audit_runs` (`server`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `audit_runs_owner_created_idx` ON `audit_runs` (`owner`,`created_at`,`id`);
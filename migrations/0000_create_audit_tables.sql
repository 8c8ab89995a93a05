CREATE TABLE `audit_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` text NOT NULL,
	`at` integer NOT NULL,
	`level` text NOT NULL,
	`message` text NOT NULL,
	`check_id` text,
	FOREIGN KEY (`run_id`) REFERENCES `audit_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `audit_events_run_idx` ON `audit_events` (`run_id`,`seq`);--> statement-breakpoint
CREATE TABLE `audit_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`server` text NOT NULL,
	`cluster_name` text NOT NULL,
	`context_name` text NOT NULL,
	`server_version` text,
	`selection` text NOT NULL,
	`options` text NOT NULL,
	`labels` text NOT NULL,
	`warnings` text NOT NULL,
	`passed_count` integer DEFAULT 0 NOT NULL,
	`failed_count` integer DEFAULT 0 NOT NULL,
	`skipped_count` integer DEFAULT 0 NOT NULL,
	`error_count` integer DEFAULT 0 NOT NULL,
	`cleanup_namespace` text,
	`cleanup_deleted` integer,
	`cleanup_detail` text,
	`error_detail` text
);
--> statement-breakpoint
CREATE INDEX `audit_runs_created_idx` ON `audit_runs` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `audit_runs_status_idx` ON `audit_runs` (`status`);--> statement-breakpoint
CREATE TABLE `check_results` (
	`run_id` text NOT NULL,
	`check_id` text NOT NULL,
	`seq` integer NOT NULL,
	`title` text NOT NULL,
	`group` text NOT NULL,
	`component` text NOT NULL,
	`references` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`summary` text NOT NULL,
	`evidence` text NOT NULL,
	`hint` text,
	`blocked_by` text,
	PRIMARY KEY(`run_id`, `check_id`),
	FOREIGN KEY (`run_id`) REFERENCES `audit_runs`(`id`) ON UPDATE no action ON DELETE cascade
);

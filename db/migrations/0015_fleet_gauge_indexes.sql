-- `/metrics` and the scaling answer count queued and held jobs in groups (edge/services/fleet/
-- fleet_state.ts); these indexes answer both counts without reading job rows.
DROP INDEX `jobs_agent_state_idx`;--> statement-breakpoint
CREATE INDEX `jobs_queued_groups_idx` ON `jobs` (`project_id`,`tier`,`min_vram_mib`,`node_type`,`created_at`) WHERE state = 'queued';--> statement-breakpoint
CREATE INDEX `jobs_agent_state_idx` ON `jobs` (`lease_agent_id`,`state`,`tier`,`min_vram_mib`);
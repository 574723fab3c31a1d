-- A claim is one UPDATE (edge/services/jobs/claim.ts); this records its event in the same
-- statement, so a claim needs no transaction around two statements. Other transitions write
-- their events themselves (edge/services/jobs/transitions.ts): only the claim moves a job from
-- queued to leased.
CREATE TRIGGER `job_claim_event` AFTER UPDATE OF `state` ON `jobs`
WHEN old.`state` = 'queued' AND new.`state` = 'leased'
BEGIN
  INSERT INTO `job_events` (`job_id`, `from_state`, `to_state`, `attempt`, `agent_id`, `actor`, `message`, `at`)
  VALUES (new.`id`, 'queued', 'leased', new.`attempt`, new.`lease_agent_id`, 'agent:' || new.`lease_agent_id`,
    'leased to ' || (SELECT `name` FROM `agents` WHERE `id` = new.`lease_agent_id`), new.`updated_at`);
END;

/**
 * `GET /api/projects/:id/capabilities`: per node type and tier, whether an agent online for the
 * project can run it now, why not, and where Generate would run it instead (protocol/jobs.ts
 * `WorkAvailability`), and the same for each of its workflow assets (`WorkflowAvailability`:
 * "no online agent has `x.safetensors`" before anyone presses Generate), for each of their older
 * versions (`workflowVersions`: a node pinned to one runs that version, whose models may differ),
 * and for each of its Docker model config assets (`ModelConfigAvailability`). Any member may read
 * it: reviewers see the same truth on the cards.
 */
import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { requireRole } from "../middleware/project_access.ts";
import { onlineAgentsForProject } from "../services/agents.ts";
import {
  availability,
  modelConfigAvailability,
  workflowAvailability,
} from "../services/jobs/availability.ts";
import { currentModelConfigs } from "../services/model_config_assets.ts";
import { currentWorkflows, olderWorkflowVersions } from "../services/workflow_assets.ts";

export const capabilityRoutes = new Hono<AppEnv>()
  .get("/:id/capabilities", requireRole("reviewer"), async (c) => {
    const deps = c.get("deps");
    const { projectId } = c.get("access");
    const [online, workflows, older, modelConfigs] = await Promise.all([
      onlineAgentsForProject(deps, projectId),
      currentWorkflows(deps, projectId),
      olderWorkflowVersions(deps, projectId),
      currentModelConfigs(deps, projectId),
    ]);
    return c.json({
      capabilities: availability(online),
      workflows: workflowAvailability(online, workflows),
      modelConfigs: modelConfigAvailability(online, modelConfigs),
      workflowVersions: workflowAvailability(online, older),
    });
  });

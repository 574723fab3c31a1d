/**
 * Research models in Docker containers (the function runner): model configs, the Engine API
 * client over the local socket, and the backend.
 *
 * @example
 * ```ts
 * import { createDockerBackend } from "./mod.ts";
 * const docker = await createDockerBackend({ modelsDir, dockerHost: null, pull: false, agentId });
 * ```
 */
export { createDockerBackend, DockerBackend, type DockerBackendOptions } from "./backend.ts";
export { DockerEngine, EngineError, EngineUnreachable } from "./engine.ts";
export { loadModels, SHIPPED_MODELS_DIR } from "./load_models.ts";
export {
  type CheckedModel,
  ModelConfigError,
  parseModelConfig,
} from "../../../protocol/docker_models/model_config.ts";
export { defaultUser, planJob } from "./plan.ts";

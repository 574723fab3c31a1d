/**
 * The Wan2GP backend of the GPU agent (process mode and the Gradio bridge).
 *
 * @example
 * ```ts
 * import { Wan2gpBackend } from "./mod.ts";
 * const wan2gp = new Wan2gpBackend({ dir: "/opt/Wan2GP", memory });
 * console.log(await wan2gp.probe(), wan2gp.describe());
 * ```
 */
export {
  BRIDGE_SCRIPT,
  DEFAULT_BRIDGE_URL,
  Wan2gpBackend,
  type Wan2gpBackendOptions,
} from "./backend.ts";
export { chooseMemoryProfile, type MachineMemory, type MemoryProfile } from "./memory_profile.ts";
export { type Attention, ATTENTION_MODES } from "./process_mode.ts";

/**
 * The ComfyUI backend of the GPU agent.
 *
 * @example
 * ```ts
 * import { createComfyUIBackend } from "./mod.ts";
 * const comfy = await createComfyUIBackend({ url: "http://127.0.0.1:8188" });
 * console.log(await comfy.probe());
 * ```
 */
export {
  ComfyUIBackend,
  type ComfyUIBackendOptions,
  createComfyUIBackend,
  DEFAULT_COMFYUI_URL,
} from "./backend.ts";
export { ComfyClient, ComfyHttpError, ComfyUnreachable, PromptRejected } from "./client.ts";
export type { ApiPrompt, FileRef, HistoryEntry, SystemStats } from "./client.ts";
export { ProgressTracker } from "./progress.ts";
export { promptIdFor } from "./prompt_id.ts";
export type { TemplateCheck } from "./support.ts";
export {
  bindTemplate,
  DEFAULT_TEMPLATE_DIR,
  loadTemplateFolders,
  loadTemplates,
  parseTemplate,
  type Template,
  TemplateError,
  type TemplateFolder,
} from "./templates.ts";
export { DEFAULT_TIMING, type WatchTiming } from "./watch.ts";

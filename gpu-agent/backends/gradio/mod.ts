/**
 * Any local Gradio app with a named endpoint, as a backend of the agent (declarative templates),
 * and the Gradio app driver the Wan2GP bridge mode shares.
 */
export { createGradioBackend, GradioBackend } from "./backend.ts";
export { DEFAULT_GRADIO_TIMING, GradioApp, type GradioTiming, GradioUnreachable } from "./app.ts";
export { type GradioTemplate, loadGradioTemplates, parseGradioTemplate } from "./template.ts";

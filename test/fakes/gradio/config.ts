/**
 * `GET /config` and `GET /gradio_api/info` for an app, in the shapes Gradio 5 builds them:
 * blocks.py `get_config_file` (2209-2260) with `BlocksConfig.get_config` (890-950) and
 * block_function.py `get_config` (138-175) for the config; blocks.py `get_api_info` for the API
 * description. Only what a client reads is filled in; the rest keeps Gradio's defaults.
 */
import type { AppSpec, ComponentSpec, ComponentType } from "./types.ts";

export const API_PREFIX = "/gradio_api";
export const GRADIO_VERSION = "5.49.1";

/** `api_info()` of each component (components/textbox.py 198, number.py 156, FileData). */
const FILE_DATA_SCHEMA = {
  additional_description: null,
  properties: {
    path: { title: "Path", type: "string" },
    url: { anyOf: [{ type: "string" }, { type: "null" }], default: null, title: "Url" },
    size: { anyOf: [{ type: "integer" }, { type: "null" }], default: null, title: "Size" },
    orig_name: { anyOf: [{ type: "string" }, { type: "null" }], default: null, title: "Orig Name" },
    mime_type: { anyOf: [{ type: "string" }, { type: "null" }], default: null, title: "Mime Type" },
    is_stream: { default: false, title: "Is Stream", type: "boolean" },
    meta: { default: { _type: "gradio.FileData" }, title: "Meta", type: "object" },
  },
  required: ["path"],
  title: "FileData",
  type: "object",
};

const API_INFO: Record<ComponentType, { type: unknown; python: string }> = {
  textbox: { type: { type: "string" }, python: "str" },
  number: { type: { type: "number" }, python: "float" },
  checkbox: { type: { type: "boolean" }, python: "bool" },
  file: { type: FILE_DATA_SCHEMA, python: "filepath" },
  audio: { type: FILE_DATA_SCHEMA, python: "filepath" },
  image: { type: FILE_DATA_SCHEMA, python: "filepath" },
  video: {
    type: {
      properties: {
        video: FILE_DATA_SCHEMA,
        subtitles: { anyOf: [FILE_DATA_SCHEMA, { type: "null" }] },
      },
      required: ["video"],
      title: "VideoData",
      type: "object",
    },
    python: "Dict(video: filepath, subtitles: filepath | None)",
  },
};

/** Component ids: inputs, outputs, then each endpoint's submit button, numbered as Blocks does. */
export interface Layout {
  components: { id: number; spec: ComponentSpec; endpoint: number; role: "input" | "output" }[];
  buttons: number[];
}

export function layoutOf(app: AppSpec): Layout {
  let id = 1; // 0 is the root Blocks
  const components: Layout["components"] = [];
  const buttons: number[] = [];
  app.endpoints.forEach((endpoint, index) => {
    for (const spec of endpoint.inputs) {
      components.push({ id: id++, spec, endpoint: index, role: "input" });
    }
    for (const spec of endpoint.outputs) {
      components.push({ id: id++, spec, endpoint: index, role: "output" });
    }
    buttons.push(id++);
  });
  return { components, buttons };
}

export function configBody(
  app: AppSpec,
  root: string,
  appId: number,
): Record<string, unknown> {
  const layout = layoutOf(app);
  const components = [
    ...layout.components.map(({ id, spec }) => ({
      id,
      type: spec.type,
      props: { label: spec.label, name: spec.type, value: spec.value ?? null, visible: true },
      skip_api: false,
      component_class_id: `fake-${spec.type}`,
      key: null,
      api_info: API_INFO[spec.type].type,
      api_info_as_input: API_INFO[spec.type].type,
      api_info_as_output: API_INFO[spec.type].type,
    })),
    ...layout.buttons.map((id) => ({
      id,
      type: "button",
      props: { value: "Submit", name: "button", visible: true },
      skip_api: true,
      component_class_id: "fake-button",
      key: null,
    })),
  ];
  const dependencies = app.endpoints.map((endpoint, index) => ({
    id: index,
    targets: [[layout.buttons[index], "click"]],
    inputs: layout.components.filter((c) => c.endpoint === index && c.role === "input").map((c) =>
      c.id
    ),
    outputs: layout.components.filter((c) => c.endpoint === index && c.role === "output").map((
      c,
    ) => c.id),
    backend_fn: true,
    js: null,
    queue: true,
    api_name: endpoint.apiName,
    api_description: null,
    scroll_to_output: false,
    show_progress: "full",
    show_progress_on: null,
    batch: false,
    max_batch_size: 4,
    cancels: [],
    types: { generator: false, cancel: false },
    collects_event_data: false,
    trigger_after: null,
    trigger_only_on_success: false,
    trigger_only_on_failure: false,
    trigger_mode: "once",
    show_api: true,
    rendered_in: null,
    render_id: null,
    connection: "sse",
    time_limit: null,
    stream_every: 0.5,
    like_user_message: false,
    event_specific_args: null,
    js_implementation: null,
  }));
  const ids = components.map((c) => c.id);
  return {
    version: GRADIO_VERSION,
    api_prefix: API_PREFIX,
    mode: "interface",
    // A new id each launch (blocks.py): clients tell a restarted app by it.
    app_id: appId,
    dev_mode: false,
    analytics_enabled: false,
    components,
    css: null,
    connect_heartbeat: false,
    js: null,
    head: null,
    title: app.title ?? "Gradio",
    space_id: null,
    enable_queue: true,
    show_error: app.showError ?? false,
    show_api: true,
    is_colab: false,
    max_file_size: null,
    stylesheets: [],
    theme: "default",
    protocol: "sse_v3",
    fill_height: false,
    fill_width: false,
    pages: [["", "Home"]],
    page: {
      "": {
        layout: { id: 0, children: ids.map((id) => ({ id })) },
        components: ids,
        dependencies: dependencies.map((d) => d.id),
      },
    },
    mcp_server: false,
    i18n_translations: null,
    layout: { id: 0, children: ids.map((id) => ({ id })) },
    dependencies,
    username: null,
    // route_utils.py 782-792: the root the request came in on.
    root,
  };
}

/** blocks.py `get_api_info`: one named endpoint per dependency with an api_name. */
export function infoBody(app: AppSpec): Record<string, unknown> {
  const named: Record<string, unknown> = {};
  for (const endpoint of app.endpoints) {
    named[`/${endpoint.apiName}`] = {
      parameters: endpoint.inputs.map((spec, index) => ({
        label: spec.label,
        parameter_name: spec.label.toLowerCase().replace(/[^a-z0-9_]+/g, "_") || `param_${index}`,
        parameter_has_default: spec.value !== undefined,
        parameter_default: spec.value ?? null,
        type: API_INFO[spec.type].type,
        python_type: { type: API_INFO[spec.type].python, description: "" },
        component: spec.type[0]!.toUpperCase() + spec.type.slice(1),
        example_input: null,
      })),
      returns: endpoint.outputs.map((spec) => ({
        label: spec.label,
        type: API_INFO[spec.type].type,
        python_type: { type: API_INFO[spec.type].python, description: "" },
        component: spec.type[0]!.toUpperCase() + spec.type.slice(1),
      })),
      show_api: true,
      description: "",
    };
  }
  return { named_endpoints: named, unnamed_endpoints: {} };
}

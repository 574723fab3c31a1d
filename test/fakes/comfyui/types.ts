/**
 * Shapes of the ComfyUI wire protocol as recorded in `recordings/` (0.3.64 and 0.8.0), shared by
 * the fake's files. Only what the fake produces or reads is typed here.
 */

/** A ComfyUI "API format" prompt: node id → class and inputs; links are `[nodeId, outputIndex]`. */
export type ApiPrompt = Record<string, ApiNode>;
export interface ApiNode {
  class_type: string;
  inputs: Record<string, unknown>;
  _meta?: { title?: string };
}

/** `[number, prompt_id, prompt, extra_data, outputs_to_execute]`, as in `/queue` and `/history`. */
export type QueueItem = [number, string, ApiPrompt, Record<string, unknown>, string[]];

/** One file reference in an `executed` output or a history entry. */
export interface FileRef {
  filename: string;
  subfolder: string;
  type: "output" | "temp" | "input";
}

/** The UI output of one node (`{"images": [FileRef...]}`, plus `animated` for videos). */
export type NodeUiOutput = Record<string, unknown[]>;

export interface HistoryEntry {
  prompt: QueueItem;
  outputs: Record<string, NodeUiOutput>;
  status: {
    status_str: "success" | "error";
    completed: boolean;
    messages: [string, Record<string, unknown>][];
  };
  meta: Record<string, {
    node_id: string;
    display_node: string;
    parent_node: null;
    real_node_id: string;
  }>;
}

/** The `error` part of a rejected `POST /prompt`. */
export interface PromptError {
  type: string;
  message: string;
  details: string;
  extra_info: Record<string, unknown>;
}

/** One validation problem of one node, as in `node_errors[id].errors[]`. */
export interface NodeError {
  type: string;
  message: string;
  details: string;
  extra_info: Record<string, unknown>;
}

export interface NodeErrors {
  [nodeId: string]: { errors: NodeError[]; dependent_outputs: string[]; class_type: string };
}

/** Object info of one node class (`GET /object_info` values). */
export interface NodeClassInfo {
  input: {
    required?: Record<string, unknown[]>;
    optional?: Record<string, unknown[]>;
    hidden?: Record<string, unknown>;
  };
  input_order?: Record<string, string[]>;
  output: string[];
  output_node: boolean;
  name: string;
  display_name?: string;
  [key: string]: unknown;
}
export type ObjectInfo = Record<string, NodeClassInfo>;

export type ComfyVersion = "0.3.64" | "0.8.0";

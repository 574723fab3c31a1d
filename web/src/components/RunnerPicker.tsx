/**
 * "Runs", on a node ComfyUI or Docker can run: the agents' built-in backends, or one of the
 * library's assets for its node type: a ComfyUI workflow (sets `workflowAssetId`) or a Docker
 * model config (sets `modelConfigAssetId`); choosing one clears the other, as the edge runs
 * one or the other. The job runs the asset at the version it has when queued (or the one the node
 * pins: "Use these settings" of a take pins the version that take ran): a workflow at its own
 * tier, a model config at the node's (one the config implements).
 */
import { createResource, For, Show } from "solid-js";
import {
  MODEL_CONFIG_PARAM,
  MODEL_CONFIG_VERSION_PARAM,
  WORKFLOW_PARAM,
  WORKFLOW_VERSION_PARAM,
} from "../../../protocol/nodes.ts";
import type { Asset } from "../api/types.ts";
import { api, loaded } from "../services.ts";
import type { ProjectSession } from "../stores/project_session.ts";

/** The `implements` of a model config asset's stored config, as far as the picker reads it. */
function implemented(asset: Asset): { nodeType?: unknown; tiers?: unknown }[] {
  const config = asset.params.config as { implements?: unknown } | undefined;
  return Array.isArray(config?.implements) ? config.implements : [];
}

/** A kind of asset that can run a node instead of the agents' own templates. */
interface Runner {
  param: string;
  /** The parameter pinning a version of it (set by a take's "Use these settings"). */
  versionParam: string;
  type: "workflow" | "model-config";
  /** What the notes call it mid-sentence; the option's label starts with it capitalised. */
  noun: string;
  /** The tiers it runs the node type at (none: it implements another node type). */
  tiers: (asset: Asset, nodeType: string) => string[];
  /** How it runs, under the picker once chosen. */
  note: (asset: Asset, tiers: string[]) => string;
}

const RUNNERS: Runner[] = [{
  param: WORKFLOW_PARAM,
  versionParam: WORKFLOW_VERSION_PARAM,
  type: "workflow",
  noun: "workflow",
  tiers: (a, nodeType) => a.params.nodeType === nodeType ? [String(a.params.tier)] : [],
  note: (a, tiers) =>
    `Runs your workflow "${a.name}" at its ${tiers[0]} tier; the agent needs its model files.`,
}, {
  param: MODEL_CONFIG_PARAM,
  versionParam: MODEL_CONFIG_VERSION_PARAM,
  type: "model-config",
  noun: "Docker model",
  tiers: (a, nodeType) =>
    implemented(a).filter((i) => i.nodeType === nodeType).flatMap((i) =>
      Array.isArray(i.tiers) ? i.tiers.map(String) : []
    ),
  note: (a, tiers) =>
    `Runs your Docker model "${a.name}" in a container on an agent whose Docker runs the ` +
    `studio's models, at the node's tier (${tiers.join(" or ")}), without network.`,
}];

const capitalised = (text: string) => `${text[0]!.toUpperCase()}${text.slice(1)}`;

export default function RunnerPicker(
  props: { session: ProjectSession; nodeId: string; nodeType: string; params: string[] },
) {
  const s = props.session;
  const runners = RUNNERS.filter((r) => props.params.includes(r.param));
  const [assets] = createResource(async () =>
    (await Promise.all(runners.map((r) => api.assets.list(s.project.id, r.type)))).flat()
  );
  // Read only once loaded (services.ts `loaded`): reading a loading resource remounts the canvas.
  const list = () => loaded(assets);
  const runnerOf = (a: Asset) => runners.find((r) => r.type === a.type)!;
  const mine = () => list()?.filter((a) => runnerOf(a).tiers(a, props.nodeType).length > 0) ?? [];
  const params = () => s.graph.nodes[props.nodeId]?.params ?? {};
  /** The asset the node names and which kind of runner it names it as. */
  const named = () => {
    const runner = runners.find((r) => typeof params()[r.param] === "string");
    return runner ? { runner, id: String(params()[runner.param]) } : null;
  };
  const chosen = () => {
    const at = named();
    return at && mine().find((a) => a.id === at.id && a.type === at.runner.type);
  };
  /** The version the node pins its chosen asset to, when not the newest. */
  const pin = () => {
    const a = chosen();
    const v = a ? params()[runnerOf(a).versionParam] : null;
    return a && typeof v === "number" && v !== a.version ? v : null;
  };
  /** Another asset (or none), or the newest version of this one: any pin goes. */
  const run = (asset: Asset | undefined) => {
    const set: Record<string, string | null> = {};
    for (const r of runners) {
      set[r.param] = asset && r.type === asset.type ? asset.id : null;
      set[r.versionParam] = null;
    }
    s.engine.edit([{ type: "node.update", id: props.nodeId, set: { params: set } }]);
  };
  const nouns = runners.map((r) => r.noun).join(" or ");
  return (
    <div class="field">
      <label for="runner-picker">Runs</label>
      <select
        id="runner-picker"
        value={named()?.id ?? ""}
        disabled={s.readOnly()}
        data-testid="inspector-workflow"
        onChange={(e) => run(mine().find((a) => a.id === e.currentTarget.value))}
      >
        <option value="">Built-in templates</option>
        <For each={mine()}>
          {(a) => (
            // `selected` on the option: the select's own value is set before the list arrives.
            <option value={a.id} selected={a.id === named()?.id}>
              {capitalised(runnerOf(a).noun)}: {a.name} (v{a.version},{" "}
              {runnerOf(a).tiers(a, props.nodeType).join("/")})
            </option>
          )}
        </For>
      </select>
      <Show when={chosen()}>
        {(a) => (
          <small
            class="field-note"
            data-testid={a().type === "workflow"
              ? "inspector-workflow-note"
              : "inspector-model-config-note"}
          >
            {runnerOf(a()).note(a(), runnerOf(a()).tiers(a(), props.nodeType))}
          </small>
        )}
      </Show>
      <Show when={pin() !== null}>
        <small class="field-note" data-testid="inspector-workflow-pin">
          Pinned to version {pin()} (from a take's settings; the newest is v{chosen()!.version}).
          <Show when={!s.readOnly()}>
            {" "}
            <button type="button" class="link" onClick={() => run(chosen()!)}>
              Run the newest
            </button>
          </Show>
        </small>
      </Show>
      <Show when={named() && list() && !chosen()}>
        <small class="field-error" data-testid="inspector-runner-missing">
          The chosen {named()!.runner.noun} is gone or implements another node type: pick another.
        </small>
      </Show>
      <Show when={list() && mine().length === 0}>
        <small class="muted">
          Add a {nouns} in the Assets tab to run your own.
        </small>
      </Show>
    </div>
  );
}

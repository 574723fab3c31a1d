import { render } from "solid-js/web";
import { NODE_TYPE_NAMES } from "../../protocol/nodes.ts";

const root = document.getElementById("root");
if (root) render(() => <p>{NODE_TYPE_NAMES.length} node types</p>, root);

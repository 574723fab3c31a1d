/**
 * Hot read routes let the database build their JSON (`json_object`, `json_group_array`) and
 * send that text as it is: the libSQL client builds each returned row column by column, and a
 * parse followed by `c.json`'s stringify would do the work twice more. Columns stored as JSON
 * go through `json(…)` in the SQL so they are embedded, not quoted.
 *
 * @example
 * ```ts
 * const { rows } = await deps.db.$client.execute({ sql: "select json_object('id', id) as body …", args });
 * return jsonText(c, String(rows[0]!.body));
 * ```
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export function jsonText(c: Context, text: string, status: ContentfulStatusCode = 200): Response {
  return c.body(text, status, { "content-type": "application/json" });
}

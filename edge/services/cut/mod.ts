/**
 * The cut's interchange formats, for the routes that serve and take them: OpenTimelineIO export
 * and import, and a CMX 3600 EDL of the picture track. Pure functions: the route resolves each
 * node's selected take into a `CutMediaMap` (export) or the project's takes into a `mediaIndex`
 * (import), and turns a thrown `ApiError` into its answer.
 *
 * They live in the edge, not protocol/, because only the edge serves them: the web links to the
 * routes, and the project export (agent CLI) downloads `…/otio?relative=1` and `…/edl` like any
 * other client instead of carrying a copy of the code.
 *
 * @example
 * ```ts
 * c.body(serializeOtio(exportOtio(cut, media, { relative })));
 * c.body(exportEdl(cut, media));
 * const { cut: next, unknown } = importOtio(await c.req.text(), { cut, lookup, newId });
 * ```
 */
export { exportEdl } from "./edl_export.ts";
export {
  type CutMedia,
  type CutMediaMap,
  type KnownTake,
  mediaIndex,
  type MediaLookup,
} from "./media.ts";
export { exportOtio, type OtioExportOptions, serializeOtio } from "./otio_export.ts";
export {
  importOtio,
  type OtioImportOptions,
  type OtioImportResult,
  type UnknownMedia,
} from "./otio_import.ts";
export { MAX_OTIO_BYTES } from "./otio_parse.ts";

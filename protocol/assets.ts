/**
 * The asset library's reference images, as the edge and the studio both check them: images
 * only (PNG, JPEG, WebP), at most 20 MB each, up to 32 per asset version. The studio refuses a
 * file before uploading it; the edge refuses the upload request and, again, an image whose
 * stored size is over the limit when it is added to the asset.
 *
 * @example
 * ```ts
 * import { assetImageProblem } from "./assets.ts";
 * assetImageProblem({ type: "text/html", size: 10 }); // "… is not an image: PNG, JPEG or WebP"
 * ```
 */
export const ASSET_IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
export type AssetImageType = typeof ASSET_IMAGE_TYPES[number];
export const ASSET_IMAGE_MAX_BYTES = 20 * 1024 * 1024;
export const ASSET_IMAGES_MAX = 32;

/** The file extension an image of `type` is stored with. */
export const ASSET_IMAGE_EXT: Readonly<Record<AssetImageType, string>> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
};

export const ASSET_IMAGE_TYPE_MESSAGE = "images only: PNG, JPEG or WebP";
export const ASSET_IMAGE_SIZE_MESSAGE = "an image is at most 20 MB";

/** Why a file cannot be a reference image, in words for people; null when it can. */
export function assetImageProblem(
  file: { name?: string; type: string; size: number },
): string | null {
  const name = file.name ? `"${file.name}"` : "The file";
  if (!(ASSET_IMAGE_TYPES as readonly string[]).includes(file.type)) {
    return `${name} is not an image: ${ASSET_IMAGE_TYPE_MESSAGE.replace("images only: ", "")}`;
  }
  if (file.size > ASSET_IMAGE_MAX_BYTES) {
    return `${name} is ${(file.size / 1024 / 1024).toFixed(1)} MB: ${ASSET_IMAGE_SIZE_MESSAGE}`;
  }
  if (file.size === 0) return `${name} is empty`;
  return null;
}

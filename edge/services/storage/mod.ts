/** Builds the configured object store (edge/config.ts: BLOB_STORE and its settings). */
import type { Config } from "../../config.ts";
import type { BlobStore } from "./blob_store.ts";
import { localBlobStore } from "./local_store.ts";
import { s3BlobStore } from "./s3_store.ts";
import { blobSigner, blobSigningSecret } from "./signed_urls.ts";

export type { BlobStore, PresignedUpload } from "./blob_store.ts";
export type { LocalBlobStore } from "./local_store.ts";

/** Local stores only work where there is a file system (Deno); Workers need `s3`. */
export function createBlobStore(config: Config, now: () => number): BlobStore {
  if (config.BLOB_STORE === "s3") {
    return s3BlobStore({
      bucket: config.S3_BUCKET!,
      region: config.S3_REGION,
      ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
      ...(config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
        ? {
          credentials: {
            accessKeyId: config.S3_ACCESS_KEY_ID,
            secretAccessKey: config.S3_SECRET_ACCESS_KEY,
          },
        }
        : {}),
      now,
    });
  }
  return localBlobStore({
    dir: config.BLOB_DIR,
    publicUrl: config.PUBLIC_URL,
    signer: blobSigner(blobSigningSecret(config)),
    now,
  });
}

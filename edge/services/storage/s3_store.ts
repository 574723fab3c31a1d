/**
 * Takes in an S3-compatible bucket (AWS S3, Cloudflare R2, MinIO; s3rver in tests). Agents
 * upload and browsers download straight from the bucket through presigned URLs, so the bucket
 * needs a CORS rule allowing GET/HEAD (with `Range`) from the studio's origin; see
 * `BROWSER_CORS_RULE`.
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { type BlobStore, contentDispositionForKey, contentTypeForKey } from "./blob_store.ts";

export interface S3StoreOptions {
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  now: () => number;
}

/** The CORS rule the bucket needs so the studio can play takes (range requests) in the browser. */
export function browserCorsRule(studioOrigin: string) {
  return {
    AllowedOrigins: [studioOrigin],
    // PUT: the studio uploads asset reference images straight to the bucket (presigned).
    AllowedMethods: ["GET", "HEAD", "PUT"],
    AllowedHeaders: ["Range", "If-None-Match", "Content-Type"],
    ExposeHeaders: ["Content-Length", "Content-Range", "Content-Type", "ETag", "Accept-Ranges"],
    MaxAgeSeconds: 3600,
  };
}

/** Where browsers fetch the bucket's objects from: what presigned GET URLs point at. */
export function bucketOrigin(options: S3StoreOptions): string {
  const endpoint = new URL(options.endpoint ?? `https://s3.${options.region}.amazonaws.com`);
  if (options.forcePathStyle) return endpoint.origin;
  return `${endpoint.protocol}//${options.bucket}.${endpoint.host}`;
}

export function s3BlobStore(options: S3StoreOptions): BlobStore & { client: S3Client } {
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle ?? false,
    // Otherwise the SDK signs a checksum of an empty body into every presigned PUT URL, and the
    // store refuses the real upload.
    requestChecksumCalculation: "WHEN_REQUIRED",
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  const Bucket = options.bucket;
  // Signing with the app's clock keeps expiry consistent with everything else the edge dates.
  const signingDate = () => new Date(options.now());

  return {
    kind: "s3",
    browserOrigin: bucketOrigin(options),
    client,
    async presignPut(key, { contentType, expiresInS }) {
      const url = await getSignedUrl(
        client,
        new PutObjectCommand({ Bucket, Key: key, ContentType: contentType }),
        {
          expiresIn: expiresInS,
          signingDate: signingDate(),
          signableHeaders: new Set(["content-type"]),
        },
      );
      return {
        url,
        headers: { "content-type": contentType },
        expiresAt: options.now() + expiresInS * 1000,
      };
    },
    async presignGet(key, { expiresInS }) {
      // The bucket serves the type and disposition we sign here, whatever the upload claimed,
      // so an uploaded page downloads instead of rendering.
      const command = new GetObjectCommand({
        Bucket,
        Key: key,
        ResponseContentType: contentTypeForKey(key),
        ResponseContentDisposition: contentDispositionForKey(key),
      });
      return await getSignedUrl(client, command, {
        expiresIn: expiresInS,
        signingDate: signingDate(),
      });
    },
    async put(key, bytes, contentType) {
      await client.send(
        new PutObjectCommand({ Bucket, Key: key, Body: bytes, ContentType: contentType }),
      );
    },
    async get(key, maxBytes) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        if ((object.ContentLength ?? 0) > maxBytes) {
          await object.Body?.transformToWebStream().cancel();
          throw new Error(`${key} is over ${maxBytes} bytes`);
        }
        return (await object.Body?.transformToByteArray()) ?? new Uint8Array();
      } catch (error) {
        if (statusOf(error) === 404 || (error as Error).name === "NoSuchKey") return null;
        throw error;
      }
    },
    async head(key) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return { bytes: head.ContentLength ?? 0 };
      } catch (error) {
        if (statusOf(error) === 404 || (error as Error).name === "NotFound") return null;
        throw error;
      }
    },
  };
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/** Streaming upload of job outputs to presigned URLs, with sha256 and retries. */
export { uploadFile, type UploadOptions } from "./upload.ts";
export { hashingStream, type PutOptions, type PutResult } from "./put_file.ts";

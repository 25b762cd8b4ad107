/**
 * The embedded S3 server now lives with the gateway server (`server/lake/embedded-s3.ts`), which
 * keeps its lake in it by default; the simulator and the tests reach it through this re-export.
 */
export {
  EMBEDDED_S3_BUCKET,
  type EmbeddedS3,
  type EmbeddedS3Options,
  startEmbeddedS3,
} from '../../server/lake/embedded-s3';

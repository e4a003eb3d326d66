// The one place the backend logs from: structured entries, always with the request id when known.
// Never pass secrets (API keys, signatures) in `fields`.
import * as logger from "firebase-functions/logger";

type Fields = Record<string, unknown>;

export const log = {
  info: (event: string, fields: Fields = {}) => logger.info(event, { event, ...fields }),
  warn: (event: string, fields: Fields = {}) => logger.warn(event, { event, ...fields }),
  error: (event: string, fields: Fields = {}) => logger.error(event, { event, ...fields }),
};

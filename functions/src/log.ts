// The one place the backend logs from: structured entries, always with the request id when known.
// Never pass secrets (API keys, signatures) in `fields`.
import * as logger from "firebase-functions/logger";

type Fields = Record<string, unknown>;

/**
 * The logger writes the event name as the entry's `message` and its own `severity`, overwriting
 * fields of those names; a caller's `message` (e.g. an error's) is kept as `detail` instead of being
 * lost.
 */
function entry(event: string, fields: Fields): Fields {
  const { message, severity, ...rest } = fields;
  return {
    event,
    ...rest,
    ...(message === undefined ? {} : { detail: message }),
    ...(severity === undefined ? {} : { detail_severity: severity }),
  };
}

export const log = {
  info: (event: string, fields: Fields = {}) => logger.info(event, entry(event, fields)),
  warn: (event: string, fields: Fields = {}) => logger.warn(event, entry(event, fields)),
  error: (event: string, fields: Fields = {}) => logger.error(event, entry(event, fields)),
};

/**
 * Structured logs: pino, one JSON object per line, on stderr (stdout stays unused, as for every
 * command). What is logged is chosen field by field: never a request body, never a header, never
 * the token. The redact list is a second guard in case a caller passes an object it should not.
 */
import { pino, type LevelWithSilent, type Logger } from 'pino';

/**
 * Paths masked if they ever reach a log call. Why these: the places a secret could hide in the
 * objects near a request (headers, the token option, bodies).
 */
const REDACT = ['token', 'authorization', 'headers', 'req.headers', 'body', 'req.body', '*.token', '*.authorization'];

/**
 * A logger writing JSON lines to `write` (stderr in `meshplane serve`). Levels are written as
 * their names (`"level":"info"`), not pino's numbers, so log pipelines that key on the usual
 * level words (Loki, Elasticsearch, Cloud Logging) read them without a mapping.
 */
export function createLogger(write: (line: string) => void, level: LevelWithSilent = 'info'): Logger {
  return pino({
    level,
    base: { service: 'meshplane' },
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  }, { write });
}

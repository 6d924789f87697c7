import { type Logger, pino } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config';

/** LOG_FORMAT as it applies here: `auto` is readable on a terminal and JSON for files and pipes. */
export function logFormat(
  setting: Config['LOG_FORMAT'],
  isTTY = process.stdout.isTTY === true,
): 'pretty' | 'json' {
  return setting === 'auto' ? (isTTY ? 'pretty' : 'json') : setting;
}

export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'>): Logger {
  const options = { level: config.LOG_LEVEL, base: { service: 'sextant-api', pid: process.pid } };
  if (logFormat(config.LOG_FORMAT) === 'json') return pino(options);
  // In-process and synchronous (no worker thread), so lines keep their order with the start-up banner.
  const stream = pretty({
    singleLine: true,
    sync: true,
    colorize: process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss',
    // The request line's message already says method, URL, status and time.
    ignore: 'pid,hostname,service,req,res,responseTime',
  });
  return pino(options, stream);
}

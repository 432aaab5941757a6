import { ConfigError } from '../schemas/env';
import type { CliIo } from './command';

/**
 * Reads settings with `load`; a bad environment variable is reported by name and gives undefined,
 * so the command exits 2 like any other wrong argument. Other errors are not the user's: they throw.
 */
export function settingsOrReport<T>(io: CliIo, load: () => T): T | undefined {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(error.message);
    return undefined;
  }
}

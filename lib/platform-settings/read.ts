/**
 * Reads a team's copy of the platform settings from disk. Apart from the pure modules beside it
 * (test/support/layers.ts places it with the app): a pure layer never reads files.
 */
import { readFileSync } from 'node:fs';
import { PlatformSettingsError, parsePlatformSettings } from './parse';
import type { PlatformSettings } from './settings';

/** Reads and validates a settings document from a JSON file, e.g. `platform-settings/prod.json`. */
export function readPlatformSettings(file: string): PlatformSettings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PlatformSettingsError(
      `${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); copy the environment's ` +
        'settings from the platform repository, where npm run generate writes platform-settings/<env>.json',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PlatformSettingsError(
      `${file}: not JSON (${(error as Error).message}); copy it again from the platform repository, where ` +
        'npm run generate writes platform-settings/<env>.json',
    );
  }
  return parsePlatformSettings(value, file);
}

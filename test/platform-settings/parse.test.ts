// A team's copy of the platform settings is read with one-line errors naming the file, the field
// and the fix, whatever is wrong with it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { platformSettings } from '../../lib/platform-settings/from-profile';
import { parsePlatformSettings } from '../../lib/platform-settings/parse';
import { readPlatformSettings } from '../../lib/platform-settings/read';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { exampleEnvironments } from '../support/example-app';

const FILE = 'platform-settings/prod.json';
const FIX = 'regenerate it in the platform repository: npm run generate writes platform-settings/prod.json';

// biome-ignore lint/suspicious/noExplicitAny: documents edited as JSON.
type Json = Record<string, any>;

/** The prod settings as the team's file holds them (through JSON), edited. */
function document(edit: (settings: Json) => void = () => {}): Json {
  const settings = JSON.parse(
    JSON.stringify(platformSettings(loadEnvironmentProfiles(exampleEnvironments()).prod, 'prod')),
  ) as Json;
  edit(settings);
  return settings;
}

test('a generated document reads back as it was written', () => {
  expect(parsePlatformSettings(document(), FILE)).toEqual(document());
});

test.each([
  [
    'a missing field',
    (settings: Json) => delete settings.logRetentionDays,
    `${FILE}: logRetentionDays: missing; ${FIX}`,
  ],
  [
    'a field of the wrong type, deep in the document',
    (settings: Json) => (settings.collectorSidecar.memoryMiB = '512'),
    `${FILE}: collectorSidecar.memoryMiB: must be integer; ${FIX}`,
  ],
  [
    'a field no version of the document has',
    (settings: Json) => (settings.alarms.silence = true),
    `${FILE}: alarms.silence: not a field of version 1; ${FIX}`,
  ],
  [
    'a severity that does not exist',
    (settings: Json) => (settings.alarms.thresholds[0].severity = 'urgent'),
    `${FILE}: alarms.thresholds.0.severity: must be one of critical, warning, info; ${FIX}`,
  ],
  [
    'a sidecar config of another collector role',
    (settings: Json) => (settings.collectorSidecar.platformConfig.role = 'gateway'),
    `${FILE}: collectorSidecar.platformConfig.role: must be "sidecar"; ${FIX}`,
  ],
  [
    'several problems: the first, and how many more',
    (settings: Json) => {
      delete settings.project;
      settings.region = 7;
    },
    `${FILE}: project: missing (and 1 more); ${FIX}`,
  ],
])('%s is one line naming the file, the field and the fix', (_, edit, message) => {
  expect(() => parsePlatformSettings(document(edit), FILE)).toThrow(message);
  expect(() => parsePlatformSettings(document(edit), FILE)).toThrow(/^[^\n]*$/);
});

test('another settingsVersion names both versions', () => {
  expect(() =>
    parsePlatformSettings(
      document((settings) => (settings.settingsVersion = 2)),
      FILE,
    ),
  ).toThrow(
    `${FILE}: settingsVersion is 2, but this version of the package reads version 1: ${FIX} with the same package ` +
      "version, or upgrade the package to the platform's",
  );
});

test('a collector distribution this package does not know names it, the known ones and the fix', () => {
  expect(() =>
    parsePlatformSettings(
      document((settings) => (settings.collectorSidecar.platformConfig.distribution.version = '0.1.0')),
      FILE,
    ),
  ).toThrow(
    /^platform-settings\/prod\.json: collectorSidecar\.platformConfig\.distribution: the sidecar config names collector distribution otelcol-contrib 0\.1\.0, which this version of the package does not know \(otelcol-contrib [^)]+\): use the package version the platform's settings were generated with$/,
  );
});

test('a document that is not an object says what it should be', () => {
  expect(() => parsePlatformSettings([], FILE)).toThrow(
    `${FILE}: not a platform settings document (a JSON object); regenerate it in the platform repository: ` +
      'npm run generate writes platform-settings/<env>.json',
  );
});

describe('readPlatformSettings', () => {
  const folder = mkdtempSync(join(tmpdir(), 'platform-settings-'));

  test('reads a generated file', () => {
    const file = join(folder, 'prod.json');
    writeFileSync(file, `${JSON.stringify(document(), null, 2)}\n`);
    expect(readPlatformSettings(file).environmentName).toBe('prod');
  });

  test('a missing file names it and where to get it', () => {
    const file = join(folder, 'missing.json');
    expect(() => readPlatformSettings(file)).toThrow(
      `${file}: cannot be read (ENOENT); copy the environment's settings from the platform repository, where npm ` +
        'run generate writes platform-settings/<env>.json',
    );
  });

  test('a file that is not JSON names it', () => {
    const file = join(folder, 'broken.json');
    writeFileSync(file, '{ "settingsVersion": 1,');
    expect(() => readPlatformSettings(file)).toThrow(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not JSON \\(`),
    );
  });
});

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { deriveKeyTypes, dirRoot } from '../../scripts/derive-collector-keys';

const MODULE = 'go.opentelemetry.io/collector';

/** A source root of small Go (or schema) files, as a contrib directory would hold them. */
function rootOf(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'derive-keys-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  writeFileSync(join(dir, 'SOURCES.json'), JSON.stringify({ repo: 'example/repo', note: '', files: {} }));
  return [dirRoot(MODULE, dir)];
}

const SHARED = `package shared

import "time"

type ClientConfig struct {
	Endpoint string \`mapstructure:"endpoint"\`
	Timeout  time.Duration \`mapstructure:"timeout"\`
}
`;

const COMPONENT = `package thing

import (
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/shared"
	"github.com/elsewhere/lib"
)

type Mode string

const (
	ModeFast Mode = "fast"
	ModeSafe Mode = "safe"
)

type Level struct{ val string }

func (l *Level) UnmarshalText(text []byte) error { return nil }

type Queue struct {
	Size int \`mapstructure:"size"\`
}

type Config struct {
	shared.ClientConfig \`mapstructure:",squash"\`
	Mode     Mode                           \`mapstructure:"mode"\`
	Level    Level                          \`mapstructure:"level"\`
	Queue    configoptional.Optional[Queue] \`mapstructure:"sending_queue"\`
	Other    lib.Thing                      \`mapstructure:"other"\`
	Labels   map[string]string              \`mapstructure:"labels"\`
	Hidden   string                         \`mapstructure:"-"\`
	internal string
	Rest     map[string]any                 \`mapstructure:",remain"\`
}
`;

describe('deriving keys from Go config structs', () => {
  const { refs, defs, unresolved } = deriveKeyTypes(
    rootOf({ 'shared/config.go': SHARED, 'thing/config.go': COMPONENT }),
    [[`${MODULE}/thing`, 'Config']],
  );
  const config = defs.get(refs[0]);

  test('a squashed struct gives its keys; "-" and unexported fields give none', () => {
    expect(Object.keys(config?.keys ?? {}).sort()).toEqual([
      'endpoint',
      'labels',
      'level',
      'mode',
      'other',
      'sending_queue',
      'timeout',
    ]);
  });

  test('a ",remain" field lets other keys through with its value kind', () => {
    expect(config?.otherKeys).toEqual({ kind: 'opaque' });
  });

  test('typed string constants close the set of a string type', () => {
    expect(config?.keys.mode).toEqual(expect.objectContaining({ kind: 'string', enum: ['fast', 'safe'] }));
  });

  test('a struct that decodes itself from text is a string', () => {
    expect(config?.keys.level).toEqual(expect.objectContaining({ kind: 'string' }));
  });

  test('configoptional.Optional of a struct takes "enabled" besides the struct keys', () => {
    const queue = config?.keys.sending_queue as { ref: string; optional: boolean };
    expect(queue.optional).toBe(true);
    expect(Object.keys(defs.get(queue.ref)?.keys ?? {}).sort()).toEqual(['enabled', 'size']);
  });

  test('a type from a package the roots do not carry is opaque and listed, never guessed', () => {
    expect(config?.keys.other).toEqual({ kind: 'opaque', note: 'not carried: github.com/elsewhere/lib.Thing' });
    expect(unresolved).toEqual(['github.com/elsewhere/lib.Thing']);
  });

  test('durations and maps keep their kinds', () => {
    expect([config?.keys.timeout, config?.keys.labels]).toEqual([
      { kind: 'duration' },
      { kind: 'map', values: { kind: 'string' } },
    ]);
  });
});

describe("deriving keys from upstream's schemagen output", () => {
  const schema = `$defs:
  batch:
    type: object
    properties:
      flush_timeout:
        type: string
        format: duration
type: object
properties:
  batch:
    x-optional: true
    $ref: batch
allOf:
  - $ref: go.opentelemetry.io/collector/shared.client_config
`;
  const { refs, defs } = deriveKeyTypes(rootOf({ 'shared/config.go': SHARED, 'other/config.schema.yaml': schema }), [
    [`${MODULE}/other`, 'Config'],
  ]);
  const config = defs.get(refs[0]);

  test('allOf is a squash, resolved against the Go struct of that name', () => {
    expect(Object.keys(config?.keys ?? {}).sort()).toEqual(['batch', 'endpoint', 'timeout']);
  });

  test('x-optional is configoptional.Optional: the struct keys and "enabled"', () => {
    const batch = config?.keys.batch as { ref: string };
    expect(defs.get(batch.ref)?.keys).toEqual({ flush_timeout: { kind: 'duration' }, enabled: { kind: 'bool' } });
  });
});

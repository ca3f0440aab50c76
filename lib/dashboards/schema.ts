/**
 * A JSON Schema of the dashboard JSON this package emits (Grafana's classic dashboard model,
 * schemaVersion 39+, as `POST /api/dashboards/db` takes it). Grafana publishes no JSON Schema of it
 * and the foundation SDK ships TypeScript types only, so this one is written here: narrower than
 * what Grafana accepts, because it states what our dashboards promise: a stable uid, every panel
 * titled, described, with a unit and a data source given by a `datasource` variable, and every
 * target with a refId, that data source and the query field its type needs.
 */

const VARIABLE_NAME = '^[A-Za-z_][A-Za-z0-9_]*$';

/** `{ if, then, else }`, from entries: linters take an object literal with a `then` key for a thenable. */
function conditional(condition: object, consequence: object, alternative?: object): Readonly<Record<string, object>> {
  const entries: [string, object][] = [
    ['if', condition],
    ['then', consequence],
  ];
  if (alternative !== undefined) entries.push(['else', alternative]);
  return Object.fromEntries(entries);
}

const dataSourceRef = {
  type: 'object',
  description: `a data source given by a datasource template variable: { type, uid: "\${name}" }`,
  required: ['type', 'uid'],
  properties: {
    type: { type: 'string', minLength: 1 },
    uid: { type: 'string', pattern: '^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$' },
  },
} as const;

const gridPos = {
  type: 'object',
  required: ['x', 'y', 'w', 'h'],
  properties: {
    x: { type: 'integer', minimum: 0, maximum: 23 },
    y: { type: 'integer', minimum: 0 },
    w: { type: 'integer', minimum: 1, maximum: 24 },
    h: { type: 'integer', minimum: 1 },
  },
} as const;

const thresholds = {
  type: 'object',
  required: ['mode', 'steps'],
  properties: {
    mode: { enum: ['absolute', 'percentage'] },
    steps: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['value', 'color'],
        properties: { value: { type: ['number', 'null'] }, color: { type: 'string', minLength: 1 } },
      },
    },
  },
} as const;

const dataLink = {
  type: 'object',
  required: ['title', 'url'],
  properties: { title: { type: 'string', minLength: 1 }, url: { type: 'string', minLength: 1 } },
} as const;

/** The query field each data source type needs; a target of another type fails the `enum`. */
const targetByType = [
  { type: 'prometheus', required: ['expr'], properties: { expr: { type: 'string', minLength: 1 } } },
  {
    type: 'tempo',
    required: ['queryType', 'query'],
    properties: { queryType: { const: 'traceql' }, query: { type: 'string', minLength: 1 } },
  },
  { type: 'loki', required: ['expr'], properties: { expr: { type: 'string', minLength: 1 } } },
  {
    type: 'cloudwatch',
    required: ['queryMode', 'region'],
    properties: { queryMode: { const: 'Metrics' }, region: { type: 'string', minLength: 1 } },
    anyOf: [
      {
        required: ['namespace', 'metricName', 'statistic'],
        properties: {
          namespace: { type: 'string', minLength: 1 },
          metricName: { type: 'string', minLength: 1 },
          statistic: { type: 'string', minLength: 1 },
        },
      },
      { required: ['expression'], properties: { expression: { type: 'string', minLength: 1 } } },
    ],
  },
] as const;

const target = {
  type: 'object',
  required: ['refId', 'datasource'],
  properties: {
    refId: { type: 'string', pattern: '^[A-Z]$' },
    datasource: {
      ...dataSourceRef,
      properties: { ...dataSourceRef.properties, type: { enum: targetByType.map((entry) => entry.type) } },
    },
  },
  allOf: targetByType.map(({ type, ...rule }) =>
    conditional(
      { type: 'object', properties: { datasource: { type: 'object', properties: { type: { const: type } } } } },
      { type: 'object', ...rule },
    ),
  ),
} as const;

const rowPanel = {
  type: 'object',
  required: ['type', 'id', 'title', 'collapsed', 'gridPos', 'panels'],
  properties: {
    type: { const: 'row' },
    id: { type: 'integer', minimum: 1 },
    title: { type: 'string', minLength: 1 },
    collapsed: { const: false },
    gridPos,
    // Expanded rows hold no panels: Grafana lays the following panels out under them.
    panels: { type: 'array', maxItems: 0 },
  },
} as const;

const visualizationPanel = {
  type: 'object',
  required: ['type', 'id', 'title', 'description', 'datasource', 'gridPos', 'targets', 'fieldConfig', 'options'],
  properties: {
    type: { enum: ['timeseries', 'stat', 'table'] },
    id: { type: 'integer', minimum: 1 },
    title: { type: 'string', minLength: 1 },
    description: { type: 'string', minLength: 1 },
    datasource: dataSourceRef,
    gridPos,
    targets: { type: 'array', minItems: 1, items: target },
    options: { type: 'object' },
    fieldConfig: {
      type: 'object',
      required: ['defaults', 'overrides'],
      properties: {
        defaults: {
          type: 'object',
          required: ['unit'],
          properties: {
            unit: { type: 'string', minLength: 1 },
            thresholds,
            links: { type: 'array', items: dataLink },
          },
        },
        overrides: {
          type: 'array',
          items: {
            type: 'object',
            required: ['matcher', 'properties'],
            properties: {
              matcher: {
                type: 'object',
                required: ['id', 'options'],
                properties: { id: { enum: ['byName', 'byRegexp'] }, options: { type: 'string', minLength: 1 } },
              },
              properties: {
                type: 'array',
                minItems: 1,
                items: {
                  type: 'object',
                  required: ['id', 'value'],
                  properties: { id: { type: 'string', minLength: 1 }, value: {} },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

const variable = {
  type: 'object',
  required: ['type', 'name', 'label'],
  properties: {
    type: { enum: ['datasource', 'query', 'custom', 'textbox'] },
    name: { type: 'string', pattern: VARIABLE_NAME },
    label: { type: 'string', minLength: 1 },
  },
  allOf: [
    conditional(
      { type: 'object', properties: { type: { const: 'datasource' } } },
      { type: 'object', required: ['query'], properties: { query: { type: 'string', minLength: 1 } } },
    ),
    conditional(
      { type: 'object', properties: { type: { const: 'query' } } },
      {
        type: 'object',
        required: ['query', 'datasource'],
        properties: { query: { type: 'string', minLength: 1 }, datasource: dataSourceRef },
      },
    ),
    conditional(
      { type: 'object', properties: { type: { const: 'custom' } } },
      {
        type: 'object',
        required: ['query', 'options', 'current'],
        properties: {
          query: { type: 'string', minLength: 1 },
          options: { type: 'array', minItems: 1 },
          current: { type: 'object', required: ['value'], properties: { value: { type: ['string', 'array'] } } },
        },
      },
    ),
  ],
} as const;

export const DASHBOARD_SCHEMA = {
  $id: 'https://github.com/starmates-ai-team/cdk-otel-observability/dashboards/dashboard.schema.json',
  title: 'Generated Grafana dashboard',
  description: 'The dashboard JSON lib/dashboards emits, as POST /api/dashboards/db takes it under "dashboard".',
  type: 'object',
  required: [
    'uid',
    'title',
    'description',
    'tags',
    'timezone',
    'editable',
    'time',
    'refresh',
    'schemaVersion',
    'templating',
    'annotations',
    'panels',
  ],
  properties: {
    uid: { type: 'string', pattern: '^starmates-[a-z0-9-]+$', maxLength: 40 },
    title: { type: 'string', minLength: 1 },
    description: { type: 'string', minLength: 1 },
    tags: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 } },
    timezone: { type: 'string', minLength: 1 },
    editable: { type: 'boolean' },
    time: {
      type: 'object',
      required: ['from', 'to'],
      properties: { from: { type: 'string', pattern: '^now-[0-9]+[mhdw]$' }, to: { const: 'now' } },
    },
    refresh: { type: 'string', pattern: '^[0-9]+[smhd]$' },
    schemaVersion: { type: 'integer', minimum: 39 },
    // A dashboard in the POST body must not carry an instance id: Grafana matches on uid.
    id: { type: 'null' },
    templating: {
      type: 'object',
      required: ['list'],
      properties: { list: { type: 'array', items: variable } },
    },
    annotations: { type: 'object', required: ['list'], properties: { list: { type: 'array' } } },
    links: { type: 'array' },
    panels: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['type'],
        properties: { type: { type: 'string' } },
        ...conditional({ type: 'object', properties: { type: { const: 'row' } } }, rowPanel, visualizationPanel),
      },
    },
  },
} as const;

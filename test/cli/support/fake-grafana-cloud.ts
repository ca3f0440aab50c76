/**
 * A loopback fake of the Grafana Cloud APIs `obsctl grafana publish` calls (node:http on 127.0.0.1),
 * keeping what it is sent. Request and response shapes follow the APIs' documentation:
 * - Grafana's legacy HTTP API (grafana.com/docs/grafana/v11.6/http_api/dashboard, folder):
 *   GET /api/folders/:uid (404 when absent), POST /api/folders {uid, title};
 *   GET /api/dashboards/uid/:uid -> {dashboard, meta: {folderUid, version}} (404 when absent);
 *   POST /api/dashboards/db {dashboard, folderUid, overwrite, message} -> {id, uid, url, status, version, slug}.
 *   Grafana stores the dashboard JSON as sent and adds id and version.
 * - Mimir (grafana/mimir docs/sources/mimir/references/http-api/index.md): GET
 *   /prometheus/config/v1/rules/:namespace/:group (YAML, 404 when absent), POST
 *   /prometheus/config/v1/rules/:namespace (one group, YAML) -> 202; GET /api/v1/alerts (YAML
 *   {template_files, alertmanager_config}, 404 when none), POST /api/v1/alerts -> 201.
 * Every request needs the right credentials: Bearer for Grafana, Basic for Mimir; 401 otherwise.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'yaml';

export interface FakeCredentials {
  readonly grafanaToken: string;
  readonly mimirUser: string;
  readonly mimirToken: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
}

export class FakeGrafanaCloud {
  readonly folders = new Map<string, { uid: string; title: string }>();
  readonly dashboards = new Map<string, { dashboard: Record<string, unknown>; folderUid: string; version: number }>();
  /** YAML text of each group, by `namespace/group`, as it was posted. */
  readonly ruleGroups = new Map<string, string>();
  alertmanager?: string;
  readonly requests: RecordedRequest[] = [];
  private server?: Server;
  private nextId = 1;

  constructor(private readonly credentials: FakeCredentials) {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      void this.handle(request, response);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** The writes it received (every POST). */
  writes(): RecordedRequest[] {
    return this.requests.filter((request) => request.method === 'POST');
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const method = request.method ?? 'GET';
    const path = decodeURI(request.url ?? '/');
    this.requests.push({ method, path });
    const send = (status: number, text: string, type = 'application/json') => {
      response.writeHead(status, { 'content-type': type });
      response.end(text);
    };
    const isMimir = path.startsWith('/prometheus/') || path === '/api/v1/alerts';
    const expected = isMimir
      ? `Basic ${Buffer.from(`${this.credentials.mimirUser}:${this.credentials.mimirToken}`).toString('base64')}`
      : `Bearer ${this.credentials.grafanaToken}`;
    if (request.headers.authorization !== expected) {
      send(401, JSON.stringify({ message: 'Unauthorized' }));
      return;
    }
    const folderPath = path.match(/^\/api\/folders\/([^/]+)$/);
    const dashboardPath = path.match(/^\/api\/dashboards\/uid\/([^/]+)$/);
    const groupPath = path.match(/^\/prometheus\/config\/v1\/rules\/([^/]+)\/([^/]+)$/);
    const namespacePath = path.match(/^\/prometheus\/config\/v1\/rules\/([^/]+)$/);
    if (folderPath && method === 'GET') {
      const match = folderPath;
      const folder = this.folders.get(match[1]);
      send(folder ? 200 : 404, JSON.stringify(folder ?? { message: 'folder not found' }));
    } else if (path === '/api/folders' && method === 'POST') {
      const { uid, title } = JSON.parse(body);
      this.folders.set(uid, { uid, title });
      send(200, JSON.stringify({ id: this.nextId++, uid, title }));
    } else if (dashboardPath && method === 'GET') {
      const stored = this.dashboards.get(dashboardPath[1]);
      if (stored === undefined) send(404, JSON.stringify({ message: 'Dashboard not found' }));
      else
        send(
          200,
          JSON.stringify({
            dashboard: stored.dashboard,
            meta: { folderUid: stored.folderUid, version: stored.version, slug: 'x' },
          }),
        );
    } else if (path === '/api/dashboards/db' && method === 'POST') {
      const { dashboard, folderUid } = JSON.parse(body);
      const previous = this.dashboards.get(dashboard.uid);
      const version = (previous?.version ?? 0) + 1;
      const id = (previous?.dashboard.id as number | undefined) ?? this.nextId++;
      this.dashboards.set(dashboard.uid, { dashboard: { ...dashboard, id, version }, folderUid, version });
      send(
        200,
        JSON.stringify({ id, uid: dashboard.uid, url: `/d/${dashboard.uid}/x`, status: 'success', version, slug: 'x' }),
      );
    } else if (groupPath && method === 'GET') {
      const group = this.ruleGroups.get(`${groupPath[1]}/${groupPath[2]}`);
      send(group ? 200 : 404, group ?? 'group does not exist', group ? 'application/yaml' : 'text/plain');
    } else if (namespacePath && method === 'POST') {
      const group = parse(body) as { name: string };
      this.ruleGroups.set(`${namespacePath[1]}/${group.name}`, body);
      send(202, JSON.stringify({ status: 'success', data: null }));
    } else if (path === '/api/v1/alerts' && method === 'GET') {
      send(
        this.alertmanager ? 200 : 404,
        this.alertmanager ?? 'alertmanager storage object not found',
        'application/yaml',
      );
    } else if (path === '/api/v1/alerts' && method === 'POST') {
      this.alertmanager = body;
      send(201, '');
    } else {
      send(404, JSON.stringify({ message: 'Not found' }));
    }
  }
}

/**
 * The Grafana Cloud HTTP APIs `obsctl grafana publish` uses, over fetch:
 * - Grafana (the stack URL, a service-account token as Bearer): GET /api/folders/:uid,
 *   POST /api/folders, GET /api/dashboards/uid/:uid, POST /api/dashboards/db.
 * - Mimir (the stack's Prometheus URL, Basic auth with its user id and an access-policy token):
 *   GET/POST <prefix>/config/v1/rules/:namespace[/:group] (YAML, one group per POST), and
 *   GET/POST /api/v1/alerts (the Alertmanager configuration, YAML).
 * Paths and bodies follow Grafana's HTTP API reference and Mimir's docs/sources/mimir/references/http-api.
 */

/** A Grafana Cloud API call that failed: unreachable, credentials refused, or another error status. */
export class GrafanaApiError extends Error {
  constructor(
    message: string,
    readonly reason: 'network' | 'auth' | 'status',
  ) {
    super(message);
    this.name = 'GrafanaApiError';
  }
}

export interface GrafanaCloudEndpoints {
  readonly grafanaUrl: string;
  readonly grafanaToken: string;
  /** Mimir's base URL; the ruler API is under `/prometheus`, the Alertmanager API at the root. */
  readonly mimirUrl: string;
  readonly mimirUser: string;
  readonly mimirToken: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly text: string;
}

const PROMETHEUS_PREFIX = '/prometheus';

export class GrafanaCloudClient {
  constructor(private readonly endpoints: GrafanaCloudEndpoints) {}

  private async call(
    api: 'grafana' | 'mimir',
    method: 'GET' | 'POST',
    path: string,
    body?: { readonly type: string; readonly text: string },
  ): Promise<HttpResponse> {
    const base = api === 'grafana' ? this.endpoints.grafanaUrl : this.endpoints.mimirUrl;
    const authorization =
      api === 'grafana'
        ? `Bearer ${this.endpoints.grafanaToken}`
        : `Basic ${Buffer.from(`${this.endpoints.mimirUser}:${this.endpoints.mimirToken}`).toString('base64')}`;
    const url = `${base.replace(/\/$/, '')}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { authorization, ...(body === undefined ? {} : { 'content-type': body.type }) },
        body: body?.text,
      });
    } catch (error) {
      throw new GrafanaApiError(`${method} ${url}: ${(error as Error).message}`, 'network');
    }
    const text = await response.text();
    if (response.status === 401 || response.status === 403) {
      throw new GrafanaApiError(
        `${method} ${url}: ${response.status}. The ${api === 'grafana' ? 'Grafana service-account token' : 'access-policy token'} is refused or lacks a permission`,
        'auth',
      );
    }
    if (response.status >= 400 && response.status !== 404) {
      throw new GrafanaApiError(`${method} ${url}: ${response.status} ${text.slice(0, 300)}`, 'status');
    }
    return { status: response.status, text };
  }

  async folder(uid: string): Promise<Record<string, unknown> | undefined> {
    const response = await this.call('grafana', 'GET', `/api/folders/${encodeURIComponent(uid)}`);
    return response.status === 404 ? undefined : JSON.parse(response.text);
  }

  async createFolder(uid: string, title: string): Promise<void> {
    await this.call('grafana', 'POST', '/api/folders', {
      type: 'application/json',
      text: JSON.stringify({ uid, title }),
    });
  }

  /** `{dashboard, meta}`, or undefined when there is none with that uid. */
  async dashboard(
    uid: string,
  ): Promise<{ dashboard: Record<string, unknown>; meta: { folderUid?: string } } | undefined> {
    const response = await this.call('grafana', 'GET', `/api/dashboards/uid/${encodeURIComponent(uid)}`);
    return response.status === 404 ? undefined : JSON.parse(response.text);
  }

  async saveDashboard(dashboard: Record<string, unknown>, folderUid: string, message: string): Promise<void> {
    await this.call('grafana', 'POST', '/api/dashboards/db', {
      type: 'application/json',
      text: JSON.stringify({ dashboard: { ...dashboard, id: null }, folderUid, overwrite: true, message }),
    });
  }

  /** The group as YAML, or undefined when the namespace has no such group. */
  async ruleGroup(namespace: string, group: string): Promise<string | undefined> {
    const response = await this.call(
      'mimir',
      'GET',
      `${PROMETHEUS_PREFIX}/config/v1/rules/${encodeURIComponent(namespace)}/${encodeURIComponent(group)}`,
    );
    return response.status === 404 ? undefined : response.text;
  }

  async setRuleGroup(namespace: string, groupYaml: string): Promise<void> {
    await this.call('mimir', 'POST', `${PROMETHEUS_PREFIX}/config/v1/rules/${encodeURIComponent(namespace)}`, {
      type: 'application/yaml',
      text: groupYaml,
    });
  }

  /** The upload document (`template_files`, `alertmanager_config`), or undefined when there is none. */
  async alertmanagerConfig(): Promise<string | undefined> {
    const response = await this.call('mimir', 'GET', '/api/v1/alerts');
    return response.status === 404 ? undefined : response.text;
  }

  async setAlertmanagerConfig(documentYaml: string): Promise<void> {
    await this.call('mimir', 'POST', '/api/v1/alerts', { type: 'application/yaml', text: documentYaml });
  }
}

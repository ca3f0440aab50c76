/**
 * cdk.json files for obsctl with the shared tenant fixture (test/support/tenant-profiles.ts): prod
 * with tenants acme-corp (service acme-reports) and globex (service globex-reports), written to a
 * temporary directory because obsctl reads a file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { environmentsWithTenants } from '../../support/tenant-profiles';
import { EXAMPLE_APP } from './harness';

// biome-ignore lint/suspicious/noExplicitAny: tests edit the untyped JSON of cdk.json at any depth.
export type Environments = Record<string, any>;

export const ACME_TOKEN_NAME = '/starmates-ai-team/prod/tenants/acme-corp/grafana-cloud-api-key';
export const GLOBEX_TOKEN_NAME = '/starmates-ai-team/prod/tenants/globex/grafana-cloud-api-key';

/** A directory of cdk.json files; `remove()` deletes them all. */
export class TenantConfigs {
  private readonly directory = mkdtempSync(join(tmpdir(), 'obsctl-tenants-'));
  private count = 0;

  /** Writes cdk.json with the tenant fixture, changed by `mutate`, and returns its path. */
  write(mutate: (environments: Environments) => void = () => undefined): string {
    const cdkJson = require(join(EXAMPLE_APP, 'cdk.json'));
    const environments = environmentsWithTenants();
    mutate(environments);
    const path = join(this.directory, `cdk-${++this.count}.json`);
    writeFileSync(path, JSON.stringify({ ...cdkJson, context: { ...cdkJson.context, environments } }));
    return path;
  }

  remove(): void {
    rmSync(this.directory, { recursive: true, force: true });
  }
}

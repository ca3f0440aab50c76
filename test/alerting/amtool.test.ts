import { alertmanagerFiles } from '../../lib/alerting/alertmanager';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { amtool } from '../support/amtool';
import { cdkJsonEnvironments } from '../support/cdk-json';
import { AMTOOL, describeWithTool } from '../support/system-tool';

// The real amtool (Debian package `prometheus-alertmanager`) on the committed Alertmanager
// configurations: it parses them with Alertmanager's own config loader and resolves routes as the
// Alertmanager does. CI installs it and requires it.
const paths = alertmanagerFiles(loadEnvironmentProfiles(cdkJsonEnvironments())).map((file) => file.path);

/** An alert's labels as a rule of alerts/<env>.rules.yaml sets them. */
function alertLabels(path: string, severity: string): string[] {
  const environment = path.replace(/^alerts\//, '').replace(/\.alertmanager\.yaml$/, '');
  return [`severity=${severity}`, `environment=${environment}`, 'service_name=api-gateway', 'alertname=SomeAlert'];
}

describeWithTool(AMTOOL, 'amtool', () => {
  test('there is a configuration per environment of cdk.json', () => {
    expect(paths).toEqual([
      'alerts/dev.alertmanager.yaml',
      'alerts/prod.alertmanager.yaml',
      'alerts/staging.alertmanager.yaml',
    ]);
  });

  test.concurrent.each(paths)('check-config accepts %s', async (path) => {
    const result = await amtool('check-config', path);
    expect(result).toEqual({ exitCode: 0, output: expect.stringContaining('SUCCESS') });
  });

  const cases = paths.flatMap((path) =>
    [
      ['critical', 'critical'],
      ['warning', 'warning'],
      ['info', 'info'],
    ].map(([severity, receiver]) => [path, severity, receiver] as const),
  );
  test.concurrent.each(cases)('in %s a %s alert goes to the %s receiver', async (path, severity, receiver) => {
    const result = await amtool(
      'config',
      'routes',
      'test',
      `--config.file=${path}`,
      `--verify.receivers=${receiver}`,
      ...alertLabels(path, severity),
    );
    expect(result.exitCode).toBe(0);
  });

  test('the routes test fails when the receiver is not the expected one', async () => {
    const result = await amtool(
      'config',
      'routes',
      'test',
      `--config.file=${paths[0]}`,
      '--verify.receivers=info',
      ...alertLabels(paths[0], 'critical'),
    );
    expect(result.exitCode).toBe(1);
  });
});

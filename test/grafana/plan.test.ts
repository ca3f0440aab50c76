import { dashboardCanonical, dashboardStamp, stampedDashboard, tagStamp } from '../../lib/grafana/objects';
import { contentStamp, planObject } from '../../lib/grafana/plan';

const base = { kind: 'dashboard' as const, name: 'slos-prod', desired: 'A' };

describe('what publish does to an object', () => {
  test('an object that is not live is created', () => {
    expect(planObject(base, false).action).toBe('create');
  });

  test('a live object equal to what we would publish is left unchanged, stamped or not', () => {
    expect(planObject({ ...base, live: { content: 'A', stamped: false } }, false).action).toBe('unchanged');
  });

  test('a live object that still matches its stamp is ours to update', () => {
    expect(planObject({ ...base, live: { content: 'B', stamped: true } }, false).action).toBe('update');
  });

  test('a live object that no longer matches its stamp was changed by hand and is left alone', () => {
    expect(planObject({ ...base, live: { content: 'C', stamped: false } }, false).action).toBe('changed-by-hand');
  });

  test('with --force a live object changed by hand is overwritten', () => {
    expect(planObject({ ...base, live: { content: 'C', stamped: false } }, true).action).toBe('overwrite');
  });
});

describe('dashboard stamps', () => {
  const dashboard = { uid: 'slos-prod', title: 'SLOs', tags: ['obsctl'] };

  test('the stamp tag of a published dashboard matches its content as Grafana returns it (with id and version)', () => {
    const published = { ...stampedDashboard(dashboard, 'folder'), id: 7, version: 3 };
    expect(dashboardStamp(published)).toBe(tagStamp(dashboardCanonical(published, 'folder')));
  });

  test('an edit made in Grafana breaks the stamp', () => {
    const edited = { ...stampedDashboard(dashboard, 'folder'), title: 'SLOs (edited)' };
    expect(dashboardStamp(edited)).not.toBe(tagStamp(dashboardCanonical(edited, 'folder')));
  });

  test('a dashboard moved to another folder breaks the stamp', () => {
    const published = stampedDashboard(dashboard, 'folder');
    expect(dashboardStamp(published)).not.toBe(tagStamp(dashboardCanonical(published, 'elsewhere')));
  });

  test('stamps are SHA-256 digests', () => {
    expect(contentStamp('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

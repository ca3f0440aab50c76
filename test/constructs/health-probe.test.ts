/**
 * No code from data: the container health probe is a fixed program, and the profile's path and
 * port reach it only as arguments (ECS runs the CMD form without a shell).
 */
import { HEALTH_PROBE_SCRIPT, pythonHealthProbe } from '../../lib/constructs/observed-fargate-service';

const CRAFTED_PATHS = [
  '/health',
  "/healthz'",
  "/x', timeout=4); __import__('os').system('id'); ('",
  '/"; import os; os.system("id"); "',
  '/$(id)`id`',
  '/health\nimport os',
];

test.each(CRAFTED_PATHS)('the probe program is the same constant whatever the path (%j)', (path) => {
  const [cmd, python, flag, program] = pythonHealthProbe(8000, path);
  expect([cmd, python, flag, program]).toEqual(['CMD', 'python3', '-c', HEALTH_PROBE_SCRIPT]);
});

test.each(CRAFTED_PATHS)('the path reaches the probe verbatim as its last argument (%j)', (path) => {
  expect(pythonHealthProbe(8000, path).slice(4)).toEqual(['8000', path]);
});

test('the probe program reads the port and the path from its arguments and holds no profile value', () => {
  expect(HEALTH_PROBE_SCRIPT).toContain("'http://localhost:' + sys.argv[1] + sys.argv[2]");
  expect(HEALTH_PROBE_SCRIPT).not.toMatch(/8000|health/);
});

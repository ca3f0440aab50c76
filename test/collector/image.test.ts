import { collectorImage, collectorImageWarnings, parseImageReference } from '../../lib/collector/image';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { exampleEnvironments } from '../support/example-app';
import { profileProblems, type RawEnvironments } from '../support/profile-problems';

const CONTRIB = 'ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib';
const DIGEST = `sha256:${'ab'.repeat(32)}`;

/** The example app's prod with collector.image set. */
function prodWithImage(image: string): RawEnvironments {
  const environments = exampleEnvironments();
  environments.prod.collector = { ...(environments.prod.collector as object), image };
  return environments;
}

const problemsOf = (image: string) => profileProblems(prodWithImage(image), () => {});
const loadedProd = (image: string) => loadEnvironmentProfiles(prodWithImage(image)).prod;

describe('collector.image', () => {
  test('a tag with a well-formed digest loads, and the containers run it by digest', () => {
    expect(collectorImage(loadedProd(`${CONTRIB}:0.159.0@${DIGEST}`))).toBe(`${CONTRIB}@${DIGEST}`);
  });

  test('a malformed digest is an error that names the field and the digest format', () => {
    expect(problemsOf(`${CONTRIB}:0.159.0@sha256:abc`)).toEqual([
      'cdk.json: environments.prod.collector.image: the digest "sha256:abc" is malformed; a digest is "sha256:" and 64 ' +
        `lower-case hex digits. Copy it from the registry (crane digest ${CONTRIB}:0.159.0)`,
    ]);
  });

  test("a tag other than the pinned distribution's version is an error: the configs are checked against that version", () => {
    expect(problemsOf(`${CONTRIB}:0.160.0@${DIGEST}`)).toEqual([
      'cdk.json: environments.prod.collector.image: the tag "0.160.0" is not 0.159.0; the generated configs are ' +
        `checked against otelcol-contrib v0.159.0, so the image must be that version. Use ${CONTRIB}:0.159.0@sha256:<digest>`,
    ]);
  });

  test('something that is not an image reference is an error with an example', () => {
    expect(problemsOf('not an image')).toEqual([
      'cdk.json: environments.prod.collector.image: "not an image" is not an image reference. Use ' +
        `registry/repository:tag@sha256:digest, e.g. ${CONTRIB}:0.159.0@sha256:<digest>`,
    ]);
  });

  test('a tag alone in production is a warning, not an error', () => {
    const prod = loadedProd(`${CONTRIB}:0.159.0`);
    expect(collectorImageWarnings(prod, 'environments.prod')).toEqual([
      `environments.prod.collector.image: "${CONTRIB}:0.159.0" is a tag without a digest in a production environment: ` +
        'a tag pushed again would change the collector of new tasks. Pin it: ' +
        `"${CONTRIB}:0.159.0@sha256:<digest>" (the digest of the tag's image index)`,
    ]);
  });

  test('a tag alone outside production is fine', () => {
    const dev = loadEnvironmentProfiles(exampleEnvironments()).dev;
    expect(collectorImageWarnings(dev, 'environments.dev')).toEqual([]);
  });

  test('a private ECR copy with a digest parses into repository, tag and digest', () => {
    expect(parseImageReference(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/otel/contrib:0.159.0@${DIGEST}`)).toEqual({
      repository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/otel/contrib',
      tag: '0.159.0',
      digest: DIGEST,
    });
  });
});
